using System.ComponentModel.DataAnnotations;

namespace LicenseConsole.Renewal;

/// <summary>Configuration section <c>Renewal</c>: the background worker.</summary>
public sealed class RenewalOptions
{
    public const string Section = "Renewal";

    /// <summary>Run the worker in this app instance (renewals, alerts, email).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>How often the worker renews and scans for alerts.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan Interval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Devices renewed (or lapsed) per transaction.</summary>
    [Range(1, 100_000)]
    public int BatchSize { get; set; } = 10_000;
}
