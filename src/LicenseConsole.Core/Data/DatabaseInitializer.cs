using LicenseConsole.Demo;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LicenseConsole.Data;

/// <summary>Brings the database to the current schema at start-up and seeds the demo account where wanted.</summary>
public sealed class DatabaseInitializer(
    LicenseConsoleDbContext db,
    DatabaseConnection connection,
    IOptions<DatabaseOptions> databaseOptions,
    IOptions<SeedOptions> seedOptions,
    DemoDataSeeder demoSeeder,
    ILogger<DatabaseInitializer> logger)
{
    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        if (connection.Provider == DatabaseProvider.Sqlite)
        {
            // WAL lets the console read while the worker writes; the setting is stored in the file.
            await db.Database.OpenConnectionAsync(cancellationToken);
            try
            {
                await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
            }
            finally
            {
                await db.Database.CloseConnectionAsync();
            }

            logger.LogInformation("Using the embedded SQLite database at {DataSource}",
                new SqliteConnectionStringBuilder(connection.ConnectionString).DataSource);
        }
        else
        {
            logger.LogInformation("Using PostgreSQL");
        }

        if (databaseOptions.Value.MigrateOnStartup)
        {
            var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
            if (pending.Count > 0)
            {
                logger.LogInformation("Applying {Count} migration(s): {Migrations}", pending.Count, pending);
                await db.Database.MigrateAsync(cancellationToken);
            }
        }

        var seedDemo = seedOptions.Value.Demo ?? connection.Provider == DatabaseProvider.Sqlite;
        if (seedDemo)
        {
            await demoSeeder.SeedIfEmptyAsync(cancellationToken);
        }
    }
}
