namespace LicenseConsole.Devices;

/// <summary>A device of a product, identified by its device key (DK), with its current license period.</summary>
public sealed class Device
{
    public long Id { get; init; }
    public Guid AccountId { get; init; }
    public long ProductId { get; init; }
    public Products.Product? Product { get; init; }

    /// <summary>The device key, lower-cased, unique within its product.</summary>
    public required string DeviceKey { get; init; }

    /// <summary>Per-device auto-renew; false puts the device on the product's auto-renew blacklist.</summary>
    public bool AutoRenew { get; set; } = true;

    public DateTime CreatedAt { get; init; }

    /// <summary>Start of the device's first license period.</summary>
    public DateTime? FirstActivatedAt { get; set; }

    /// <summary>Start of the current (or last) license period.</summary>
    public DateTime? ActivatedAt { get; set; }

    /// <summary>End of the current (or last) license period.</summary>
    public DateTime? ExpiresAt { get; set; }

    /// <summary>Set when the license expired without renewal; the worker no longer renews it.</summary>
    public DateTime? LapsedAt { get; set; }

    /// <summary>Why the license lapsed: no license left in the pool, or auto-renew off.</summary>
    public LapseReason? LapseReason { get; set; }

    public int ActivationCount { get; set; }
    public string? LastDataCenter { get; set; }
    public DateTime? LastConnectedAt { get; set; }
    public DateTime? DeletedAt { get; set; }
}
