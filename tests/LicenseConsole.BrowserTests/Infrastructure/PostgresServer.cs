using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace LicenseConsole.BrowserTests.Infrastructure;

/// <summary>
/// The PostgreSQL server of the run, as the integration tests start it (copied from their PostgresServer, less
/// the migrated template: here the app migrates its own database when it starts). With LICENSECONSOLE_TEST_POSTGRES
/// set that server is used; otherwise a throwaway cluster is started from the installed server binaries (as the
/// postgres user when the tests run as root) and stopped at the end. A missing PostgreSQL fails the run.
/// </summary>
public sealed class PostgresServer : IAsyncDisposable
{
    public const string ConnectionStringVariable = "LICENSECONSOLE_TEST_POSTGRES";
    private readonly string _runId = Guid.NewGuid().ToString("N")[..8];
    private readonly List<string> _databases = [];
    private string? _clusterDirectory;
    private string? _binDirectory;

    /// <summary>Connection string to the server's maintenance database.</summary>
    public string AdminConnectionString { get; private set; } = "";

    private bool OwnsCluster => _clusterDirectory is not null;

    private string DataDirectory => Path.Combine(_clusterDirectory!, "data");

    private static bool IsRoot => Environment.UserName == "root";

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var external = Environment.GetEnvironmentVariable(ConnectionStringVariable);
        if (!string.IsNullOrWhiteSpace(external))
        {
            AdminConnectionString = external;
        }
        else
        {
            await StartClusterAsync(cancellationToken);
        }

        await using var connection = new NpgsqlConnection(AdminConnectionString);
        await connection.OpenAsync(cancellationToken);
    }

    /// <summary>A new, empty database; the app brings it to the current schema when it starts.</summary>
    public async Task<string> CreateDatabaseAsync(string purpose, CancellationToken cancellationToken)
    {
        var name = $"lc_{purpose.ToLowerInvariant()}_{_runId}_{_databases.Count}";
        await ExecuteAdminAsync($"CREATE DATABASE {name}", cancellationToken);
        _databases.Add(name);
        return new NpgsqlConnectionStringBuilder(AdminConnectionString) { Database = name }.ToString();
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        if (OwnsCluster)
        {
            await RunAsync("pg_ctl", ["-D", DataDirectory, "-m", "immediate", "-w", "stop"], CancellationToken.None, allowFailure: true);
            TryDelete(_clusterDirectory!);
            return;
        }

        foreach (var database in _databases)
        {
            try
            {
                await ExecuteAdminAsync($"DROP DATABASE IF EXISTS {database} WITH (FORCE)", CancellationToken.None);
            }
            catch (NpgsqlException)
            {
                // Leaving a database behind on a shared server is untidy, not a test failure.
            }
        }
    }

    private async Task ExecuteAdminAsync(string sql, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(AdminConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private async Task StartClusterAsync(CancellationToken cancellationToken)
    {
        _binDirectory = FindBinDirectory() ?? throw new InvalidOperationException(
            "PostgreSQL server binaries were not found (looked for /usr/lib/postgresql/*/bin/initdb and LICENSECONSOLE_PG_BIN). " +
            "Install them (apt-get install -y postgresql-15) or set " + ConnectionStringVariable + " to a server's connection string.");

        _clusterDirectory = Path.Combine(Path.GetTempPath(), $"lc-browser-pg-{_runId}");
        Directory.CreateDirectory(_clusterDirectory);
        if (IsRoot)
        {
            // The server refuses to run as root: the cluster belongs to the postgres user.
            await RunRawAsync("chown", ["postgres:postgres", _clusterDirectory], cancellationToken);
        }

        await RunAsync("initdb", ["-D", DataDirectory, "-U", "postgres", "-A", "trust", "--no-sync", "-E", "UTF8", "--locale=C"], cancellationToken);
        var port = FreePort();
        var settings = string.Join(' ',
            $"-p {port}",
            $"-k {_clusterDirectory}",
            "-c listen_addresses=127.0.0.1",
            "-c fsync=off",
            "-c synchronous_commit=off",
            "-c full_page_writes=off");
        await RunAsync("pg_ctl", ["-D", DataDirectory, "-w", "-t", "60", "-l", Path.Combine(_clusterDirectory, "server.log"), "-o", settings, "start"], cancellationToken);
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
            RunAsync("pg_ctl", ["-D", DataDirectory, "-m", "immediate", "stop"], CancellationToken.None, allowFailure: true).GetAwaiter().GetResult();
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

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Runs a server binary, as the postgres user when the tests run as root.</summary>
    private Task RunAsync(string binary, IReadOnlyList<string> arguments, CancellationToken cancellationToken, bool allowFailure = false)
    {
        var path = Path.Combine(_binDirectory!, binary);
        return IsRoot
            ? RunRawAsync("runuser", ["-u", "postgres", "--", path, .. arguments], cancellationToken, allowFailure)
            : RunRawAsync(path, arguments, cancellationToken, allowFailure);
    }

    private static async Task RunRawAsync(string fileName, IReadOnlyList<string> arguments, CancellationToken cancellationToken, bool allowFailure = false)
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
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
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
