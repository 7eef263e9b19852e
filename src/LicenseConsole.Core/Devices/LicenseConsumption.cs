using LicenseConsole.Data;
using Microsoft.EntityFrameworkCore;

namespace LicenseConsole.Devices;

/// <summary>
/// One license to consume: for which device (as it was read), which period, and why. The claim succeeds only
/// if the device's activation count is still <c>SeenActivationCount</c> (nobody consumed for it since).
/// <c>Connecting</c> is true when the device itself is connecting: its data center and last-seen time are
/// recorded and a deleted device comes back; the worker's renewals leave those alone.
/// </summary>
public sealed record ConsumptionRequest(
    Guid AccountId,
    long ProductId,
    string SpecCode,
    int ValidityMonths,
    long DeviceId,
    int SeenActivationCount,
    DateTime Start,
    ActivationKind Kind,
    string DataCenter,
    bool Connecting);

public enum ConsumptionResult
{
    /// <summary>One license was taken from the pool and the period recorded.</summary>
    Consumed,

    /// <summary>The device changed since it was read (another request or the worker consumed for it): look again.</summary>
    Conflict,

    /// <summary>The product's pool had no license left (or the product is gone): nothing changed.</summary>
    NoLicense,
}

/// <summary>
/// The one way a license is consumed, shared by the gateway's connections and the renewal worker. One
/// transaction: claim the device row by its activation count (so concurrent claims for one device consume
/// once), take a license with a guarded update (so the pool is never overdrawn), record the activation
/// (unique per device and period start, so the same period cannot be paid twice).
/// </summary>
public sealed class LicenseConsumption(LicenseConsoleDbContext db, TimeProvider clock)
{
    public async Task<(ConsumptionResult Result, DateTime ExpiresAt)> ConsumeAsync(ConsumptionRequest request, CancellationToken cancellationToken)
    {
        var start = request.Start;
        var end = start.AddMonths(request.ValidityMonths);
        var now = clock.GetUtcNow().UtcDateTime;
        var strategy = db.Database.CreateExecutionStrategy();
        var result = await strategy.ExecuteAsync(async () =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var device = db.Devices.Where(d => d.Id == request.DeviceId && d.ActivationCount == request.SeenActivationCount);
            var claimed = request.Connecting
                ? await device.ExecuteUpdateAsync(s => s
                    .SetProperty(d => d.ActivatedAt, start)
                    .SetProperty(d => d.ExpiresAt, end)
                    .SetProperty(d => d.FirstActivatedAt, d => d.FirstActivatedAt ?? start)
                    .SetProperty(d => d.LapsedAt, (DateTime?)null)
                    .SetProperty(d => d.LapseReason, (LapseReason?)null)
                    .SetProperty(d => d.DeletedAt, (DateTime?)null)
                    .SetProperty(d => d.ActivationCount, d => d.ActivationCount + 1)
                    .SetProperty(d => d.LastDataCenter, request.DataCenter)
                    .SetProperty(d => d.LastConnectedAt, now), cancellationToken)
                : await device.Where(d => d.DeletedAt == null && d.LapsedAt == null).ExecuteUpdateAsync(s => s
                    .SetProperty(d => d.ActivatedAt, start)
                    .SetProperty(d => d.ExpiresAt, end)
                    .SetProperty(d => d.ActivationCount, d => d.ActivationCount + 1), cancellationToken);
            if (claimed == 0)
            {
                await transaction.RollbackAsync(cancellationToken);
                return ConsumptionResult.Conflict;
            }

            var taken = await db.ProductPools
                .Where(pp => pp.ProductId == request.ProductId && pp.Used < pp.Total && db.Products.Any(p => p.Id == request.ProductId && p.DeletedAt == null))
                .ExecuteUpdateAsync(s => s.SetProperty(pp => pp.Used, pp => pp.Used + 1), cancellationToken);
            if (taken == 0)
            {
                await transaction.RollbackAsync(cancellationToken);
                return ConsumptionResult.NoLicense;
            }

            db.Activations.Add(new Activation
            {
                AccountId = request.AccountId,
                ProductId = request.ProductId,
                DeviceId = request.DeviceId,
                SpecCode = request.SpecCode,
                ActivatedAt = start,
                ExpiresAt = end,
                Kind = request.Kind,
                DataCenter = request.DataCenter,
                RecordedAt = now,
            });
            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateException e) when (DbErrors.IsUniqueViolation(e))
            {
                // The same period was recorded already: ours must not count.
                await transaction.RollbackAsync(cancellationToken);
                return ConsumptionResult.Conflict;
            }
            finally
            {
                db.ChangeTracker.Clear();
            }

            await transaction.CommitAsync(cancellationToken);
            return ConsumptionResult.Consumed;
        });
        return (result, end);
    }

    /// <summary>Marks a device's expired license as lapsed (unless it changed since it was read).</summary>
    public async Task<bool> MarkLapsedAsync(long deviceId, int seenActivationCount, LapseReason reason, CancellationToken cancellationToken) =>
        await db.Devices
            .Where(d => d.Id == deviceId && d.LapsedAt == null && d.ActivationCount == seenActivationCount)
            .ExecuteUpdateAsync(s => s.SetProperty(d => d.LapsedAt, d => d.ExpiresAt).SetProperty(d => d.LapseReason, reason), cancellationToken) == 1;
}
