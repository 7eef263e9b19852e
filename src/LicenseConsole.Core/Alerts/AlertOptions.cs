using System.ComponentModel.DataAnnotations;

namespace LicenseConsole.Alerts;

/// <summary>Configuration section <c>Alerts</c>.</summary>
public sealed class AlertOptions
{
    public const string Section = "Alerts";

    /// <summary>A pool with this share of its total or less left raises a low-pool alert.</summary>
    [Range(0, 100)]
    public int LowPoolPercent { get; set; } = 10;
}
