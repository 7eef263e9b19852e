namespace LicenseConsole.Bench;

/// <summary>Latencies of one measured run, and what they add up to.</summary>
public sealed class Stats(string name, IReadOnlyList<double> latenciesMs, TimeSpan elapsed, int errors)
{
    public string Name { get; } = name;
    public int Count => latenciesMs.Count;
    public int Errors { get; } = errors;
    public TimeSpan Elapsed { get; } = elapsed;
    public double PerSecond => Count / Elapsed.TotalSeconds;
    public double P50 => Percentile(0.50);
    public double P95 => Percentile(0.95);
    public double P99 => Percentile(0.99);

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
