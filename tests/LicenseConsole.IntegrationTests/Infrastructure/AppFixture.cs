using Microsoft.AspNetCore.Mvc.Testing;

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
