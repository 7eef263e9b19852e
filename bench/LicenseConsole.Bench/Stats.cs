namespace LicenseConsole.Bench;

/// <summary>
/// What one measured load added up to. A request may carry several units (the connections of a bulk call);
/// <see cref="PerSecond"/> counts units. A load measured in consecutive windows keeps each window's rate.
/// </summary>
public sealed class Stats
{
    public Stats(string name, long requests, TimeSpan elapsed, long errors, double p50, double p95, double p99, int unitsPerRequest = 1, IReadOnlyList<double>? windows = null)
    {
        Name = name;
        Count = requests;
        Elapsed = elapsed;
        Errors = errors;
        P50 = p50;
        P95 = p95;
        P99 = p99;
        UnitsPerRequest = unitsPerRequest;
        Windows = windows ?? [];
    }

    /// <summary>Latencies of sequential requests (a person's view of a page).</summary>
    public Stats(string name, IReadOnlyList<double> latenciesMs, TimeSpan elapsed, long errors)
        : this(name, latenciesMs.Count, elapsed, errors, Percentile(latenciesMs, 0.50), Percentile(latenciesMs, 0.95), Percentile(latenciesMs, 0.99))
    {
    }

    public string Name { get; }
    public long Count { get; }
    public long Errors { get; }
    public int UnitsPerRequest { get; }
    public TimeSpan Elapsed { get; }
    public double PerSecond => (double)Count * UnitsPerRequest / Elapsed.TotalSeconds;
    public double P50 { get; }
    public double P95 { get; }
    public double P99 { get; }

    /// <summary>The rate of each consecutive window, when the load was measured in windows.</summary>
    public IReadOnlyList<double> Windows { get; }

    /// <summary>Consecutive windows of one load as one: rates summed over the whole, latencies of the worst window.</summary>
    public static Stats Joined(string name, IReadOnlyList<Stats> windows) => new(
        name,
        windows.Sum(w => w.Count),
        TimeSpan.FromTicks(windows.Sum(w => w.Elapsed.Ticks)),
        windows.Sum(w => w.Errors),
        windows.Max(w => w.P50), windows.Max(w => w.P95), windows.Max(w => w.P99),
        windows[0].UnitsPerRequest,
        [.. windows.Select(w => w.PerSecond)]);

    private static double Percentile(IReadOnlyList<double> latencies, double p)
    {
        if (latencies.Count == 0)
        {
            return double.NaN;
        }

        var sorted = latencies.Order().ToArray();
        var index = (int)Math.Ceiling(p * sorted.Length) - 1;
        return sorted[Math.Clamp(index, 0, sorted.Length - 1)];
    }
}
