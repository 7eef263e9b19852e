using System.Diagnostics;
using LicenseConsole.Web.Models;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace LicenseConsole.Web.Controllers;

[AllowAnonymous]
[IgnoreAntiforgeryToken]
[ApiExplorerSettings(IgnoreApi = true)]
public sealed class ErrorController : Controller
{
    // Only error statuses: a status outside 400–599 would make the server write an invalid status line.
    [Route("error/{statusCode:int:range(400,599)?}")]
    public IActionResult Show(int? statusCode)
    {
        var code = statusCode ?? StatusCodes.Status500InternalServerError;
        Response.StatusCode = code;
        return View("Error", new ErrorViewModel(code, Activity.Current?.Id ?? HttpContext.TraceIdentifier, HttpContext.Items[ErrorViewModel.ReasonItem] as string));
    }
}
