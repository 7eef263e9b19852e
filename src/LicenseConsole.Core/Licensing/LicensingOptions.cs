using System.ComponentModel.DataAnnotations;

namespace LicenseConsole.Licensing;

/// <summary>Configuration section <c>Licensing</c>.</summary>
public sealed class LicensingOptions
{
    public const string Section = "Licensing";

    /// <summary>A device whose license has this many days or fewer left is "expiring".</summary>
    [Range(1, 3650)]
    public int ExpiringThresholdDays { get; set; } = 30;
}
