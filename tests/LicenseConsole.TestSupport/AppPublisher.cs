using System.Diagnostics;

namespace LicenseConsole.TestSupport;

/// <summary>Publishes the web app as built (no new build), for running it as a process of its own.</summary>
public static class AppPublisher
{
    private static readonly Lock PublishedLock = new();
    private static Task<string>? _published;

    /// <summary>The repository's root (the folder of LicenseConsole.sln).</summary>
    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    /// <summary>
    /// The app published once for this test process (in the configuration the tests were built in), however
    /// many fixtures ask: each publish costs half a minute. The folder goes when the process ends.
    /// </summary>
    public static Task<string> PublishedOnceAsync(string configuration)
    {
        lock (PublishedLock)
        {
            return _published ??= PublishForProcessAsync(configuration);
        }
    }

    public static async Task PublishAsync(string configuration, string outputDirectory, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = RepositoryRoot,
        };
        foreach (var argument in new[]
        {
            "publish", Path.Combine("src", "LicenseConsole.Web", "LicenseConsole.Web.csproj"),
            "-c", configuration, "--no-build", "--nologo", "-o", outputDirectory,
        })
        {
            start.ArgumentList.Add(argument);
        }

        // The caller may run under MSBuild's or the test platform's environment; the publish is a build of its own.
        foreach (var inherited in start.Environment.Keys.Where(k => k.StartsWith("MSBUILD", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            start.Environment.Remove(inherited);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start dotnet publish.");
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        if (process.ExitCode != 0 || !File.Exists(Path.Combine(outputDirectory, "LicenseConsole.Web.dll")))
        {
            throw new InvalidOperationException(
                $"dotnet publish of the web app ({configuration}, --no-build) failed with {process.ExitCode}. Build the solution in that configuration first.\n{await stdout}\n{await stderr}");
        }
    }

    private static async Task<string> PublishForProcessAsync(string configuration)
    {
        var directory = Path.Combine(Path.GetTempPath(), $"lc-app-{Guid.NewGuid():N}");
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try
            {
                Directory.Delete(directory, recursive: true);
            }
            catch (DirectoryNotFoundException)
            {
                // Never published.
            }
        };
        await PublishAsync(configuration, directory, CancellationToken.None);
        return directory;
    }

    private static string FindRepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "LicenseConsole.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"LicenseConsole.sln was not found above {AppContext.BaseDirectory}.");
    }
}
