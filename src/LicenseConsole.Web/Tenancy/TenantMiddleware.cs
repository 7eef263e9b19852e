using System.Security.Claims;
using LicenseConsole.Accounts;

namespace LicenseConsole.Web.Tenancy;

/// <summary>Scopes the request's <see cref="TenantContext"/> to the caller: a signed-in user's or an API key's account, or the platform.</summary>
public sealed class TenantMiddleware(RequestDelegate next)
{
    public Task InvokeAsync(HttpContext context, TenantContext tenant)
    {
        var user = context.User;
        if (user.Identity?.IsAuthenticated != true)
        {
            return next(context);
        }

        if (user.HasClaim(ConsoleClaims.Platform, "true"))
        {
            tenant.ActForPlatform(user.Identity.Name ?? "platform");
        }
        else if (Guid.TryParse(user.FindFirstValue(ConsoleClaims.AccountId), out var accountId))
        {
            tenant.ActForAccount(accountId, user.Identity.Name ?? "unknown", isSubAccount: !user.HasClaim(ConsoleClaims.Owner, "true"));
        }

        return next(context);
    }
}
