using System.Globalization;
using System.Net;
using LicenseConsole.Accounts;
using LicenseConsole.Auditing;
using LicenseConsole.Common;
using LicenseConsole.Data;
using LicenseConsole.Email;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace LicenseConsole.Web.Tenancy;

/// <summary>
/// Signing in and out of the console. A sign-in does the same work and gives the same answer whether the email
/// is unknown, the password wrong or the account locked, so nobody can probe which accounts exist or are locked;
/// the account's owner learns of a lockout by email and in the audit log. Each sign-in is a server-side session.
/// </summary>
public sealed class ConsoleSignIn(
    UserManager<ConsoleUser> users, SignInSessionService sessions, LicenseConsoleDbContext db, AuditTrail audit, TimeProvider clock, IHttpContextAccessor http)
{
    private static string? _standInHash;

    private static string Scheme => IdentityConstants.ApplicationScheme;

    private HttpContext Context => http.HttpContext ?? throw new InvalidOperationException("Signing in needs a request.");

    /// <summary>True when signed in; false for any refusal, without saying which.</summary>
    public async Task<bool> SignInAsync(string email, string password, bool persistent)
    {
        var user = await users.FindByEmailAsync(Keys.Normalize(email));
        if (user is null)
        {
            // The same hashing work as for a real account, against a stand-in hash.
            _standInHash ??= users.PasswordHasher.HashPassword(new ConsoleUser(), "stand-in password " + Guid.NewGuid());
            users.PasswordHasher.VerifyHashedPassword(new ConsoleUser(), _standInHash, password);
            return false;
        }

        if (await users.IsLockedOutAsync(user))
        {
            users.PasswordHasher.VerifyHashedPassword(user, user.PasswordHash ?? "", password);
            return false;
        }

        if (!await users.CheckPasswordAsync(user, password))
        {
            await users.AccessFailedAsync(user);
            if (await users.IsLockedOutAsync(user))
            {
                await TellOfLockoutAsync(user);
            }

            return false;
        }

        await users.ResetAccessFailedCountAsync(user);
        var session = await sessions.StartAsync(user.Id, Context.RequestAborted);
        var caller = await sessions.ValidateAsync(session, user.Id, Context.RequestAborted)
            ?? throw new InvalidOperationException("A session just started was not found.");
        await Context.SignInAsync(Scheme, CallerPrincipal.Create(Scheme, caller.AccountId, caller.Email, caller.Access, session),
            new AuthenticationProperties { IsPersistent = persistent });
        return true;
    }

    /// <summary>Ends this browser's session on the server, then drops its cookie.</summary>
    public async Task SignOutAsync()
    {
        if (CallerPrincipal.SessionOf(Context.User) is { } session)
        {
            await sessions.EndAsync(session, Context.RequestAborted);
        }

        await Context.SignOutAsync(Scheme);
    }

    /// <summary>The cookie's check on every request: its session must be live; the principal is rebuilt from the user as they are now.</summary>
    public static async Task ValidateAsync(CookieValidatePrincipalContext context)
    {
        var principal = context.Principal;
        var caller = principal is not null && CallerPrincipal.SessionOf(principal) is { } session && CallerPrincipal.UserIdOf(principal) is { } userId
            ? await context.HttpContext.RequestServices.GetRequiredService<SignInSessionService>().ValidateAsync(session, userId, context.HttpContext.RequestAborted)
            : null;
        if (caller is null)
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(Scheme);
            return;
        }

        context.ReplacePrincipal(CallerPrincipal.Create(Scheme, caller.AccountId, caller.Email, caller.Access, CallerPrincipal.SessionOf(principal!)));
    }

    /// <summary>The lockout is told where an attacker cannot see it: an email to the account's address and the audit log.</summary>
    private async Task TellOfLockoutAsync(ConsoleUser user)
    {
        var account = await db.Accounts.Where(a => a.Id == user.AccountId).Select(a => new { a.Culture, a.TimeZoneId }).SingleAsync(Context.RequestAborted);
        var now = clock.GetUtcNow().UtcDateTime;
        var until = AccountCalendar.ToLocal(user.LockoutEnd?.UtcDateTime ?? now, AccountCalendar.Find(account.TimeZoneId));
        var chinese = account.Culture.StartsWith("zh", StringComparison.OrdinalIgnoreCase);
        var when = until.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
        var subject = chinese ? "LicenseConsole 登录已锁定" : "LicenseConsole sign-in locked";
        var body = chinese
            ? $"账号 {user.Email} 连续多次输入错误密码，登录已锁定至 {when}。如果不是您本人操作，请修改密码。"
            : $"After repeated wrong passwords, sign-in for {user.Email} is locked until {when}. If this was not you, change your password.";
        db.OutboxEmails.Add(new OutboxEmail
        {
            AccountId = user.AccountId,
            ToAddress = user.Email!,
            Subject = subject,
            HtmlBody = $"<!DOCTYPE html><html><body style=\"font-family: sans-serif\"><p>{WebUtility.HtmlEncode(body)}</p></body></html>",
            TextBody = body + "\n",
            CreatedAt = now,
            NextAttemptAt = now,
        });
        audit.RecordAs("sign-in", user.AccountId, AuditActions.UserLockedOut, user.Email!, null, new { lockedUntil = user.LockoutEnd?.UtcDateTime });
        await db.SaveChangesAsync(Context.RequestAborted);
    }
}
