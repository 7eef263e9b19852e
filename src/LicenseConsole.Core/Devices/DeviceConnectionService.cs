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
/// The gateway's question on every device connection (SPEC rules 3 to 7), one connection at a time: decided by
/// <see cref="ConnectionRules"/> from the device's state, consumed through <see cref="LicenseConsumption"/>.
/// On SQLite this answers every connection; on PostgreSQL <see cref="BatchedDeviceConnections"/> does, and
/// hands here the rare connection a batch could not settle.
/// </summary>
public sealed class DeviceConnectionService(LicenseConsoleDbContext db, LicenseConsumption consumption, TimeProvider clock) : IDeviceConnections
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
            ?? throw Refusals.GatewayProductNotFound.Error();
        if (product.Deleted)
        {
            throw Refusals.ProductDeleted.Error();
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
                    await consumption.MarkLapsedAsync(device.Id, device.ActivationCount, LapseReason.AutoRenewOff, cancellationToken);
                    throw Refusals.AutoRenewOff.Error();

                default:
                    var start = step == ConnectionStep.ConsumeRenewal ? device.ExpiresAt!.Value : now;
                    var (result, expiresAt) = product.ValidityMonths is { } months
                        ? await consumption.ConsumeAsync(new ConsumptionRequest(
                            product.AccountId, product.Id, product.SpecCode!, months, device.Id, device.ActivationCount,
                            start, ConnectionRules.KindOf(step), dc, Connecting: true), cancellationToken)
                        : (ConsumptionResult.NoLicense, default); // never licensed: no spec, empty pool
                    if (result == ConsumptionResult.Consumed)
                    {
                        if (expiresAt <= now)
                        {
                            // Renewed where the last period ended, and that period is over too: renew again.
                            continue;
                        }

                        var outcome = step == ConnectionStep.ConsumeFirst ? ConnectionResult.Activated : ConnectionResult.Renewed;
                        return new ConnectionOutcome(outcome, true, start, expiresAt);
                    }

                    if (result == ConsumptionResult.NoLicense)
                    {
                        if (step == ConnectionStep.ConsumeRenewal)
                        {
                            await consumption.MarkLapsedAsync(device.Id, device.ActivationCount, LapseReason.NoLicense, cancellationToken);
                        }

                        throw Refusals.NoLicenseAvailable.Error();
                    }

                    continue;
            }
        }

        throw Refusals.DeviceBusy.Error();
    }

    internal static (string ProductKey, string DeviceKey, string DataCenter) Validate(string? productKey, string? deviceKey, string? dataCenter)
    {
        var pk = Keys.Normalize(productKey ?? "");
        if (!Keys.IsValidKey(pk))
        {
            throw Refusals.ProductKeyInvalid.Error();
        }

        var dk = Keys.Normalize(deviceKey ?? "");
        if (!Keys.IsValidKey(dk))
        {
            throw Refusals.DeviceKeyInvalid.Error();
        }

        var dc = Keys.Normalize(dataCenter ?? "");
        if (!DataCenter.Catalog.Any(d => d.Code == dc))
        {
            throw Refusals.DataCenterUnknown.Error(("known", string.Join(", ", DataCenter.Catalog.Select(d => d.Code))));
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

    private sealed record ProductState(long Id, Guid AccountId, string? SpecCode, bool AutoRenew, bool Deleted, int? ValidityMonths);

    private sealed record DeviceRow(
        long Id, int ActivationCount, DateTime? ActivatedAt, DateTime? ExpiresAt, DateTime? LapsedAt, DateTime? DeletedAt,
        bool AutoRenew, string? LastDataCenter, DateTime? LastConnectedAt);
}
