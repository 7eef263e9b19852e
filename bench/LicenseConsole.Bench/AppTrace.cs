using System.Diagnostics;
using System.Globalization;

namespace LicenseConsole.Bench;

/// <summary>The app's CPU samples during one load: where its own time went, by function, alone and with what it called.</summary>
public sealed record AppProfile(string Load, string Exclusive, string Inclusive);

/// <summary>
/// With <c>--trace</c>, the app's side of a load: perf (Debian's linux-perf) samples the app's CPU about 1,000 times
/// a second while the load runs, on the kernel's clock (no hardware counters needed). The runtime writes a map of
/// its compiled methods (<c>DOTNET_PerfMapEnabled</c>) and keeps its code in anonymous memory, where perf looks
/// them up in that map (<c>DOTNET_EnableWriteXorExecute=0</c>; the default double mapping hides them from it).
/// </summary>
public static class AppTrace
{
    /// <summary>What the app needs in its environment to be traced.</summary>
    public static IReadOnlyDictionary<string, string> AppSettings { get; } = new Dictionary<string, string>
    {
        ["DOTNET_PerfMapEnabled"] = "1",
        ["DOTNET_EnableWriteXorExecute"] = "0",
    };

    /// <summary>Runs <paramref name="load"/> while sampling the process <paramref name="processId"/> for <paramref name="duration"/>.</summary>
    public static async Task<(T Result, AppProfile Profile)> DuringAsync<T>(string name, int processId, TimeSpan duration, Func<Task<T>> load)
    {
        var file = Path.Combine(Path.GetTempPath(), $"lc-perf-{Guid.NewGuid():N}.data");
        try
        {
            var record = PerfAsync("record", "-e", "cpu-clock", "-F", "999", "-g", "-p", processId.ToString(CultureInfo.InvariantCulture), "-o", file,
                "--", "sleep", ((int)duration.TotalSeconds).ToString(CultureInfo.InvariantCulture));
            var result = await load();
            await record;
            var exclusive = await PerfAsync("report", "-i", file, "--stdio", "--no-children", "--sort", "sym", "--percent-limit", "0.4", "-g", "none");
            var inclusive = await PerfAsync("report", "-i", file, "--stdio", "--children", "--sort", "sym", "--percent-limit", "2", "-g", "none");
            return (result, new AppProfile(name, Table(exclusive), Table(inclusive)));
        }
        finally
        {
            File.Delete(file);
        }
    }

    /// <summary>The report's rows that name a function (native frames without symbols say nothing), shortened.</summary>
    private static string Table(string report) =>
        string.Join('\n', report.Split('\n')
            .Where(l => l.Trim().Length > 0 && !l.StartsWith('#') && !l.Contains("] 0x", StringComparison.Ordinal))
            .Select(l => l.Length > 180 ? l[..180] : l)
            .Take(45));

    private static async Task<string> PerfAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo("perf") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("perf did not start.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return process.ExitCode == 0
            ? await output
            : throw new InvalidOperationException($"perf {string.Join(' ', arguments)} exited {process.ExitCode}: {await error}{await output}");
    }
}
