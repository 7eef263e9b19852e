using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace LicenseConsole.IntegrationTests.Infrastructure;

/// <summary>The web app started once per test class on a fresh database of one provider.</summary>
public abstract class AppFixture(TestDatabase database) : IAsyncLifetime
{
    private ConsoleAppFactory? _factory;

    public TestDatabase Database => database;

    public ConsoleAppFactory Factory => _factory ?? throw new InvalidOperationException("The fixture is not initialised.");

    public async ValueTask InitializeAsync()
    {
        await database.InitializeAsync();
        _factory = new ConsoleAppFactory(database);
        _ = _factory.Server;
    }

    /// <summary>Runs <paramref name="work"/> in a fresh scope of the app acting for <paramref name="accountId"/> (or the platform).</summary>
    public async Task<T> RunAsync<T>(Guid? accountId, Func<IServiceProvider, Task<T>> work)
    {
        await using var scope = Factory.Services.CreateAsyncScope();
        var tenant = scope.ServiceProvider.GetRequiredService<LicenseConsole.Accounts.TenantContext>();
        if (accountId is { } id)
        {
            tenant.ActForOwner(id, "setup@example.com");
        }
        else
        {
            tenant.ActForPlatform("setup");
        }

        return await work(scope.ServiceProvider);
    }

    /// <summary>A client that keeps cookies and shows redirects instead of following them.</summary>
    public HttpClient CreateClient() => Factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

    public async ValueTask DisposeAsync()
    {
        if (_factory is not null)
        {
            await _factory.DisposeAsync();
        }

        await database.DisposeAsync();
        GC.SuppressFinalize(this);
    }
}

public sealed class PostgresApp(PostgresServer server) : AppFixture(new PostgresDatabase(server));

public sealed class SqliteApp() : AppFixture(new SqliteDatabase());
