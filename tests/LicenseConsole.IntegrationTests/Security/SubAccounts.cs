using LicenseConsole.Accounts;
using LicenseConsole.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace LicenseConsole.IntegrationTests.Security;

public static class SubAccounts
{
    /// <summary>A new account with a sub-account, and a client signed in as the sub-account.</summary>
    public static async Task<(Account Account, HttpClient SubAccount)> CreateAsync(WebApplicationFactory<Program> host, Uri? baseAddress = null)
    {
        var account = await TestAccounts.CreateAsync(host.Services);
        var email = $"sub-{Guid.NewGuid():N}@example.com";
        await using (var scope = host.Services.CreateAsyncScope())
        {
            scope.ServiceProvider.GetRequiredService<TenantContext>().ActForOwner(account.Id, account.OwnerEmail);
            await scope.ServiceProvider.GetRequiredService<SubAccountService>().CreateAsync(new SubAccountChange(email, TestAccounts.Password, "operator"));
        }

        var client = SecurityHosts.Client(host, baseAddress);
        await client.SignInAsync(email, TestAccounts.Password);
        return (account, client);
    }
}
