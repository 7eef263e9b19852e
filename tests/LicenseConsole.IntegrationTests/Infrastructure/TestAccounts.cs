using LicenseConsole.Accounts;
using Microsoft.Extensions.DependencyInjection;

namespace LicenseConsole.IntegrationTests.Infrastructure;

public static class TestAccounts
{
    public const string Password = "Test-Password-2026";

    /// <summary>A new account with a unique owner email, created through the real account service.</summary>
    public static async Task<Account> CreateAsync(IServiceProvider services, string dataCenter = "cn-east")
    {
        await using var scope = services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<TenantContext>().ActForPlatform("test");
        var email = $"owner-{Guid.NewGuid():N}@example.com";
        return await scope.ServiceProvider.GetRequiredService<AccountService>().CreateAccountAsync(email, Password, dataCenter);
    }
}
