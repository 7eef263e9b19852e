using System.Diagnostics;
using System.Globalization;
using LicenseConsole.Accounts;
using LicenseConsole.Data;
using LicenseConsole.Licensing;
using LicenseConsole.Renewal;
using LicenseConsole.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace LicenseConsole.Bench;

/// <summary>Options of one benchmark run.</summary>
public sealed record BenchOptions(
    int Devices, TimeSpan Duration, int Concurrency, string? ConnectionString, string Output,
    int Runs = 3, TimeSpan FreshDuration = default, int BulkSize = 250, int BulkClients = 8, bool Profile = false, bool FreshOnly = false, IReadOnlyDictionary<string, string>? AppSettings = null,
    bool Trace = false);

/// <summary>
/// The whole benchmark in one run: PostgreSQL (its own, durable, unless a connection string is given), the
/// fleet, the app published in Release and run as a process, then every measurement next to the database's
/// own limit, and the report.
/// </summary>
public sealed partial class Bench(BenchOptions options) : IAsyncDisposable
{
    public const string PlatformKey = "bench-platform-key";
    private const string ConnectPath = "/api/v1/devices/connect";
    private const string BulkPath = "/api/v1/devices/connect-batch";
    public const string OwnerEmail = "fleet@bench.local";
    public const string OwnerPassword = "Bench-Password-1";

    private readonly PostgresCluster _cluster = new(durable: true,
        ["shared_buffers=1GB", "max_wal_size=4GB", "checkpoint_timeout=15min", .. (options.Profile ? Profile.ServerSettings : [])]);
    private readonly string _publishDirectory = Path.Combine(Path.GetTempPath(), $"lc-bench-app-{Guid.NewGuid():N}");
    private readonly List<ConsoleProcess> _apps = [];
    private readonly List<string> _runDatabases = [];
    private Report _report = new(1);
    private ServiceProvider? _services;
    private string _connectionString = "";
    private Fleet _fleet = null!;
    private string _accountKey = "";

    public async Task<int> RunAsync()
    {
        var total = Stopwatch.StartNew();
        Log($"LicenseConsole benchmark: {options.Runs} run(s); {options.Devices:N0} devices, {options.Concurrency} clients, {options.Duration.TotalSeconds:0} s per load");
        Log("Publishing the app (Release)");
        await AppPublisher.PublishAsync("Release", _publishDirectory, CancellationToken.None);
        if (options.ConnectionString is null)
        {
            Log("Starting PostgreSQL (durable: fsync and synchronous commit on)");
            await _cluster.StartAsync();
        }

        var runs = new List<Report>();
        for (var run = 1; run <= options.Runs; run++)
        {
            var started = Stopwatch.StartNew();
            Log($"== Run {run} of {options.Runs}");
            _report = new Report(run);
            await RunOnceAsync();
            _report.Duration = started.Elapsed;
            runs.Add(_report);
            await EndRunAsync();
        }

        if (options.FreshOnly)
        {
            return 0;
        }

        var markdown = Report.ToMarkdown(runs, options, _fleet, await MachineAsync(), total.Elapsed);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(options.Output))!);
        await File.WriteAllTextAsync(options.Output, markdown);
        Log($"Wrote {options.Output} after {total.Elapsed:hh\\:mm\\:ss}");
        Console.WriteLine(markdown);
        return runs.All(r => r.AllTargetsMet) ? 0 : 1;
    }

    /// <summary>One whole run: the fresh database, then the seeded fleet with every measurement.</summary>
    private async Task RunOnceAsync()
    {
        if (options.ConnectionString is null)
        {
            await FreshAsync(_report);
        }

        if (options.FreshOnly)
        {
            return;
        }

        await PrepareDatabaseAsync();
        await SeedAsync();
        var app = await StartAppAsync("app", new Dictionary<string, string>());
        await CheckpointAsync();
        await ConnectLoadsAsync(app);
        await VerifyLedgerAsync("after the single connections");
        await RenewalAsync();
        await VerifyLedgerAsync("after the renewals");

        // The pages before the bulk calls, where the earlier reports measured them: not just after two million
        // reconnections whose updates autovacuum has yet to catch up with.
        await CheckpointAsync();
        await PagesAsync(app);
        await ExportAsync();
        await CheckpointAsync();
        await BulkLoadsAsync(app);
        await VerifyLedgerAsync("after the bulk calls");

        // pgbench last: its transactions are raw SQL, not the ledger's, and the verifier would report them.
        await CheckpointAsync();
        (_report.PgBenchSpread, _report.PgBenchHot) = await PgBenchAsync(_connectionString, _fleet.AccountId,
            [.. Enumerable.Range(2, Fleet.ProductCount - 2).Select(p => (long)p)], Fleet.HotProduct);
    }

    /// <summary>Stops the run's app processes and drops its databases, so that the next run starts as this one did.</summary>
    private async Task EndRunAsync()
    {
        foreach (var app in _apps)
        {
            await app.DisposeAsync();
        }

        _apps.Clear();
        if (_services is not null)
        {
            await _services.DisposeAsync();
            _services = null;
        }

        NpgsqlConnection.ClearAllPools();
        if (options.ConnectionString is null)
        {
            foreach (var database in _runDatabases)
            {
                await _cluster.ExecuteAdminAsync($"DROP DATABASE IF EXISTS {new NpgsqlConnectionStringBuilder(database).Database} WITH (FORCE)");
            }
        }

        _runDatabases.Clear();
    }

    /// <summary>Only the renewal of 100,000 licenses beside the raw statement, on a newly seeded fleet each run: for experiments on the worker.</summary>
    public async Task<int> RenewalOnlyAsync()
    {
        if (options.ConnectionString is null)
        {
            await _cluster.StartAsync();
        }

        for (var run = 1; run <= options.Runs; run++)
        {
            _report = new Report(run);
            await PrepareDatabaseAsync();
            await SeedAsync();
            await CheckpointAsync();
            await RenewalAsync();
            await VerifyLedgerAsync("after the renewals");
            Log(string.Create(CultureInfo.InvariantCulture, $"Run {run}: the worker took {_report.RenewalRatio:0.00}× the raw statement"));
            await EndRunAsync();
        }

        return 0;
    }

    /// <summary>Seeds the fleet into the given database and stops: for looking at query plans by hand.</summary>
    public async Task<int> SeedOnlyAsync()
    {
        if (options.ConnectionString is null)
        {
            Log("seed needs --connection");
            return 2;
        }

        await PrepareDatabaseAsync();
        await SeedAsync();
        Log($"Seeded; sign in as {OwnerEmail} / {OwnerPassword}; account API key {_accountKey}");
        return 0;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var app in _apps)
        {
            await app.DisposeAsync();
        }

        if (_services is not null)
        {
            await _services.DisposeAsync();
        }

        await _cluster.DisposeAsync();
        try
        {
            Directory.Delete(_publishDirectory, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
            // Never published.
        }
    }

    private async Task PrepareDatabaseAsync()
    {
        if (options.ConnectionString is { } given)
        {
            _connectionString = given;
            Log("Using the given database");
        }
        else
        {
            _connectionString = await _cluster.CreateDatabaseAsync("bench");
            _runDatabases.Add(_connectionString);
        }

        _services = CoreServices(_connectionString);

        await using var scope = _services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<LicenseConsoleDbContext>();
        await db.Database.MigrateAsync();
    }

    private async Task SeedAsync()
    {
        _fleet = new Fleet(options.Devices);
        await using (var scope = _services!.CreateAsyncScope())
        {
            scope.ServiceProvider.GetRequiredService<TenantContext>().ActForPlatform("bench");
            var account = await scope.ServiceProvider.GetRequiredService<AccountService>().CreateAccountAsync(OwnerEmail, OwnerPassword, "cn-east");
            _fleet.AccountId = account.Id;
            _accountKey = (await scope.ServiceProvider.GetRequiredService<ApiKeyService>().CreateAsync(account.Id, "bench")).Key;
        }

        Log($"Seeding the fleet with binary COPY ({Fleet.ProductCount:N0} products, {options.Devices:N0} devices, {options.Devices * Fleet.PeriodsPerDevice:N0} activations)");
        var elapsed = await _fleet.SeedAsync(_connectionString, Log);
        _report.SeedTime = elapsed;
        Log($"  seeded in {elapsed:mm\\:ss}");
        await VerifyLedgerAsync("after seeding");
    }

    private async Task<ConsoleProcess> StartAppAsync(string name, IReadOnlyDictionary<string, string> extra)
    {
        var settings = new Dictionary<string, string>
        {
            ["Database__Provider"] = "Postgres",
            ["ConnectionStrings__LicenseConsole"] = _connectionString,
            ["Seed__Demo"] = "false",
            ["Platform__ApiKeys__0"] = PlatformKey,
            ["Renewal__Enabled"] = "false",
            ["Serilog__MinimumLevel__Default"] = "Warning",

            // The start-up line that says where the app listens.
            ["Serilog__MinimumLevel__Override__Microsoft.Hosting.Lifetime"] = "Information",
        };
        foreach (var (key, value) in extra.Concat(options.AppSettings ?? new Dictionary<string, string>())
                     .Concat(options.Trace ? AppTrace.AppSettings : new Dictionary<string, string>()))
        {
            settings[key] = value;
        }

        var app = await ConsoleProcess.StartAsync(name, _publishDirectory, settings, CancellationToken.None, environment: "Production");
        _apps.Add(app);
        return app;
    }

    private async Task VerifyLedgerAsync(string when) => _report.LedgerChecks.Add((when, await BreachesAsync(_connectionString)));

    /// <summary>The ledger verifier's findings on a database (logged, counted).</summary>
    private static async Task<int> BreachesAsync(string connectionString)
    {
        await using var services = CoreServices(connectionString);
        await using var scope = services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<TenantContext>().ActForPlatform("bench");
        var watch = Stopwatch.StartNew();
        var breaches = await scope.ServiceProvider.GetRequiredService<LedgerVerifier>().VerifyAsync();
        Log($"Ledger: {breaches.Count} breach(es) ({watch.Elapsed.TotalSeconds:0.0} s)");
        foreach (var breach in breaches.Take(10))
        {
            Log("  " + breach);
        }

        return breaches.Count;
    }

    /// <summary>
    /// Core's services on a database, as the app wires them (the worker's renewals run here). The worker's settings
    /// in the environment apply to them, for experiments such as <c>Renewal__BatchSize=50000</c>.
    /// </summary>
    private static ServiceProvider CoreServices(string connectionString)
    {
        var worker = Environment.GetEnvironmentVariables().Cast<System.Collections.DictionaryEntry>()
            .Where(e => ((string)e.Key).StartsWith("Renewal__", StringComparison.Ordinal))
            .Select(e => KeyValuePair.Create(((string)e.Key).Replace("__", ":", StringComparison.Ordinal), (string?)e.Value));
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(worker)
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Database:Provider"] = "Postgres",
                ["ConnectionStrings:LicenseConsole"] = connectionString,
                ["Database:CommandTimeoutSeconds"] = "3600",
            })
            .Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging();
        services.AddLicenseConsoleCore(configuration, Path.GetTempPath());
        services.AddLicenseConsoleIdentity();
        return services.BuildServiceProvider();
    }

    /// <summary>
    /// Writes out the dirty buffers before a measured load, so that neither the app's loads (right after the
    /// seeding's gigabytes) nor pgbench's (after the renewals) share the disk with a checkpoint.
    /// </summary>
    private async Task CheckpointAsync()
    {
        var watch = Stopwatch.StartNew();
        try
        {
            await ExecuteAsync("CHECKPOINT");
            Log($"Checkpoint ({watch.Elapsed.TotalSeconds:0.0} s)");
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.InsufficientPrivilege)
        {
            Log("No checkpoint: the given user may not run CHECKPOINT");
        }
    }

    /// <summary>Starts the database's profile of a load (with --profile).</summary>
    private async Task ProfileStartAsync(string connectionString)
    {
        if (options.Profile)
        {
            await Profile.ResetAsync(connectionString);
        }
    }

    /// <summary>Reads and logs the database's profile of the load just run (with --profile).</summary>
    private async Task ProfileEndAsync(string connectionString, string load, long units)
    {
        if (!options.Profile)
        {
            return;
        }

        var costs = await Profile.ReadAsync(connectionString, units);
        _report.Profiles.Add((load, costs));
        Log($"  database profile of '{load}' ({units:N0} units):");
        foreach (var c in costs)
        {
            Log(string.Create(CultureInfo.InvariantCulture, $"    {c.PerUnitUs,8:0.0} µs/unit {c.Calls,8:N0} calls {c.MeanMs,8:0.000} ms mean {c.PlanMeanMs,7:0.000} ms planning {c.Rows,9:N0} rows {c.WalRecords,9:N0} WAL  {c.Statement}"));
        }
    }

    private static void Log(string message) => Console.Error.WriteLine($"[{DateTime.Now:HH:mm:ss}] {message}");

    private static async Task<string> MachineAsync()
    {
        var cpu = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "?";
        var memory = File.ReadLines("/proc/meminfo").First(l => l.StartsWith("MemTotal", StringComparison.Ordinal)).Split(':', 2)[1].Trim();
        var kernel = (await File.ReadAllTextAsync("/proc/sys/kernel/osrelease")).Trim();
        return string.Create(CultureInfo.InvariantCulture,
            $"{Environment.ProcessorCount} cores ({cpu}), {memory} memory, Linux {kernel}, .NET {Environment.Version}");
    }

    private Task<long> ScalarAsync(string sql) => ScalarAsync(_connectionString, sql);

    private static async Task<long> ScalarAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 0 };
        return Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }

    private Task ExecuteAsync(string sql) => ExecuteAsync(_connectionString, sql);

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 0 };
        await command.ExecuteNonQueryAsync();
    }

    private RenewalJob RenewalJob(IServiceProvider scope) => scope.GetRequiredService<RenewalJob>();
}
