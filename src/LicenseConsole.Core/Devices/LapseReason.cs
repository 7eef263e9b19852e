namespace LicenseConsole.Devices;

/// <summary>Why a device's license expired without renewal.</summary>
public enum LapseReason
{
    /// <summary>Auto-renew was in effect but the product's pool had no license left.</summary>
    NoLicense,

    /// <summary>Auto-renew was off for the product or the device (blacklisted).</summary>
    AutoRenewOff,
}
