using LicenseConsole.Data;
using LicenseConsole.Devices;
using Microsoft.EntityFrameworkCore;

namespace LicenseConsole.Licensing;

/// <summary>
/// The ledger writer on SQLite, through EF Core. SQLite has one writer at a time, and a transaction holds the
/// write lock from its start, so the pools read inside it stay as read until it commits; calls into an embedded
/// database cost no round trip, so the grants are written one by one, each guarded as on PostgreSQL.
/// </summary>
public sealed class SqliteLedgerWriter : ILedgerWriter
{
    public async Task<IReadOnlyList<ConnectionState?>> ReadConnectionsAsync(LicenseConsoleDbContext db, IReadOnlyList<ConnectionRequest> requests, CancellationToken cancellationToken)
    {
        var productKeys = requests.Select(r => r.ProductKey).Distinct().ToList();
        var products = await db.Products.AsNoTracking()
            .Where(p => productKeys.Contains(p.ProductKey))
            .Select(p => new
            {
                p.ProductKey,
                State = new ProductLedgerState(
                    p.Id, p.AccountId, p.SpecCode,
                    db.LicenseSpecs.Where(s => s.Code == p.SpecCode).Select(s => (int?)s.ValidityMonths).FirstOrDefault(),
                    p.AutoRenew, p.DeletedAt != null),
            })
            .ToDictionaryAsync(p => p.ProductKey, p => p.State, cancellationToken);
        var productIds = products.Values.Select(p => p.Id).ToList();
        var deviceKeys = requests.Select(r => r.DeviceKey).Distinct().ToList();
        var devices = await db.Devices.AsNoTracking()
            .Where(d => productIds.Contains(d.ProductId) && deviceKeys.Contains(d.DeviceKey))
            .Select(d => new
            {
                d.ProductId,
                d.DeviceKey,
                State = new DeviceLedgerState(d.Id, d.ActivationCount, d.ActivatedAt, d.ExpiresAt, d.LapsedAt, d.DeletedAt, d.AutoRenew, d.LastDataCenter, d.LastConnectedAt),
            })
            .ToDictionaryAsync(d => (d.ProductId, d.DeviceKey), d => d.State, cancellationToken);
        return [.. requests.Select(r => products.TryGetValue(r.ProductKey, out var product)
            ? new ConnectionState(product, devices.GetValueOrDefault((product.Id, r.DeviceKey)))
            : null)];
    }

    public async Task<IReadOnlyList<DueRenewal>> ReadRenewalsDueAsync(LicenseConsoleDbContext db, DateTime now, int limit, CancellationToken cancellationToken) =>
        await db.Devices.AsNoTracking()
            .Where(d => d.ExpiresAt <= now && d.LapsedAt == null && d.DeletedAt == null && d.Product!.DeletedAt == null)
            .OrderBy(d => d.ExpiresAt)
            .Take(limit)
            .Select(d => new DueRenewal(
                d.Id, d.AccountId, d.ProductId, d.ActivationCount, d.ExpiresAt!.Value,
                d.LastDataCenter ?? db.Accounts.Where(a => a.Id == d.AccountId).Select(a => a.DataCenterCode).First(),
                d.Product!.SpecCode,
                db.LicenseSpecs.Where(s => s.Code == d.Product.SpecCode).Select(s => (int?)s.ValidityMonths).FirstOrDefault(),
                d.AutoRenew, d.Product.AutoRenew))
            .ToListAsync(cancellationToken);

    /// <summary>One app instance owns an embedded database: its transaction is the only writer anyway.</summary>
    public Task<bool> TryTakeRenewalTurnAsync(LicenseConsoleDbContext db, CancellationToken cancellationToken) => Task.FromResult(true);

    public async Task<LedgerResult> WriteAsync(LicenseConsoleDbContext db, LedgerWork work, DateTime now, CancellationToken cancellationToken)
    {
        if (db.Database.CurrentTransaction is null)
        {
            throw new InvalidOperationException("The ledger writes only in a transaction the caller opened.");
        }

        var results = new GrantResult[work.Grants.Count];
        var productIds = work.Grants.Select(g => g.ProductId).Distinct().ToList();
        var available = await db.ProductPools.AsNoTracking()
            .Where(pp => productIds.Contains(pp.ProductId) && db.Products.Any(p => p.Id == pp.ProductId && p.DeletedAt == null))
            .ToDictionaryAsync(pp => pp.ProductId, pp => pp.Total - pp.Used, cancellationToken);
        var taken = new Dictionary<long, long>();
        var added = new List<object>();
        try
        {
            for (var i = 0; i < work.Grants.Count; i++)
            {
                var grant = work.Grants[i];
                var claimable = grant.DeviceId is not { } id
                    || await db.Devices.AnyAsync(d => d.Id == id && d.ActivationCount == grant.SeenActivationCount, cancellationToken);
                if (!claimable)
                {
                    results[i] = GrantResult.Changed;
                    continue;
                }

                var granted = grant.SpecCode is not null && available.GetValueOrDefault(grant.ProductId) - taken.GetValueOrDefault(grant.ProductId) > 0;
                var deviceId = grant.DeviceId is { } existing
                    ? granted ? await ClaimAsync(db, existing, grant, now, cancellationToken) : existing
                    : await CreateAsync(db, grant, granted, now, added, cancellationToken);
                if (deviceId is null)
                {
                    return new LedgerResult(results, [], [], Conflict: true);
                }

                if (!granted)
                {
                    if (grant.LapseIfRefused is { } reason && grant.DeviceId is not null)
                    {
                        await LapseAsync(db, deviceId.Value, grant.SeenActivationCount, reason, now, cancellationToken);
                    }

                    results[i] = GrantResult.NoLicense;
                    continue;
                }

                var activation = new Activation
                {
                    AccountId = grant.AccountId,
                    ProductId = grant.ProductId,
                    DeviceId = deviceId.Value,
                    SpecCode = grant.SpecCode!,
                    ActivatedAt = grant.Start,
                    ExpiresAt = grant.End,
                    Kind = grant.Kind,
                    DataCenter = grant.DataCenter,
                    RecordedAt = now,
                };
                db.Activations.Add(activation);
                added.Add(activation);
                taken[grant.ProductId] = taken.GetValueOrDefault(grant.ProductId) + 1;
                results[i] = GrantResult.Consumed;
            }

            await db.SaveChangesAsync(cancellationToken);
        }
        finally
        {
            // The caller's own tracked entities stay as they were.
            foreach (var entity in added)
            {
                db.Entry(entity).State = EntityState.Detached;
            }
        }

        foreach (var (productId, n) in taken)
        {
            var updated = await db.ProductPools.Where(pp => pp.ProductId == productId && pp.Used + n <= pp.Total)
                .ExecuteUpdateAsync(s => s.SetProperty(pp => pp.Used, pp => pp.Used + n), cancellationToken);
            if (updated != 1)
            {
                // Cannot happen inside the write lock; if it did, the exception rolls the whole transaction back.
                throw new InvalidOperationException($"Product {productId}'s pool could not give {n} licenses it held when read.");
            }
        }

        var restored = new List<bool>(work.Restores.Count);
        foreach (var restore in work.Restores)
        {
            restored.Add(await db.Devices
                .Where(d => d.Id == restore.DeviceId && d.DeletedAt != null && d.ActivationCount == restore.SeenActivationCount && d.ExpiresAt > now)
                .ExecuteUpdateAsync(s => s
                    .SetProperty(d => d.DeletedAt, (DateTime?)null)
                    .SetProperty(d => d.LastDataCenter, restore.DataCenter)
                    .SetProperty(d => d.LastConnectedAt, now), cancellationToken) == 1);
        }

        var lapsed = new List<bool>(work.Lapses.Count);
        foreach (var lapse in work.Lapses)
        {
            lapsed.Add(await LapseAsync(db, lapse.DeviceId, lapse.SeenActivationCount, lapse.Reason, now, cancellationToken));
        }

        foreach (var sighting in work.Sightings)
        {
            await db.Devices.Where(d => d.Id == sighting.DeviceId)
                .ExecuteUpdateAsync(s => s.SetProperty(d => d.LastDataCenter, sighting.DataCenter).SetProperty(d => d.LastConnectedAt, now), cancellationToken);
        }

        return new LedgerResult(results, restored, lapsed, Conflict: false);
    }

    private static async Task<long?> ClaimAsync(LicenseConsoleDbContext db, long deviceId, LicenseGrant grant, DateTime now, CancellationToken cancellationToken)
    {
        var device = db.Devices.Where(d => d.Id == deviceId && d.ActivationCount == grant.SeenActivationCount);
        var claimed = grant.Connecting
            ? await device.ExecuteUpdateAsync(s => s
                .SetProperty(d => d.ActivatedAt, grant.Start)
                .SetProperty(d => d.ExpiresAt, grant.End)
                .SetProperty(d => d.FirstActivatedAt, d => d.FirstActivatedAt ?? grant.Start)
                .SetProperty(d => d.LapsedAt, (DateTime?)null)
                .SetProperty(d => d.LapseReason, (LapseReason?)null)
                .SetProperty(d => d.DeletedAt, (DateTime?)null)
                .SetProperty(d => d.ActivationCount, d => d.ActivationCount + 1)
                .SetProperty(d => d.LastDataCenter, grant.DataCenter)
                .SetProperty(d => d.LastConnectedAt, now), cancellationToken)
            : await device.ExecuteUpdateAsync(s => s
                .SetProperty(d => d.ActivatedAt, grant.Start)
                .SetProperty(d => d.ExpiresAt, grant.End)
                .SetProperty(d => d.LapsedAt, (DateTime?)null)
                .SetProperty(d => d.LapseReason, (LapseReason?)null)
                .SetProperty(d => d.ActivationCount, d => d.ActivationCount + 1), cancellationToken);
        return claimed == 1 ? deviceId : throw new InvalidOperationException($"Device {deviceId} changed inside the write lock.");
    }

    /// <summary>A device seen for the first time, with its license when granted; null when it exists already.</summary>
    private static async Task<long?> CreateAsync(LicenseConsoleDbContext db, LicenseGrant grant, bool granted, DateTime now, List<object> added, CancellationToken cancellationToken)
    {
        var device = new Device
        {
            AccountId = grant.AccountId,
            ProductId = grant.ProductId,
            DeviceKey = grant.DeviceKey,
            CreatedAt = now,
            ActivationCount = granted ? 1 : 0,
            FirstActivatedAt = granted ? grant.Start : null,
            ActivatedAt = granted ? grant.Start : null,
            ExpiresAt = granted ? grant.End : null,
            LastDataCenter = grant.DataCenter,
            LastConnectedAt = now,
        };
        db.Devices.Add(device);
        added.Add(device);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return device.Id;
        }
        catch (DbUpdateException e) when (DbErrors.IsUniqueViolation(e))
        {
            return null;
        }
    }

    private static async Task<bool> LapseAsync(LicenseConsoleDbContext db, long deviceId, int seenActivationCount, LapseReason reason, DateTime now, CancellationToken cancellationToken) =>
        await db.Devices
            .Where(d => d.Id == deviceId && d.LapsedAt == null && d.ActivationCount == seenActivationCount && d.ExpiresAt <= now)
            .ExecuteUpdateAsync(s => s.SetProperty(d => d.LapsedAt, d => d.ExpiresAt).SetProperty(d => d.LapseReason, reason), cancellationToken) == 1;
}
