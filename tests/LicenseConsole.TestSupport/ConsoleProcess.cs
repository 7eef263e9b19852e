using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;

namespace LicenseConsole.TestSupport;

/// <summary>
/// The published web app running as a child process, as it runs in production (Kestrel, its own configuration),
/// on a loopback port it picks itself. Its output is kept (the last lines) for the report of a failed test.
/// </summary>
public sealed partial class ConsoleProcess : IAsyncDisposable
{
    private const int KeptLines = 150;
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);
    private readonly Process _process;
    private readonly Queue<string> _output = new();
    private readonly Lock _outputLock = new();
    private bool _disposed;
    private readonly TaskCompletionSource<Uri> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private ConsoleProcess(string name, Process process)
    {
        Name = name;
        _process = process;
    }

    public string Name { get; }

    /// <summary><c>dotnet LicenseConsole.Web.dll</c> with these arguments, settings and environment, its output redirected.</summary>
    internal static ProcessStartInfo StartInfo(
        string publishDirectory, IEnumerable<string> arguments, IReadOnlyDictionary<string, string> settings, string environment)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = publishDirectory,
        };
        start.ArgumentList.Add(Path.Combine(publishDirectory, "LicenseConsole.Web.dll"));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // Nothing of the test host's own hosting configuration leaks into the app.
        foreach (var inherited in start.Environment.Keys.Where(k => k.StartsWith("ASPNETCORE_", StringComparison.OrdinalIgnoreCase) || k == "DOTNET_ENVIRONMENT").ToList())
        {
            start.Environment.Remove(inherited);
        }

        start.Environment["ASPNETCORE_ENVIRONMENT"] = environment;
        if (environment == "Production")
        {
            foreach (var (key, value) in DataProtectionCertificate.Settings)
            {
                start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
            }
        }

        foreach (var (key, value) in settings)
        {
            start.Environment[key] = value;
        }

        return start;
    }

    /// <summary>Where the app listens, e.g. http://127.0.0.1:41234/.</summary>
    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>The app's process id (to watch its memory, or to kill it).</summary>
    public int ProcessId => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>Starts the app in <paramref name="publishDirectory"/> with these settings and waits until /health answers 200.</summary>
    public static async Task<ConsoleProcess> StartAsync(
        string name, string publishDirectory, IReadOnlyDictionary<string, string> settings, CancellationToken cancellationToken, string environment = "Testing")
    {
        var start = StartInfo(publishDirectory, ["--contentRoot", publishDirectory, "--urls", "http://127.0.0.1:0"], settings, environment);
        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var app = new ConsoleProcess(name, process);
        process.OutputDataReceived += (_, e) => app.Receive(e.Data);
        process.ErrorDataReceived += (_, e) => app.Receive(e.Data);
        process.Exited += (_, _) => app._listening.TrySetException(new InvalidOperationException($"The app '{name}' exited while starting.\n{app.RecentOutput()}"));
        if (!process.Start())
        {
            throw new InvalidOperationException("Could not start dotnet.");
        }

        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        // Should the test host end without disposing the fixture, the app ends with it rather than linger.
        AppDomain.CurrentDomain.ProcessExit += (_, _) => app.KillQuietly();
        try
        {
            app.BaseAddress = await app._listening.Task.WaitAsync(StartTimeout, cancellationToken);
            await app.WaitUntilHealthyAsync(cancellationToken);
        }
        catch (Exception e) when (e is TimeoutException or HttpRequestException)
        {
            await app.DisposeAsync();
            throw new InvalidOperationException($"The app '{name}' did not start within {StartTimeout}.\n{app.RecentOutput()}", e);
        }

        return app;
    }

    /// <summary>The app's last lines of output (its log), newest last.</summary>
    public string RecentOutput()
    {
        lock (_outputLock)
        {
            return $"--- output of the app '{Name}' (last {_output.Count} lines) ---\n" + string.Join('\n', _output);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        await KillAsync();
        _process.Dispose();
    }

    /// <summary>Ends the app at once (SIGKILL): no graceful shutdown, as in a crash.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync(CancellationToken.None);
        }
    }

    private void KillQuietly()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
            // Disposed already, or never started.
        }
    }

    private void Receive(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_outputLock)
        {
            _output.Enqueue(line);
            if (_output.Count > KeptLines)
            {
                _output.Dequeue();
            }
        }

        if (ListeningPattern().Match(line) is { Success: true } match)
        {
            _listening.TrySetResult(new Uri(match.Groups[1].Value.TrimEnd('/') + "/"));
        }
    }

    private async Task WaitUntilHealthyAsync(CancellationToken cancellationToken)
    {
        using var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(10) };
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(StartTimeout);
        while (true)
        {
            using var response = await client.GetAsync("health", timeout.Token);
            if (response.StatusCode == HttpStatusCode.OK)
            {
                return;
            }

            // The app listens before its database is reachable only in odd set-ups: ask again shortly.
            await Task.Delay(TimeSpan.FromMilliseconds(200), timeout.Token);
        }
    }

    [GeneratedRegex(@"Now listening on: (http://\S+)")]
    private static partial Regex ListeningPattern();
}
