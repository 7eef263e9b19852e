namespace LicenseConsole.Devices;

/// <summary>A device's license status as the console and the API show it.</summary>
public enum DeviceStatus
{
    /// <summary>Seen but never activated (its first connection found no license).</summary>
    Inactive,

    /// <summary>Licensed, with more than the expiring threshold left.</summary>
    Valid,

    /// <summary>Licensed, with the expiring threshold (30 days by default) or fewer left.</summary>
    Expiring,

    /// <summary>Expired moments ago; the worker has not renewed or lapsed it yet.</summary>
    Expired,

    /// <summary>Expired without renewal.</summary>
    Lapsed,

    /// <summary>Deleted; it is restored if it connects within its license's validity.</summary>
    Deleted,
}

public static class DeviceStatuses
{
    public static DeviceStatus Of(DateTime? expiresAt, DateTime? lapsedAt, DateTime? deletedAt, DateTime now, DateTime expiringHorizon) =>
        deletedAt is not null ? DeviceStatus.Deleted
        : expiresAt is null ? DeviceStatus.Inactive
        : expiresAt > expiringHorizon ? DeviceStatus.Valid
        : expiresAt > now ? DeviceStatus.Expiring
        : lapsedAt is not null ? DeviceStatus.Lapsed
        : DeviceStatus.Expired;

    /// <summary>The lower-case name used in the API and in CSV exports.</summary>
    public static string ToApi(this DeviceStatus status) => status.ToString().ToLowerInvariant();
}
