using LicenseConsole.Devices;

namespace LicenseConsole.Licensing;

/// <summary>
/// One license to take for one device and the period it pays for. <see cref="DeviceId"/> null means a device
/// seen for the first time: it is created with its license (one write), or without one when none is left.
/// An existing device is claimed only while its activation count is still <see cref="SeenActivationCount"/>
/// (nobody consumed for it since it was read). <see cref="SpecCode"/> null: the product holds no licenses at
/// all, so nothing is taken (a new device is still created). <see cref="Connecting"/>: the device itself is
/// connecting, so where and when it was seen are recorded and a deleted device comes back; the worker's
/// renewals leave those alone. <see cref="LapseIfRefused"/>: an expired license that finds the pool empty
/// lapses, for this reason.
/// </summary>
public sealed record LicenseGrant(
    long? DeviceId,
    int SeenActivationCount,
    long ProductId,
    Guid AccountId,
    string DeviceKey,
    string? SpecCode,
    DateTime Start,
    DateTime End,
    ActivationKind Kind,
    string DataCenter,
    bool Connecting,
    LapseReason? LapseIfRefused);

/// <summary>A deleted device back within its license's validity: undeleted, nothing consumed.</summary>
public sealed record DeviceRestore(long DeviceId, int SeenActivationCount, string DataCenter);

/// <summary>An expired license that will not be renewed: it lapses where it ended.</summary>
public sealed record DeviceLapse(long DeviceId, int SeenActivationCount, LapseReason Reason);

/// <summary>Where and when a device with a valid license was last seen (bookkeeping, no license involved).</summary>
public sealed record DeviceSighting(long DeviceId, string DataCenter);

/// <summary>Everything one transaction of the ledger writes. Grants are served in their order, per product.</summary>
public sealed class LedgerWork
{
    public List<LicenseGrant> Grants { get; } = [];
    public List<DeviceRestore> Restores { get; } = [];
    public List<DeviceLapse> Lapses { get; } = [];
    public List<DeviceSighting> Sightings { get; } = [];

    public bool IsEmpty => Grants.Count + Restores.Count + Lapses.Count + Sightings.Count == 0;
}

/// <summary>What became of a grant.</summary>
public enum GrantResult
{
    /// <summary>The license was taken and its period recorded.</summary>
    Consumed,

    /// <summary>The device changed since it was read: nothing was taken; read it again.</summary>
    Changed,

    /// <summary>The pool had no license left for it (a new device was created without one).</summary>
    NoLicense,
}

/// <summary>
/// What the ledger writer did, item by item in the order of <see cref="LedgerWork"/>. When <see cref="Conflict"/>
/// is set, a device to be created exists already (another transaction created it since it was read): the
/// caller rolls the transaction back and reads again, so that no answer rests on a stale read.
/// </summary>
public sealed record LedgerResult(
    IReadOnlyList<GrantResult> Grants,
    IReadOnlyList<bool> Restored,
    IReadOnlyList<bool> Lapsed,
    bool Conflict)
{
    public static LedgerResult Nothing { get; } = new([], [], [], false);
}
