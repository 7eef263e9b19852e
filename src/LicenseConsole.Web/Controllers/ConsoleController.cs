using LicenseConsole.Web.Localization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;

namespace LicenseConsole.Web.Controllers;

/// <summary>What every console page does alike: localized messages, Post-Redirect-Get with a success note.</summary>
[ApiExplorerSettings(IgnoreApi = true)]
[AnswerRefusedForms]
[AnswerRefusals]
public abstract class ConsoleController : Controller
{
    public const string SuccessKey = "Success";

    protected IStringLocalizer<ConsoleText> Text => HttpContext.RequestServices.GetRequiredService<IStringLocalizer<ConsoleText>>();

    /// <summary>Redirects after a change, carrying a note the next page shows once.</summary>
    protected IActionResult Done(string message, string url)
    {
        TempData[SuccessKey] = message;
        return LocalRedirect(url);
    }

    /// <summary>
    /// The page again with its messages beside the fields, answered 400: the form was refused, and a script
    /// (or a test) can tell so without reading the page.
    /// </summary>
    protected ViewResult Refused(string viewName, object model, int status = StatusCodes.Status400BadRequest)
    {
        var view = View(viewName, model);
        view.StatusCode = status;
        return view;
    }

    /// <summary>A page number from a link or a typed URL, held to the pages a list can have (past the last is an empty page).</summary>
    protected static int PageNumber(int? page) => Math.Clamp(page ?? 1, 1, 1_000_000);

    /// <summary>A return address on this site, or <paramref name="fallback"/>: never a redirect elsewhere.</summary>
    protected string LocalOr(string? url, string fallback) => !string.IsNullOrEmpty(url) && Url.IsLocalUrl(url) ? url : fallback;
}
