using System.Globalization;

namespace LicenseConsole.Bench;

/// <summary>Samples a process's resident memory (VmRSS, from /proc) while a measurement runs.</summary>
public sealed class MemoryProbe : IAsyncDisposable
{
    private readonly int _processId;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _sampling;

    private MemoryProbe(int processId)
    {
        _processId = processId;
        StartMb = ResidentMb(processId);
        PeakMb = StartMb;
        _sampling = SampleAsync();
    }

    public double StartMb { get; }

    public double PeakMb { get; private set; }

    public static MemoryProbe Start(int processId) => new(processId);

    public static double ResidentMb(int processId)
    {
        foreach (var line in File.ReadLines($"/proc/{processId}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                var kb = long.Parse(line["VmRSS:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
                return kb / 1024.0;
            }
        }

        return double.NaN;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _sampling;
        }
        catch (OperationCanceledException)
        {
            // Stopped.
        }

        _stop.Dispose();
    }

    private async Task SampleAsync()
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(50));
        while (await timer.WaitForNextTickAsync(_stop.Token))
        {
            PeakMb = Math.Max(PeakMb, ResidentMb(_processId));
        }
    }
}
