using LicenseConsole.Accounts;

namespace LicenseConsole.Web.Tenancy;

/// <summary>Scopes the request's <see cref="TenantContext"/> to the caller: a signed-in user's or an API key's account and access, or the platform.</summary>
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
        else if (CallerPrincipal.Read(user) is var (accountId, access))
        {
            tenant.ActForAccount(accountId, user.Identity.Name ?? "unknown", access);
        }

        return next(context);
    }
}
