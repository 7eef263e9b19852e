using System.Globalization;
using System.Security.Claims;
using LicenseConsole.Accounts;

namespace LicenseConsole.Web.Tenancy;

/// <summary>
/// The principal of an account's caller, built on every request from what the database says now (the user's
/// session and role, or the key's), and read back into the request's <see cref="TenantContext"/>.
/// </summary>
public static class CallerPrincipal
{
    public static ClaimsPrincipal Create(string scheme, Guid accountId, string name, CallerAccess access, Guid? sessionId = null)
    {
        var claims = new List<Claim>
        {
            new(ClaimTypes.Name, name),
            new(ConsoleClaims.AccountId, accountId.ToString()),
            new(ConsoleClaims.Role, Rights.Name(access.Role)),
        };
        if (access.UserId is { } userId)
        {
            claims.Add(new Claim(ClaimTypes.NameIdentifier, userId.ToString()));
        }

        if (access.ApiKeyId is { } keyId)
        {
            claims.Add(new Claim(ConsoleClaims.ApiKey, keyId.ToString(CultureInfo.InvariantCulture)));
        }

        if (sessionId is { } session)
        {
            claims.Add(new Claim(ConsoleClaims.Session, session.ToString()));
        }

        claims.AddRange(access.Rights.Select(r => new Claim(ConsoleClaims.Right, r.ToString())));
        if (access.ProductIds is { } products)
        {
            claims.Add(new Claim(ConsoleClaims.Limited, "true"));
            claims.AddRange(products.Select(p => new Claim(ConsoleClaims.Product, p.ToString(CultureInfo.InvariantCulture))));
        }

        return new ClaimsPrincipal(new ClaimsIdentity(claims, scheme));
    }

    /// <summary>The account and access a principal made by <see cref="Create"/> carries; null for any other.</summary>
    public static (Guid AccountId, CallerAccess Access)? Read(ClaimsPrincipal user)
    {
        if (!Guid.TryParse(user.FindFirstValue(ConsoleClaims.AccountId), out var accountId)
            || !Enum.TryParse<AccessRole>(user.FindFirstValue(ConsoleClaims.Role), ignoreCase: true, out var role))
        {
            return null;
        }

        var rights = user.FindAll(ConsoleClaims.Right).Select(c => Enum.Parse<Right>(c.Value)).ToHashSet();
        IReadOnlyList<long>? products = user.HasClaim(ConsoleClaims.Limited, "true")
            ? [.. user.FindAll(ConsoleClaims.Product).Select(c => long.Parse(c.Value, CultureInfo.InvariantCulture))]
            : null;
        Guid? userId = Guid.TryParse(user.FindFirstValue(ClaimTypes.NameIdentifier), out var u) ? u : null;
        long? keyId = long.TryParse(user.FindFirstValue(ConsoleClaims.ApiKey), CultureInfo.InvariantCulture, out var k) ? k : null;
        return (accountId, new CallerAccess(role, rights, products, rights.Contains(Right.ManageRecipients), userId, keyId));
    }

    public static Guid? SessionOf(ClaimsPrincipal user) => Guid.TryParse(user.FindFirstValue(ConsoleClaims.Session), out var s) ? s : null;

    public static Guid? UserIdOf(ClaimsPrincipal user) => Guid.TryParse(user.FindFirstValue(ClaimTypes.NameIdentifier), out var u) ? u : null;
}
