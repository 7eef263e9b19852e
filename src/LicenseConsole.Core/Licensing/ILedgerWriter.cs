using LicenseConsole.Data;
using LicenseConsole.Devices;

namespace LicenseConsole.Licensing;

/// <summary>A product as the connection rules see it.</summary>
public sealed record ProductLedgerState(long Id, Guid AccountId, string? SpecCode, int? ValidityMonths, bool AutoRenew, bool Deleted);

/// <summary>A device as the connection rules see it.</summary>
public sealed record DeviceLedgerState(
    long Id, int ActivationCount, DateTime? ActivatedAt, DateTime? ExpiresAt, DateTime? LapsedAt, DateTime? DeletedAt,
    bool AutoRenew, string? LastDataCenter, DateTime? LastConnectedAt);

/// <summary>A connection's product and, unless the device was never seen, its device.</summary>
public sealed record ConnectionState(ProductLedgerState Product, DeviceLedgerState? Device);

/// <summary>A license that expired with neither renewal nor lapse recorded: the renewal worker's queue.</summary>
public sealed record DueRenewal(
    long DeviceId, Guid AccountId, long ProductId, int ActivationCount, DateTime ExpiresAt, string DataCenter,
    string? SpecCode, int? ValidityMonths, bool DeviceAutoRenew, bool ProductAutoRenew);

/// <summary>
/// The ledger on one database provider, and the only code that takes a license and records its period: device
/// connections (single and in bulk), the renewal worker and the demo data all write through it. It reads what
/// the rules decide on, and writes what a planner decided, in the caller's transaction: it claims devices by their
/// activation count, takes licenses with a guarded update that never goes beyond a pool's total, and records one
/// activation per license (unique per device and period start).
/// </summary>
public interface ILedgerWriter
{
    /// <summary>Each connection's product and device, in input order; null for a product key nobody holds.</summary>
    Task<IReadOnlyList<ConnectionState?>> ReadConnectionsAsync(LicenseConsoleDbContext db, IReadOnlyList<ConnectionRequest> requests, CancellationToken cancellationToken);

    /// <summary>Up to <paramref name="limit"/> licenses due for renewal or lapse at <paramref name="now"/>, oldest expiry first.</summary>
    Task<IReadOnlyList<DueRenewal>> ReadRenewalsDueAsync(LicenseConsoleDbContext db, DateTime now, int limit, CancellationToken cancellationToken);

    /// <summary>
    /// True when this transaction may renew: one renewer at a time across app instances, so that "oldest
    /// first" holds platform-wide. Held until the transaction ends.
    /// </summary>
    Task<bool> TryTakeRenewalTurnAsync(LicenseConsoleDbContext db, CancellationToken cancellationToken);

    /// <summary>Writes <paramref name="work"/> in the context's open transaction; see <see cref="LedgerResult"/>.</summary>
    Task<LedgerResult> WriteAsync(LicenseConsoleDbContext db, LedgerWork work, DateTime now, CancellationToken cancellationToken);
}
