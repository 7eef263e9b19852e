using LicenseConsole.Accounts;
using LicenseConsole.Licensing;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace LicenseConsole.Data;

public static class DatabaseServiceCollectionExtensions
{
    public const string ConnectionStringName = "LicenseConsole";
    public const string PostgresMigrationsAssembly = "LicenseConsole.Migrations.Postgres";
    public const string SqliteMigrationsAssembly = "LicenseConsole.Migrations.Sqlite";

    /// <summary>
    /// Registers <see cref="LicenseConsoleDbContext"/> on the configured provider, the scoped
    /// <see cref="TenantContext"/> it filters by, and the start-up initializer.
    /// </summary>
    public static IServiceCollection AddLicenseConsoleDatabase(this IServiceCollection services, IConfiguration configuration, string contentRoot)
    {
        services.AddOptions<DatabaseOptions>().BindConfiguration(DatabaseOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<SeedOptions>().BindConfiguration(SeedOptions.Section);

        var options = configuration.GetSection(DatabaseOptions.Section).Get<DatabaseOptions>() ?? new DatabaseOptions();
        var connectionString = configuration.GetConnectionString(ConnectionStringName);
        var database = ResolveConnection(options, connectionString, contentRoot);
        services.AddSingleton(database);

        if (database.Provider == DatabaseProvider.Postgres)
        {
            // Registered by factory so that the container disposes it with the host.
            services.AddSingleton(_ => CreateDataSource(database.ConnectionString));
            services.AddKeyedSingleton(LedgerDataSource, (_, _) => CreateLedgerDataSource(database.ConnectionString));
            services.AddSingleton<ILedgerWriter, PostgresLedgerWriter>();
        }
        else
        {
            services.AddSingleton<ILedgerWriter, SqliteLedgerWriter>();
        }

        services.AddSingleton(sp =>
        {
            // The contexts of the app's requests, configured alike (interceptors, logging), on the ledger's data source.
            var ledgerSource = sp.GetKeyedService<NpgsqlDataSource>(LedgerDataSource);
            var builder = new DbContextOptionsBuilder<LicenseConsoleDbContext>();
            foreach (var configuration in sp.GetServices<IDbContextOptionsConfiguration<LicenseConsoleDbContext>>())
            {
                configuration.Configure(sp, builder);
            }

            Configure(builder, database, ledgerSource, options.CommandTimeoutSeconds);
            return new LedgerContextFactory(builder.Options, ledgerSource);
        });

        services.AddScoped<TenantContext>();
        // The options are built once, not per request: they depend on singletons only.
        services.AddDbContext<LicenseConsoleDbContext>(
            (sp, builder) => Configure(builder, database, sp.GetService<NpgsqlDataSource>(), options.CommandTimeoutSeconds),
            ServiceLifetime.Scoped, ServiceLifetime.Singleton);
        services.AddScoped<DatabaseInitializer>();
        return services;
    }

    /// <summary>Applies the provider, its migrations assembly and the naming convention to a context builder.</summary>
    public static DbContextOptionsBuilder Configure(DbContextOptionsBuilder builder, DatabaseConnection database, NpgsqlDataSource? dataSource = null, int commandTimeoutSeconds = 30)
    {
        if (database.Provider == DatabaseProvider.Postgres)
        {
            if (dataSource is not null)
            {
                builder.UseNpgsql(dataSource, o => o.MigrationsAssembly(PostgresMigrationsAssembly).CommandTimeout(commandTimeoutSeconds));
            }
            else
            {
                builder.UseNpgsql(database.ConnectionString, o => o.MigrationsAssembly(PostgresMigrationsAssembly).CommandTimeout(commandTimeoutSeconds));
            }
        }
        else
        {
            builder.UseSqlite(database.ConnectionString, o => o.MigrationsAssembly(SqliteMigrationsAssembly).CommandTimeout(commandTimeoutSeconds));
        }

        // A failed save or command is the caller's to judge: a refusal it handles (a product key already taken) is
        // no error, and one it does not handle reaches the exception handler or the worker's loop, which log it once.
        return builder.UseSnakeCaseNamingConvention()
            .ConfigureWarnings(w => w.Log((CoreEventId.SaveChangesFailed, LogLevel.Debug), (RelationalEventId.CommandError, LogLevel.Debug)));
    }

    /// <summary>The key of the data source of the ledger's own transactions (device connections, renewals).</summary>
    public const string LedgerDataSource = "ledger";

    /// <summary>
    /// The ledger's data source. Its statements take arrays and look rows up by key, so one generic plan serves
    /// every batch and planning each anew would only cost time; and since a plan may be made while the tables are
    /// still empty, the planner is told to reach rows through their indexes, which stays right at any size. JIT
    /// compilation is off: a renewal batch of thousands of rows looks costly enough to the planner to compile, and
    /// compiling took longer than a sixth of the statement's whole run. The
    /// ledger leaves no session state behind (no SET, no temporary table, no open transaction), so a connection
    /// going back to the pool needs no reset, which saves seven statements per transaction.
    /// </summary>
    public static NpgsqlDataSource CreateLedgerDataSource(string connectionString)
    {
        var settings = new NpgsqlConnectionStringBuilder(connectionString) { NoResetOnClose = true };
        if (string.IsNullOrEmpty(settings.Options))
        {
            settings.Options = LedgerPlanSettings;
        }

        return CreateDataSource(settings.ConnectionString, customPlans: false);
    }

    /// <summary>The planner settings of the ledger's sessions (see <see cref="CreateLedgerDataSource"/>).</summary>
    public const string LedgerPlanSettings = "-c enable_seqscan=off -c jit=off";

    /// <summary>
    /// A PostgreSQL data source. The hot statements (a connection's batch, the pages' queries) are prepared
    /// on each connection after a few uses, so the server parses them once, not on every call. With
    /// <paramref name="customPlans"/> they are still planned for their actual values every time: a generic
    /// plan cannot see that the tenant filter's "platform or this account" is "this account", nor how
    /// selective a date range is, and on a million-device product it picked a scan that took half a second
    /// where the custom plan takes one millisecond. A connection string that sets Max Auto Prepare or
    /// Options keeps its own values.
    /// </summary>
    public static NpgsqlDataSource CreateDataSource(string connectionString, bool customPlans = true)
    {
        var builder = new NpgsqlDataSourceBuilder(connectionString);
        var settings = builder.ConnectionStringBuilder;
        if (settings.MaxAutoPrepare == 0)
        {
            settings.MaxAutoPrepare = 100;
            settings.AutoPrepareMinUsages = 3;
            if (customPlans && string.IsNullOrEmpty(settings.Options))
            {
                settings.Options = "-c plan_cache_mode=force_custom_plan";
            }
        }

        return builder.Build();
    }

    internal static DatabaseConnection ResolveConnection(DatabaseOptions options, string? connectionString, string contentRoot)
    {
        if (options.Provider == DatabaseProvider.Postgres)
        {
            if (string.IsNullOrWhiteSpace(connectionString))
            {
                throw new InvalidOperationException(
                    $"Database:Provider is Postgres but ConnectionStrings:{ConnectionStringName} is empty. " +
                    "Set it, e.g. \"Host=localhost;Database=licenseconsole;Username=postgres;Password=...\".");
            }

            return new DatabaseConnection(DatabaseProvider.Postgres, connectionString);
        }

        if (string.IsNullOrWhiteSpace(connectionString))
        {
            var folder = Path.GetFullPath(Path.Combine(contentRoot, options.DataFolder));
            Directory.CreateDirectory(folder);
            connectionString = new SqliteConnectionStringBuilder
            {
                DataSource = Path.Combine(folder, "licenseconsole.db"),
                Cache = SqliteCacheMode.Private,
                Pooling = true,
            }.ToString();
        }

        return new DatabaseConnection(DatabaseProvider.Sqlite, connectionString);
    }
}

/// <summary>The resolved provider and connection string.</summary>
public sealed record DatabaseConnection(DatabaseProvider Provider, string ConnectionString);
