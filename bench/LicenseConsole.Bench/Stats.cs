namespace LicenseConsole.Bench;

/// <summary>
/// Latencies of one measured run, and what they add up to. A request may carry several units (the connections of
/// a bulk call); <see cref="PerSecond"/> counts units.
/// </summary>
public sealed class Stats(string name, IReadOnlyList<double> latenciesMs, TimeSpan elapsed, int errors, int unitsPerRequest = 1, IReadOnlyList<double>? completedAtSeconds = null)
{
    public string Name { get; } = name;
    public int Count => latenciesMs.Count;
    public int Errors { get; } = errors;
    public int UnitsPerRequest { get; } = unitsPerRequest;
    public TimeSpan Elapsed { get; } = elapsed;
    public double PerSecond => (double)Count * UnitsPerRequest / Elapsed.TotalSeconds;
    public double P50 => Percentile(0.50);
    public double P95 => Percentile(0.95);
    public double P99 => Percentile(0.99);

    /// <summary>The units answered per second in each window of <paramref name="width"/> (the last, partial one left out).</summary>
    public IReadOnlyList<double> PerSecondByWindow(TimeSpan width)
    {
        var completed = completedAtSeconds ?? [];
        var windows = (int)(Elapsed.TotalSeconds / width.TotalSeconds);
        var counts = new long[windows];
        foreach (var at in completed)
        {
            var window = (int)(at / width.TotalSeconds);
            if (window < windows)
            {
                counts[window]++;
            }
        }

        return [.. counts.Select(n => (double)n * UnitsPerRequest / width.TotalSeconds)];
    }

    private double Percentile(double p)
    {
        if (latenciesMs.Count == 0)
        {
            return double.NaN;
        }

        var sorted = latenciesMs.Order().ToArray();
        var index = (int)Math.Ceiling(p * sorted.Length) - 1;
        return sorted[Math.Clamp(index, 0, sorted.Length - 1)];
    }
}
