using LicenseConsole.Accounts;
using LicenseConsole.Data;
using LicenseConsole.TestSupport;
using Microsoft.EntityFrameworkCore;
using Npgsql;

[assembly: AssemblyFixture(typeof(LicenseConsole.IntegrationTests.Infrastructure.PostgresServer))]

namespace LicenseConsole.IntegrationTests.Infrastructure;

/// <summary>
/// The run's PostgreSQL (<see cref="PostgresCluster"/>), and migrated databases cut from a template that is
/// migrated once per run.
/// </summary>
public sealed class PostgresServer : IAsyncLifetime
{
    private readonly SemaphoreSlim _createLock = new(1, 1);
    private string? _template;

    public PostgresCluster Cluster { get; } = new();

    public string AdminConnectionString => Cluster.AdminConnectionString;

    public ValueTask InitializeAsync() => new(Cluster.StartAsync());

    /// <summary>A new, migrated, empty database.</summary>
    public async Task<string> CreateDatabaseAsync(string purpose)
    {
        await _createLock.WaitAsync();
        try
        {
            if (_template is null)
            {
                var template = await Cluster.CreateDatabaseAsync("template");
                await MigrateAsync(template);
                NpgsqlConnection.ClearAllPools();
                _template = new NpgsqlConnectionStringBuilder(template).Database;
            }

            return await Cluster.CreateDatabaseAsync(purpose, _template);
        }
        finally
        {
            _createLock.Release();
        }
    }

    public ValueTask DisposeAsync() => Cluster.DisposeAsync();

    internal static async Task MigrateAsync(string connectionString)
    {
        var options = DatabaseServiceCollectionExtensions
            .Configure(new DbContextOptionsBuilder<LicenseConsoleDbContext>(), new DatabaseConnection(DatabaseProvider.Postgres, connectionString))
            .Options;
        await using var db = new LicenseConsoleDbContext((DbContextOptions<LicenseConsoleDbContext>)options, new TenantContext());
        await db.Database.MigrateAsync();
    }
}
