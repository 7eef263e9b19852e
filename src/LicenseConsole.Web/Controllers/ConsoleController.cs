using LicenseConsole.Common;
using LicenseConsole.Web.Ui;
using LicenseConsole.Web.Localization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;

namespace LicenseConsole.Web.Controllers;

/// <summary>What every console page does alike: localized messages, Post-Redirect-Get with a success note.</summary>
[ApiExplorerSettings(IgnoreApi = true)]
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

    protected void AddError(DomainException error, IReadOnlyDictionary<string, string>? fieldNames = null) =>
        ConsoleErrors.AddTo(ModelState, error, Text, fieldNames);

    /// <summary>A return address on this site, or <paramref name="fallback"/>: never a redirect elsewhere.</summary>
    protected string LocalOr(string? url, string fallback) => !string.IsNullOrEmpty(url) && Url.IsLocalUrl(url) ? url : fallback;
}
