namespace LicenseConsole.Devices;

/// <summary>Why a license was consumed.</summary>
public enum ActivationKind
{
    /// <summary>The device's first connection (or its first after a deletion outlived its license).</summary>
    First,

    /// <summary>Auto-renewal at expiry; the period starts where the previous one ended.</summary>
    Renewal,

    /// <summary>A connection after the license had lapsed; the period starts at that connection.</summary>
    AfterLapse,
}
