using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace LicenseConsole.TestSupport;

/// <summary>
/// The PostgreSQL server of a test run or a benchmark. With LICENSECONSOLE_TEST_POSTGRES set (a connection
/// string to a server whose user may create databases) that server is used; otherwise a throwaway cluster is
/// started from the installed server binaries on a free loopback port and removed at the end. The server
/// refuses to run as root, so as root the cluster belongs to the postgres user. A missing PostgreSQL fails:
/// nothing that needs it is ever skipped.
/// </summary>
public sealed class PostgresCluster : IAsyncDisposable
{
    public const string ConnectionStringVariable = "LICENSECONSOLE_TEST_POSTGRES";
    private readonly string _runId = Guid.NewGuid().ToString("N")[..8];
    private readonly List<string> _databases = [];
    private readonly IReadOnlyList<string> _settings;
    private string? _clusterDirectory;

    /// <param name="durable">
    /// False for tests (no fsync: a crash of the test machine loses nothing that matters); true for
    /// benchmarks, which measure the database as production runs it.
    /// </param>
    /// <param name="settings">Extra server settings, e.g. "shared_buffers=512MB".</param>
    public PostgresCluster(bool durable = false, params string[] settings)
    {
        _settings = [.. (durable ? [] : new[] { "fsync=off", "synchronous_commit=off", "full_page_writes=off" }), .. settings];
    }

    /// <summary>Connection string to the server's maintenance database.</summary>
    public string AdminConnectionString { get; private set; } = "";

    /// <summary>The server binaries (initdb, pg_ctl, pgbench), when this run started its own cluster.</summary>
    public string? BinDirectory { get; private set; }

    public bool OwnsCluster => _clusterDirectory is not null;

    public int Port { get; private set; }

    private string DataDirectory => Path.Combine(_clusterDirectory!, "data");

    private static bool IsRoot => Environment.UserName == "root";

    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        var external = Environment.GetEnvironmentVariable(ConnectionStringVariable);
        if (!string.IsNullOrWhiteSpace(external))
        {
            AdminConnectionString = external;
            Port = new NpgsqlConnectionStringBuilder(external).Port;
        }
        else
        {
            await StartClusterAsync(cancellationToken);
        }

        await using var connection = new NpgsqlConnection(AdminConnectionString);
        await connection.OpenAsync(cancellationToken);
    }

    /// <summary>A new database (a copy of <paramref name="template"/> when given), dropped at the end on a shared server.</summary>
    public async Task<string> CreateDatabaseAsync(string purpose, string? template = null, CancellationToken cancellationToken = default)
    {
        var name = $"lc_{purpose.ToLowerInvariant()}_{_runId}_{_databases.Count}";
        await ExecuteAdminAsync(template is null ? $"CREATE DATABASE {name}" : $"CREATE DATABASE {name} TEMPLATE {template}", cancellationToken);
        _databases.Add(name);
        return ConnectionStringFor(name);
    }

    public string ConnectionStringFor(string database) =>
        new NpgsqlConnectionStringBuilder(AdminConnectionString) { Database = database, MaxPoolSize = 100 }.ToString();

    public async Task ExecuteAdminAsync(string sql, CancellationToken cancellationToken = default)
    {
        await using var connection = new NpgsqlConnection(AdminConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Stops the server at once, as a crash would (only a cluster this run started).</summary>
    public Task StopAsync() => RunServerBinaryAsync("pg_ctl", ["-D", RequireOwnCluster(), "-m", "immediate", "-w", "stop"], CancellationToken.None);

    /// <summary>Starts the server again on the same port after <see cref="StopAsync"/>.</summary>
    public Task StartAgainAsync(CancellationToken cancellationToken = default) =>
        RunServerBinaryAsync("pg_ctl", ["-D", RequireOwnCluster(), "-w", "-t", "60", "-l", Path.Combine(_clusterDirectory!, "server.log"), "-o", ServerOptions(), "start"], cancellationToken);

    /// <summary>Runs one of the server's binaries (pgbench, say), as the postgres user when run as root; returns its output.</summary>
    public Task<string> RunServerBinaryAsync(string binary, IReadOnlyList<string> arguments, CancellationToken cancellationToken, bool allowFailure = false)
    {
        var path = Path.Combine(BinDirectory ?? FindBinDirectory() ?? throw MissingBinaries(), binary);
        return IsRoot
            ? RunAsync("runuser", ["-u", "postgres", "--", path, .. arguments], cancellationToken, allowFailure)
            : RunAsync(path, arguments, cancellationToken, allowFailure);
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        if (OwnsCluster)
        {
            await RunServerBinaryAsync("pg_ctl", ["-D", DataDirectory, "-m", "immediate", "-w", "stop"], CancellationToken.None, allowFailure: true);
            TryDelete(_clusterDirectory!);
            return;
        }

        foreach (var database in _databases.AsEnumerable().Reverse())
        {
            try
            {
                await ExecuteAdminAsync($"DROP DATABASE IF EXISTS {database} WITH (FORCE)", CancellationToken.None);
            }
            catch (NpgsqlException)
            {
                // Leaving a database behind on a shared server is untidy, not a failure.
            }
        }
    }

    private async Task StartClusterAsync(CancellationToken cancellationToken)
    {
        BinDirectory = FindBinDirectory() ?? throw MissingBinaries();
        _clusterDirectory = Path.Combine(Path.GetTempPath(), $"lc-pg-{_runId}");
        Directory.CreateDirectory(_clusterDirectory);
        if (IsRoot)
        {
            await RunAsync("chown", ["postgres:postgres", _clusterDirectory], cancellationToken);
        }

        await RunServerBinaryAsync("initdb", ["-D", DataDirectory, "-U", "postgres", "-A", "trust", "--no-sync", "-E", "UTF8", "--locale=C"], cancellationToken);
        Port = FreePort();
        await StartAgainAsync(cancellationToken);
        AdminConnectionString = $"Host=127.0.0.1;Port={Port};Username=postgres;Database=postgres;Pooling=true;Timeout=15";
        AppDomain.CurrentDomain.ProcessExit += (_, _) => StopQuietly();
    }

    private string ServerOptions() => string.Join(' ',
        new[] { $"-p {Port}", $"-k {_clusterDirectory}", "-c listen_addresses=127.0.0.1", "-c max_connections=300" }
            .Concat(_settings.Select(s => $"-c {s}")));

    private string RequireOwnCluster() =>
        _clusterDirectory is null ? throw new InvalidOperationException("Only a cluster this run started can be stopped and started.") : DataDirectory;

    private void StopQuietly()
    {
        if (_clusterDirectory is null || !Directory.Exists(DataDirectory))
        {
            return;
        }

        try
        {
            RunServerBinaryAsync("pg_ctl", ["-D", DataDirectory, "-m", "immediate", "stop"], CancellationToken.None, allowFailure: true).GetAwaiter().GetResult();
        }
        catch (InvalidOperationException)
        {
            // Best effort at process exit.
        }
    }

    private static InvalidOperationException MissingBinaries() => new(
        "PostgreSQL server binaries were not found (looked for /usr/lib/postgresql/*/bin/initdb and LICENSECONSOLE_PG_BIN). " +
        "Install them (apt-get install -y postgresql-15) or set " + ConnectionStringVariable + " to a server's connection string.");

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

    private static async Task<string> RunAsync(string fileName, IReadOnlyList<string> arguments, CancellationToken cancellationToken, bool allowFailure = false)
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

        return await stdout + await stderr;
    }

    private static void TryDelete(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is untidy, not a failure.
        }
        catch (UnauthorizedAccessException)
        {
            // Likewise.
        }
    }
}
