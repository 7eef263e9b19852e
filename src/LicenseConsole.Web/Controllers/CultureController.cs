using LicenseConsole.Web.Localization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Localization;
using Microsoft.AspNetCore.Mvc;

namespace LicenseConsole.Web.Controllers;

/// <summary>The language switcher: remembers the choice in a cookie for a year.</summary>
[AllowAnonymous]
public sealed class CultureController : ConsoleController
{
    [HttpPost("culture")]
    public IActionResult Set(string? culture, string? returnUrl)
    {
        var chosen = ConsoleText.Cultures.FirstOrDefault(c => string.Equals(c, culture, StringComparison.OrdinalIgnoreCase)) ?? ConsoleText.English;
        Response.Cookies.Append(
            CookieRequestCultureProvider.DefaultCookieName,
            CookieRequestCultureProvider.MakeCookieValue(new RequestCulture(chosen)),
            new CookieOptions { Expires = DateTimeOffset.UtcNow.AddYears(1), IsEssential = true, HttpOnly = true, SameSite = SameSiteMode.Lax, Secure = Request.IsHttps });
        return LocalRedirect(LocalOr(returnUrl, "/"));
    }
}
