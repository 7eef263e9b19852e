using System.Globalization;
using LicenseConsole.Accounts;
using LicenseConsole.Common;
using LicenseConsole.Web.Hosting;
using LicenseConsole.Web.Models;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;

namespace LicenseConsole.Web.Controllers;

[Route("account")]
public sealed class AccountController(SignInManager<ConsoleUser> signInManager) : ConsoleController
{
    [AllowAnonymous]
    [HttpGet("sign-in")]
    public IActionResult ShowSignIn(string? returnUrl) => View("SignIn", new SignInViewModel { ReturnUrl = returnUrl });

    [AllowAnonymous]
    [HttpPost("sign-in")]
    [EnableRateLimiting(RateLimiting.SignInPolicy)]
    public async Task<IActionResult> SubmitSignIn(SignInViewModel model)
    {
        if (!ModelState.IsValid)
        {
            return Refused("SignIn", model);
        }

        var result = await signInManager.PasswordSignInAsync(Keys.Normalize(model.Email), model.Password, model.RememberMe, lockoutOnFailure: true);
        if (result.Succeeded)
        {
            return LocalRedirect(LocalOr(model.ReturnUrl, "/"));
        }

        var lockout = signInManager.Options.Lockout.DefaultLockoutTimeSpan.TotalMinutes.ToString("0", CultureInfo.InvariantCulture);
        ModelState.AddModelError("", result.IsLockedOut
            ? Text["Too many failed attempts. The account is locked for {0} minutes.", lockout]
            : Text["Invalid email or password."]);
        model.Password = "";
        return Refused("SignIn", model, StatusCodes.Status401Unauthorized);
    }

    [HttpPost("sign-out")]
    public async Task<IActionResult> SubmitSignOut()
    {
        await signInManager.SignOutAsync();
        return RedirectToAction(nameof(ShowSignIn));
    }
}
