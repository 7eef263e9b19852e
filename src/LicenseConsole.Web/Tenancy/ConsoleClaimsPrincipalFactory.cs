using System.Security.Claims;
using LicenseConsole.Accounts;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace LicenseConsole.Web.Tenancy;

/// <summary>Adds the user's account (the tenant) and owner flag to the sign-in cookie.</summary>
public sealed class ConsoleClaimsPrincipalFactory(UserManager<ConsoleUser> users, IOptions<IdentityOptions> options)
    : UserClaimsPrincipalFactory<ConsoleUser>(users, options)
{
    protected override async Task<ClaimsIdentity> GenerateClaimsAsync(ConsoleUser user)
    {
        var identity = await base.GenerateClaimsAsync(user);
        identity.AddClaim(new Claim(ConsoleClaims.AccountId, user.AccountId.ToString()));
        if (user.IsOwner)
        {
            identity.AddClaim(new Claim(ConsoleClaims.Owner, "true"));
        }

        return identity;
    }
}
