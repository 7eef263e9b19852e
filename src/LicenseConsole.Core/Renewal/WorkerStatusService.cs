using LicenseConsole.Data;
using LicenseConsole.Devices;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;

namespace LicenseConsole.Renewal;

/// <summary>What the dashboard shows about the worker and the account's emails.</summary>
public sealed record WorkerStatus(DateTime? LastRunAt, string? LastRunError, int RenewedToday, int LapsedToday, int EmailsPending, int EmailsFailing, string? LastEmailError);

/// <summary>
/// Reads the worker's last run and the account's renewals, lapses and emails of the last 24 hours. After a
/// mass renewal a day holds hundreds of thousands of renewals: the two counts of the day are kept for
/// <see cref="CountsCacheFor"/> per account (the worker itself runs once a minute); the rest is read fresh.
/// </summary>
public sealed class WorkerStatusService(LicenseConsoleDbContext db, TimeProvider clock, IMemoryCache cache)
{
    /// <summary>How long the renewed and lapsed counts of the last 24 hours are reused.</summary>
    public static readonly TimeSpan CountsCacheFor = TimeSpan.FromMinutes(1);

    public async Task<WorkerStatus> GetAsync(CancellationToken cancellationToken = default)
    {
        var accountId = db.Tenant.RequireAccountId();
        var last = await db.WorkerRuns.OrderByDescending(r => r.StartedAt).Select(r => new { r.FinishedAt, r.Error }).FirstOrDefaultAsync(cancellationToken);
        var (renewed, lapsed) = await DayCountsAsync(accountId, cancellationToken);
        var pending = await db.OutboxEmails.CountAsync(e => e.SentAt == null && e.Attempts == 0, cancellationToken);
        var failing = await db.OutboxEmails.CountAsync(e => e.SentAt == null && e.Attempts > 0, cancellationToken);
        var lastError = await db.OutboxEmails.Where(e => e.SentAt == null && e.LastError != null)
            .OrderByDescending(e => e.Id).Select(e => e.LastError).FirstOrDefaultAsync(cancellationToken);
        return new WorkerStatus(last?.FinishedAt, last?.Error, renewed, lapsed, pending, failing, lastError);
    }

    private async Task<(int Renewed, int Lapsed)> DayCountsAsync(Guid accountId, CancellationToken cancellationToken)
    {
        var key = (nameof(WorkerStatusService), accountId, db.Tenant.ScopeKey);
        if (cache.TryGetValue(key, out (int, int) cached))
        {
            return cached;
        }

        var since = clock.GetUtcNow().UtcDateTime.AddHours(-24);
        var counts = (
            await db.Activations.CountAsync(a => a.Kind == ActivationKind.Renewal && a.RecordedAt >= since, cancellationToken),
            await db.Devices.CountAsync(d => d.LapsedAt >= since && d.DeletedAt == null, cancellationToken));
        cache.Set(key, counts, new MemoryCacheEntryOptions { AbsoluteExpirationRelativeToNow = CountsCacheFor, Size = 1 });
        return counts;
    }
}
