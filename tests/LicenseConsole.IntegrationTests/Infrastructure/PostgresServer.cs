using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using LicenseConsole.Accounts;
using LicenseConsole.Data;
using Microsoft.EntityFrameworkCore;
using Npgsql;

[assembly: AssemblyFixture(typeof(LicenseConsole.IntegrationTests.Infrastructure.PostgresServer))]

namespace LicenseConsole.IntegrationTests.Infrastructure;

/// <summary>
/// The PostgreSQL server of the test run. With LICENSECONSOLE_TEST_POSTGRES set (a connection string to a
/// server whose user may create databases) that server is used; otherwise a throwaway cluster is started
/// from the installed server binaries and stopped at the end. A missing PostgreSQL fails the run; it never
/// skips the tests.
/// </summary>
public sealed class PostgresServer : IAsyncLifetime
{
    public const string ConnectionStringVariable = "LICENSECONSOLE_TEST_POSTGRES";
    private readonly string _runId = Guid.NewGuid().ToString("N")[..8];
    private readonly SemaphoreSlim _createLock = new(1, 1);
    private readonly List<string> _databases = [];
    private string? _clusterDirectory;
    private string? _binDirectory;
    private bool _templateReady;

    /// <summary>Connection string to the server's maintenance database.</summary>
    public string AdminConnectionString { get; private set; } = "";

    /// <summary>True when this run started (and will stop) its own cluster.</summary>
    public bool OwnsCluster => _clusterDirectory is not null;

    public string? BinDirectory => _binDirectory;

    private string TemplateName => $"lc_template_{_runId}";

    public async ValueTask InitializeAsync()
    {
        var external = Environment.GetEnvironmentVariable(ConnectionStringVariable);
        if (!string.IsNullOrWhiteSpace(external))
        {
            AdminConnectionString = external;
        }
        else
        {
            await StartClusterAsync();
        }

        await using var connection = new NpgsqlConnection(AdminConnectionString);
        await connection.OpenAsync();
    }

    /// <summary>A new, migrated, empty database (copied from a template migrated once per run).</summary>
    public async Task<string> CreateDatabaseAsync(string purpose)
    {
        await _createLock.WaitAsync();
        try
        {
            if (!_templateReady)
            {
                await ExecuteAdminAsync($"CREATE DATABASE {TemplateName}");
                _databases.Add(TemplateName);
                await MigrateAsync(ConnectionStringFor(TemplateName));
                NpgsqlConnection.ClearAllPools();
                _templateReady = true;
            }

            var name = $"lc_{purpose.ToLowerInvariant()}_{_runId}_{_databases.Count}";
            await ExecuteAdminAsync($"CREATE DATABASE {name} TEMPLATE {TemplateName}");
            _databases.Add(name);
            return ConnectionStringFor(name);
        }
        finally
        {
            _createLock.Release();
        }
    }

    public string ConnectionStringFor(string database) =>
        new NpgsqlConnectionStringBuilder(AdminConnectionString) { Database = database, MaxPoolSize = 100 }.ToString();

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        if (OwnsCluster)
        {
            await RunAsync("pg_ctl", ["-D", DataDirectory, "-m", "immediate", "-w", "stop"], allowFailure: true);
            TryDelete(_clusterDirectory!);
            return;
        }

        foreach (var database in _databases.AsEnumerable().Reverse())
        {
            try
            {
                await ExecuteAdminAsync($"DROP DATABASE IF EXISTS {database} WITH (FORCE)");
            }
            catch (NpgsqlException)
            {
                // Leaving a database behind on a shared server is untidy, not a test failure.
            }
        }
    }

    internal static async Task MigrateAsync(string connectionString)
    {
        var options = DatabaseServiceCollectionExtensions
            .Configure(new DbContextOptionsBuilder<LicenseConsoleDbContext>(), new DatabaseConnection(DatabaseProvider.Postgres, connectionString))
            .Options;
        await using var db = new LicenseConsoleDbContext((DbContextOptions<LicenseConsoleDbContext>)options, new TenantContext());
        await db.Database.MigrateAsync();
    }

    private string DataDirectory => Path.Combine(_clusterDirectory!, "data");

    private async Task ExecuteAdminAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(AdminConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private async Task StartClusterAsync()
    {
        _binDirectory = FindBinDirectory() ?? throw new InvalidOperationException(
            "PostgreSQL server binaries were not found (looked for /usr/lib/postgresql/*/bin/initdb and LICENSECONSOLE_PG_BIN). " +
            "Install them (apt-get install -y postgresql-15) or set " + ConnectionStringVariable + " to a server's connection string.");

        _clusterDirectory = Path.Combine(Path.GetTempPath(), $"lc-pg-{_runId}");
        Directory.CreateDirectory(_clusterDirectory);
        if (IsRoot)
        {
            // The server refuses to run as root: the cluster belongs to the postgres user.
            await RunRawAsync("chown", ["postgres:postgres", _clusterDirectory]);
        }

        await RunAsync("initdb", ["-D", DataDirectory, "-U", "postgres", "-A", "trust", "--no-sync", "-E", "UTF8", "--locale=C"]);
        var port = FreePort();
        var settings = string.Join(' ',
            $"-p {port}",
            $"-k {_clusterDirectory}",
            "-c listen_addresses=127.0.0.1",
            "-c max_connections=300",
            "-c shared_buffers=128MB",
            "-c fsync=off",
            "-c synchronous_commit=off",
            "-c full_page_writes=off");
        await RunAsync("pg_ctl", ["-D", DataDirectory, "-w", "-t", "60", "-l", Path.Combine(_clusterDirectory, "server.log"), "-o", settings, "start"]);
        AdminConnectionString = $"Host=127.0.0.1;Port={port};Username=postgres;Database=postgres;Pooling=true;Timeout=15";
        AppDomain.CurrentDomain.ProcessExit += (_, _) => StopQuietly();
    }

    private void StopQuietly()
    {
        if (_clusterDirectory is null || !Directory.Exists(DataDirectory))
        {
            return;
        }

        try
        {
            RunAsync("pg_ctl", ["-D", DataDirectory, "-m", "immediate", "stop"], allowFailure: true).GetAwaiter().GetResult();
        }
        catch (InvalidOperationException)
        {
            // Best effort at process exit.
        }
    }

    private static string? FindBinDirectory()
    {
        var configured = Environment.GetEnvironmentVariable("LICENSECONSOLE_PG_BIN");
        if (!string.IsNullOrWhiteSpace(configured) && File.Exists(Path.Combine(configured, "initdb")))
        {
            return configured;
        }

        const string root = "/usr/lib/postgresql";
        if (!Directory.Exists(root))
        {
            return null;
        }

        return Directory.GetDirectories(root)
            .Select(d => (Version: int.TryParse(Path.GetFileName(d), out var v) ? v : 0, Bin: Path.Combine(d, "bin")))
            .Where(d => File.Exists(Path.Combine(d.Bin, "initdb")))
            .OrderByDescending(d => d.Version)
            .Select(d => d.Bin)
            .FirstOrDefault();
    }

    private static bool IsRoot => Environment.UserName == "root";

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Runs a server binary, as the postgres user when the tests run as root.</summary>
    private Task RunAsync(string binary, IReadOnlyList<string> arguments, bool allowFailure = false)
    {
        var path = Path.Combine(_binDirectory!, binary);
        return IsRoot
            ? RunRawAsync("runuser", ["-u", "postgres", "--", path, .. arguments], allowFailure)
            : RunRawAsync(path, arguments, allowFailure);
    }

    private static async Task RunRawAsync(string fileName, IReadOnlyList<string> arguments, bool allowFailure = false)
    {
        var start = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetTempPath(),
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {fileName}.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0 && !allowFailure)
        {
            throw new InvalidOperationException(
                $"{fileName} {string.Join(' ', arguments)} exited with {process.ExitCode}:\n{await stdout}\n{await stderr}");
        }
    }

    private static void TryDelete(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
