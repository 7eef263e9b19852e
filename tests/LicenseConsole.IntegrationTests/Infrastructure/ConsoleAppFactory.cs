using LicenseConsole.Accounts;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace LicenseConsole.IntegrationTests.Infrastructure;

/// <summary>The web app on a test database, in the Testing environment (unless told otherwise), without demo data.</summary>
public sealed class ConsoleAppFactory(TestDatabase database, IDictionary<string, string?>? settings = null, string environment = "Testing")
    : WebApplicationFactory<Program>
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment(environment);
        foreach (var (key, value) in database.Settings)
        {
            builder.UseSetting(key, value);
        }

        builder.UseSetting("Serilog:MinimumLevel:Default", "Warning");
        if (environment == "Production")
        {
            foreach (var (key, value) in TestSupport.DataProtectionCertificate.Settings)
            {
                builder.UseSetting(key, value);
            }
        }

        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            builder.UseSetting(key, value);
        }
    }

    /// <summary>Runs <paramref name="work"/> in a fresh scope acting for <paramref name="accountId"/>.</summary>
    public async Task<T> WithScopeAsync<T>(Guid accountId, Func<IServiceProvider, Task<T>> work)
    {
        await using var scope = Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<TenantContext>().ActForOwner(accountId, "setup@example.com");
        return await work(scope.ServiceProvider);
    }

    /// <summary>Runs <paramref name="work"/> in a fresh scope acting for the whole platform.</summary>
    public async Task<T> WithPlatformScopeAsync<T>(Func<IServiceProvider, Task<T>> work)
    {
        await using var scope = Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<TenantContext>().ActForPlatform("test");
        return await work(scope.ServiceProvider);
    }
}
