using LicenseConsole.Accounts;
using LicenseConsole.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace LicenseConsole.IntegrationTests.Infrastructure;

/// <summary>A fresh, migrated database of one provider, shared by the tests of one class.</summary>
public abstract class TestDatabase : IAsyncLifetime
{
    public abstract DatabaseProvider Provider { get; }

    public string ConnectionString { get; protected set; } = "";

    public abstract ValueTask InitializeAsync();

    public virtual ValueTask DisposeAsync() => ValueTask.CompletedTask;

    /// <summary>The configuration the app and the services read to reach this database.</summary>
    public IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Database:Provider"] = Provider.ToString(),
        ["ConnectionStrings:LicenseConsole"] = ConnectionString,
        ["Database:MigrateOnStartup"] = "true",
        ["Seed:Demo"] = "false",

        // Tests that want the background worker run it themselves (or turn it on).
        ["Renewal:Enabled"] = "false",
    };

    /// <summary>A context acting for the whole platform (sees every account).</summary>
    public LicenseConsoleDbContext CreatePlatformContext()
    {
        var tenant = new TenantContext();
        tenant.ActForPlatform("test");
        return CreateContext(tenant);
    }

    public LicenseConsoleDbContext CreateContext(TenantContext tenant)
    {
        var builder = new DbContextOptionsBuilder<LicenseConsoleDbContext>();
        DatabaseServiceCollectionExtensions.Configure(builder, new DatabaseConnection(Provider, ConnectionString));
        return new LicenseConsoleDbContext(builder.Options, tenant);
    }

    /// <summary>
    /// The Core services wired to this database as the app wires them; <paramref name="configure"/> may
    /// replace a service (a fake clock, say) or add settings.
    /// </summary>
    public ServiceProvider CreateServices(Action<IServiceCollection>? configure = null, IDictionary<string, string?>? settings = null)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(Settings)
            .AddInMemoryCollection(settings ?? new Dictionary<string, string?>())
            .Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging();
        configure?.Invoke(services);
        services.AddLicenseConsoleCore(configuration, Path.GetTempPath());
        services.AddLicenseConsoleIdentity();
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true, ValidateOnBuild = true });
    }
}

/// <summary>A database on the run's PostgreSQL server, copied from a migrated template.</summary>
public sealed class PostgresDatabase(PostgresServer server) : TestDatabase
{
    public override DatabaseProvider Provider => DatabaseProvider.Postgres;

    public PostgresServer Server => server;

    public override async ValueTask InitializeAsync() => ConnectionString = await server.CreateDatabaseAsync("test");
}

/// <summary>A SQLite file copied from a template migrated once per run.</summary>
public sealed class SqliteDatabase : TestDatabase
{
    private static readonly SemaphoreSlim TemplateLock = new(1, 1);
    private static string? s_templatePath;
    private string? _path;

    public override DatabaseProvider Provider => DatabaseProvider.Sqlite;

    public override async ValueTask InitializeAsync()
    {
        var template = await TemplateAsync();
        _path = Path.Combine(Path.GetTempPath(), $"lc-test-{Guid.NewGuid():N}.db");
        File.Copy(template, _path);
        ConnectionString = new SqliteConnectionStringBuilder { DataSource = _path, Pooling = true }.ToString();
    }

    public override ValueTask DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        foreach (var suffix in new[] { "", "-wal", "-shm" })
        {
            File.Delete(_path + suffix);
        }

        return ValueTask.CompletedTask;
    }

    private static async Task<string> TemplateAsync()
    {
        await TemplateLock.WaitAsync();
        try
        {
            if (s_templatePath is null)
            {
                var path = Path.Combine(Path.GetTempPath(), $"lc-template-{Guid.NewGuid():N}.db");
                var builder = new DbContextOptionsBuilder<LicenseConsoleDbContext>();
                DatabaseServiceCollectionExtensions.Configure(builder, new DatabaseConnection(DatabaseProvider.Sqlite, $"Data Source={path};Pooling=false"));
                await using (var db = new LicenseConsoleDbContext(builder.Options, new TenantContext()))
                {
                    await db.Database.MigrateAsync();
                }

                AppDomain.CurrentDomain.ProcessExit += (_, _) => File.Delete(path);
                s_templatePath = path;
            }

            return s_templatePath;
        }
        finally
        {
            TemplateLock.Release();
        }
    }
}

/// <summary>
/// Hands out a fresh database per test, for tests of platform-wide work (the renewal worker, alerts) that
/// must not see the rows of other tests.
/// </summary>
public abstract class TestDatabases
{
    public abstract Task<TestDatabase> NewAsync();
}

public sealed class PostgresDatabases(PostgresServer server) : TestDatabases
{
    public override async Task<TestDatabase> NewAsync()
    {
        var database = new PostgresDatabase(server);
        await database.InitializeAsync();
        return database;
    }
}

public sealed class SqliteDatabases : TestDatabases
{
    public override async Task<TestDatabase> NewAsync()
    {
        var database = new SqliteDatabase();
        await database.InitializeAsync();
        return database;
    }
}
