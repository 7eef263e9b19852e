using LicenseConsole.Accounts;
using LicenseConsole.Web.Hosting;
using LicenseConsole.Web.Models;
using LicenseConsole.Web.Tenancy;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;

namespace LicenseConsole.Web.Controllers;

[Route("account")]
public sealed class AccountController(ConsoleSignIn signIn) : ConsoleController
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

        if (await signIn.SignInAsync(model.Email, model.Password, model.RememberMe))
        {
            return LocalRedirect(LocalOr(model.ReturnUrl, "/"));
        }

        // One answer for an unknown email, a wrong password and a locked account alike.
        ModelState.AddModelError("", Text["Invalid email or password."]);
        model.Password = "";
        return Refused("SignIn", model, StatusCodes.Status401Unauthorized);
    }

    [HttpPost("sign-out")]
    [Requires(Right.Read)]
    public async Task<IActionResult> SubmitSignOut()
    {
        await signIn.SignOutAsync();
        return RedirectToAction(nameof(ShowSignIn));
    }

    [HttpGet("password")]
    [Authorize(Policy = ConsoleClaims.UserPolicy)]
    public IActionResult Password() => View(new PasswordForm());

    [HttpPost("password")]
    [Authorize(Policy = ConsoleClaims.UserPolicy)]
    [ShowRefusalsOnForm]
    public async Task<IActionResult> ChangePassword(PasswordForm form, [FromServices] PasswordService passwords, CancellationToken cancellationToken)
    {
        if (!ModelState.IsValid)
        {
            return Refused(nameof(Password), new PasswordForm());
        }

        await passwords.ChangeAsync(CallerPrincipal.UserIdOf(User)!.Value, form.CurrentPassword, form.NewPassword, CallerPrincipal.SessionOf(User), cancellationToken);
        return Done(Text["Your password was changed. Your other sessions were signed out."], "/account/password");
    }
}
