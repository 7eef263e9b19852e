namespace LicenseConsole.Devices;

/// <summary>One license consumed by one device for one period.</summary>
public sealed class Activation
{
    public long Id { get; init; }
    public Guid AccountId { get; init; }
    public long ProductId { get; init; }
    public long DeviceId { get; init; }
    public required string SpecCode { get; init; }
    public DateTime ActivatedAt { get; init; }
    public DateTime ExpiresAt { get; init; }
    public ActivationKind Kind { get; init; }

    /// <summary>The data center the device connected through (for renewals: its last one).</summary>
    public required string DataCenter { get; init; }

    /// <summary>When the license was consumed (a renewal's period may start earlier, where the last one ended).</summary>
    public DateTime RecordedAt { get; init; }
}
