using System.Diagnostics;

namespace LicenseConsole.TestSupport;

/// <summary>What an operator command printed, and its exit code.</summary>
public sealed record CommandResult(int ExitCode, string Output, string Error);

/// <summary>An operator command (e.g. <c>verify</c>) of the published app, run as an operator runs it: <c>dotnet LicenseConsole.Web.dll verify</c>.</summary>
public static class ConsoleCommand
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    /// <summary>Runs the command in <paramref name="publishDirectory"/> with these settings in its environment.</summary>
    public static async Task<CommandResult> RunAsync(
        string publishDirectory, IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string> settings, CancellationToken cancellationToken,
        string environment = "Production")
    {
        using var process = Process.Start(ConsoleProcess.StartInfo(publishDirectory, arguments, settings, environment)) ?? throw new InvalidOperationException("Could not start dotnet.");
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"'{string.Join(' ', arguments)}' did not finish within {Timeout}.");
        }

        return new CommandResult(process.ExitCode, await stdout, await stderr);
    }
}
