using LicenseConsole.Accounts;
using LicenseConsole.Common;
using LicenseConsole.Data;
using Microsoft.EntityFrameworkCore;

namespace LicenseConsole.Devices;

/// <summary>What a connection did.</summary>
public enum ConnectionResult
{
    /// <summary>First connection: a license was consumed.</summary>
    Activated,

    /// <summary>The license is valid: nothing was consumed.</summary>
    Valid,

    /// <summary>The license had expired and auto-renew is in effect: a license was consumed.</summary>
    Renewed,

    /// <summary>A deleted device came back within its license's validity: nothing was consumed.</summary>
    Restored,
}

/// <summary>The answer to the gateway: may the device connect, and until when.</summary>
public sealed record ConnectionOutcome(ConnectionResult Result, bool Consumed, DateTime ActivatedAt, DateTime ExpiresAt);

/// <summary>
/// The gateway's question on every device connection (SPEC rules 3 to 7). Consumption is one transaction:
/// claim the device row by its activation count (so one device connecting many times at once consumes
/// once), take one license from the pool with a guarded update (so the pool is never overdrawn), record
/// the activation (unique per device and period start).
/// </summary>
public sealed class DeviceConnectionService(LicenseConsoleDbContext db, TimeProvider clock)
{
    private const int MaxAttempts = 20;

    // Reconnections are reads; the last-seen time is written at most this often per device.
    private static readonly TimeSpan LastSeenGranularity = TimeSpan.FromHours(1);

    public async Task<ConnectionOutcome> ConnectAsync(string? productKey, string? deviceKey, string? dataCenter, CancellationToken cancellationToken = default)
    {
        var (pk, dk, dc) = Validate(productKey, deviceKey, dataCenter);
        var product = await db.Products.AsNoTracking()
            .Where(p => p.ProductKey == pk)
            .Select(p => new ProductState(
                p.Id, p.AccountId, p.SpecCode, p.AutoRenew, p.DeletedAt != null,
                db.LicenseSpecs.Where(s => s.Code == p.SpecCode).Select(s => (int?)s.ValidityMonths).FirstOrDefault()))
            .SingleOrDefaultAsync(cancellationToken)
            ?? throw new DomainException(ErrorCodes.ProductNotFound, "No product has this key.", "productKey");
        if (product.Deleted)
        {
            throw new DomainException(ErrorCodes.ProductDeleted, "The product was deleted; its devices can no longer connect.", "productKey");
        }

        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var now = clock.GetUtcNow().UtcDateTime;
            var device = await ReadDeviceAsync(product.Id, dk, cancellationToken)
                ?? await CreateDeviceAsync(product, dk, dc, now, cancellationToken);
            var step = ConnectionRules.Decide(new DeviceLicenseState(device.ExpiresAt, device.LapsedAt, device.DeletedAt, device.AutoRenew), product.AutoRenew, now);
            switch (step)
            {
                case ConnectionStep.Valid:
                    await TouchAsync(device, dc, now, cancellationToken);
                    return new ConnectionOutcome(ConnectionResult.Valid, false, device.ActivatedAt!.Value, device.ExpiresAt!.Value);

                case ConnectionStep.Restore:
                    if (await RestoreAsync(device, dc, now, cancellationToken))
                    {
                        return new ConnectionOutcome(ConnectionResult.Restored, false, device.ActivatedAt!.Value, device.ExpiresAt!.Value);
                    }

                    continue;

                case ConnectionStep.RefuseAutoRenewOff:
                    await MarkLapsedAsync(device, LapseReason.AutoRenewOff, cancellationToken);
                    throw new DomainException(ErrorCodes.AutoRenewOff,
                        "The device's license has expired and auto-renew is off for its product or for the device.", "deviceKey");

                default:
                    var start = step == ConnectionStep.ConsumeRenewal ? device.ExpiresAt!.Value : now;
                    var consumed = await ConsumeAsync(product, device, start, ConnectionRules.KindOf(step), dc, now, cancellationToken);
                    if (consumed is { } period)
                    {
                        if (period.ExpiresAt <= now)
                        {
                            // Renewed where the last period ended, and that period is over too: renew again.
                            continue;
                        }

                        var result = step == ConnectionStep.ConsumeFirst ? ConnectionResult.Activated : ConnectionResult.Renewed;
                        return new ConnectionOutcome(result, true, period.ActivatedAt, period.ExpiresAt);
                    }

                    if (await PoolIsEmptyAsync(product.Id, cancellationToken))
                    {
                        if (step == ConnectionStep.ConsumeRenewal)
                        {
                            await MarkLapsedAsync(device, LapseReason.NoLicense, cancellationToken);
                        }

                        throw new DomainException(ErrorCodes.NoLicenseAvailable,
                            "The product has no license left for this device; allocate more licenses to the product.", "productKey");
                    }

                    continue;
            }
        }

        throw new DomainException(ErrorCodes.Conflict, "The device is being changed by other requests; try again.", "deviceKey");
    }

    internal static (string ProductKey, string DeviceKey, string DataCenter) Validate(string? productKey, string? deviceKey, string? dataCenter)
    {
        var pk = Keys.Normalize(productKey ?? "");
        if (!Keys.IsValidKey(pk))
        {
            throw new DomainException(ErrorCodes.ValidationFailed, "The product key must hold 1 to 64 letters, digits, '-', '_', '.' or ':'.", "productKey");
        }

        var dk = Keys.Normalize(deviceKey ?? "");
        if (!Keys.IsValidKey(dk))
        {
            throw new DomainException(ErrorCodes.ValidationFailed, "The device key must hold 1 to 64 letters, digits, '-', '_', '.' or ':'.", "deviceKey");
        }

        var dc = Keys.Normalize(dataCenter ?? "");
        if (!DataCenter.Catalog.Any(d => d.Code == dc))
        {
            throw new DomainException(ErrorCodes.ValidationFailed,
                $"Unknown data center. Known: {string.Join(", ", DataCenter.Catalog.Select(d => d.Code))}.", "dataCenter");
        }

        return (pk, dk, dc);
    }

    private Task<DeviceRow?> ReadDeviceAsync(long productId, string deviceKey, CancellationToken cancellationToken) =>
        db.Devices.AsNoTracking()
            .Where(d => d.ProductId == productId && d.DeviceKey == deviceKey)
            .Select(d => new DeviceRow(d.Id, d.ActivationCount, d.ActivatedAt, d.ExpiresAt, d.LapsedAt, d.DeletedAt, d.AutoRenew, d.LastDataCenter, d.LastConnectedAt))
            .SingleOrDefaultAsync(cancellationToken);

    /// <summary>The device is created on first sight; two first sights at once create it once.</summary>
    private async Task<DeviceRow> CreateDeviceAsync(ProductState product, string deviceKey, string dataCenter, DateTime now, CancellationToken cancellationToken)
    {
        db.Devices.Add(new Device
        {
            AccountId = product.AccountId,
            ProductId = product.Id,
            DeviceKey = deviceKey,
            CreatedAt = now,
            LastDataCenter = dataCenter,
            LastConnectedAt = now,
        });
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException e) when (DbErrors.IsUniqueViolation(e))
        {
            // Another connection of the same device created it first.
        }
        finally
        {
            db.ChangeTracker.Clear();
        }

        return await ReadDeviceAsync(product.Id, deviceKey, cancellationToken)
            ?? throw new InvalidOperationException("A device just created could not be read back.");
    }

    private async Task TouchAsync(DeviceRow device, string dataCenter, DateTime now, CancellationToken cancellationToken)
    {
        if (device.LastDataCenter == dataCenter && device.LastConnectedAt > now - LastSeenGranularity)
        {
            return;
        }

        await db.Devices.Where(d => d.Id == device.Id)
            .ExecuteUpdateAsync(s => s.SetProperty(d => d.LastDataCenter, dataCenter).SetProperty(d => d.LastConnectedAt, now), cancellationToken);
    }

    private async Task<bool> RestoreAsync(DeviceRow device, string dataCenter, DateTime now, CancellationToken cancellationToken) =>
        await db.Devices
            .Where(d => d.Id == device.Id && d.DeletedAt != null && d.ActivationCount == device.ActivationCount && d.ExpiresAt > now)
            .ExecuteUpdateAsync(s => s
                .SetProperty(d => d.DeletedAt, (DateTime?)null)
                .SetProperty(d => d.LastDataCenter, dataCenter)
                .SetProperty(d => d.LastConnectedAt, now), cancellationToken) == 1;

    private async Task MarkLapsedAsync(DeviceRow device, LapseReason reason, CancellationToken cancellationToken) =>
        await db.Devices
            .Where(d => d.Id == device.Id && d.LapsedAt == null && d.ActivationCount == device.ActivationCount)
            .ExecuteUpdateAsync(s => s.SetProperty(d => d.LapsedAt, d => d.ExpiresAt).SetProperty(d => d.LapseReason, reason), cancellationToken);

    private async Task<bool> PoolIsEmptyAsync(long productId, CancellationToken cancellationToken) =>
        !await db.ProductPools.AnyAsync(pp => pp.ProductId == productId && pp.Used < pp.Total, cancellationToken);

    /// <summary>
    /// Consumes one license for the period starting at <paramref name="start"/>. Null when the device
    /// changed under us (another request won) or the pool had nothing left; the caller looks again.
    /// </summary>
    private async Task<Period?> ConsumeAsync(ProductState product, DeviceRow device, DateTime start, ActivationKind kind, string dataCenter, DateTime now, CancellationToken cancellationToken)
    {
        if (product.ValidityMonths is not { } months)
        {
            // A product that never received a license has no spec and an empty pool.
            return null;
        }

        var end = start.AddMonths(months);
        var strategy = db.Database.CreateExecutionStrategy();
        return await strategy.ExecuteAsync(async () =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var claimed = await db.Devices
                .Where(d => d.Id == device.Id && d.ActivationCount == device.ActivationCount)
                .ExecuteUpdateAsync(s => s
                    .SetProperty(d => d.ActivatedAt, start)
                    .SetProperty(d => d.ExpiresAt, end)
                    .SetProperty(d => d.FirstActivatedAt, d => d.FirstActivatedAt ?? start)
                    .SetProperty(d => d.LapsedAt, (DateTime?)null)
                    .SetProperty(d => d.LapseReason, (LapseReason?)null)
                    .SetProperty(d => d.DeletedAt, (DateTime?)null)
                    .SetProperty(d => d.ActivationCount, d => d.ActivationCount + 1)
                    .SetProperty(d => d.LastDataCenter, dataCenter)
                    .SetProperty(d => d.LastConnectedAt, now), cancellationToken);
            if (claimed == 0)
            {
                await transaction.RollbackAsync(cancellationToken);
                return null;
            }

            var taken = await db.ProductPools
                .Where(pp => pp.ProductId == product.Id && pp.Used < pp.Total && db.Products.Any(p => p.Id == product.Id && p.DeletedAt == null))
                .ExecuteUpdateAsync(s => s.SetProperty(pp => pp.Used, pp => pp.Used + 1), cancellationToken);
            if (taken == 0)
            {
                await transaction.RollbackAsync(cancellationToken);
                return null;
            }

            db.Activations.Add(new Activation
            {
                AccountId = product.AccountId,
                ProductId = product.Id,
                DeviceId = device.Id,
                SpecCode = product.SpecCode!,
                ActivatedAt = start,
                ExpiresAt = end,
                Kind = kind,
                DataCenter = dataCenter,
            });
            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateException e) when (DbErrors.IsUniqueViolation(e))
            {
                // The same period was recorded by someone else (the renewal worker): ours must not count.
                await transaction.RollbackAsync(cancellationToken);
                db.ChangeTracker.Clear();
                return null;
            }

            await transaction.CommitAsync(cancellationToken);
            db.ChangeTracker.Clear();
            return new Period(start, end);
        });
    }

    private sealed record ProductState(long Id, Guid AccountId, string? SpecCode, bool AutoRenew, bool Deleted, int? ValidityMonths);

    private sealed record DeviceRow(
        long Id, int ActivationCount, DateTime? ActivatedAt, DateTime? ExpiresAt, DateTime? LapsedAt, DateTime? DeletedAt,
        bool AutoRenew, string? LastDataCenter, DateTime? LastConnectedAt);

    private sealed record Period(DateTime ActivatedAt, DateTime ExpiresAt);
}
