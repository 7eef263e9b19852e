using System.Diagnostics;
using System.Globalization;
using LicenseConsole.TestSupport;

namespace LicenseConsole.Bench;

/// <summary>The app's thread-time samples during one load: the methods the app's threads spent the most time in.</summary>
public sealed record AppProfile(string Load, string Exclusive, string Inclusive);

/// <summary>
/// With <c>--trace</c>, the app's side of a load: dotnet-trace (a local tool of the repository, restored by
/// <c>dotnet tool restore</c>) samples every managed thread's stack about 100 times a second while the load runs,
/// waiting threads included, and its report names the methods that were on the stack the longest, by their own time
/// and with what they called.
/// </summary>
public static class AppTrace
{
    private const int TopMethods = 25;

    /// <summary>Runs <paramref name="load"/> while sampling the process <paramref name="processId"/> for <paramref name="duration"/>.</summary>
    public static async Task<(T Result, AppProfile Profile)> DuringAsync<T>(string name, int processId, TimeSpan duration, Func<Task<T>> load)
    {
        var file = Path.Combine(Path.GetTempPath(), $"lc-trace-{Guid.NewGuid():N}.nettrace");
        try
        {
            var collect = ToolAsync("collect", "-p", processId.ToString(CultureInfo.InvariantCulture), "--profile", "dotnet-sampled-thread-time",
                "--duration", duration.ToString(@"hh\:mm\:ss", CultureInfo.InvariantCulture), "-o", file);
            var result = await load();
            await collect;
            var exclusive = await ToolAsync("report", file, "topN", "-n", TopMethods.ToString(CultureInfo.InvariantCulture));
            var inclusive = await ToolAsync("report", file, "topN", "-n", TopMethods.ToString(CultureInfo.InvariantCulture), "--inclusive");
            return (result, new AppProfile(name, exclusive.Trim(), inclusive.Trim()));
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static async Task<string> ToolAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = AppPublisher.RepositoryRoot,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "dotnet-trace" }.Concat(arguments))
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet-trace did not start.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return process.ExitCode == 0
            ? await output
            : throw new InvalidOperationException($"dotnet-trace {string.Join(' ', arguments)} exited {process.ExitCode}: {await error}{await output}");
    }
}
