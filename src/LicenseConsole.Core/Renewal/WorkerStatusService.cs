using LicenseConsole.Data;
using LicenseConsole.Devices;
using Microsoft.EntityFrameworkCore;

namespace LicenseConsole.Renewal;

/// <summary>What the dashboard shows about the worker and the account's emails.</summary>
public sealed record WorkerStatus(DateTime? LastRunAt, string? LastRunError, int RenewedToday, int LapsedToday, int EmailsPending, int EmailsFailing, string? LastEmailError);

/// <summary>Reads the worker's last run and the account's renewals, lapses and emails of the last 24 hours.</summary>
public sealed class WorkerStatusService(LicenseConsoleDbContext db, TimeProvider clock)
{
    public async Task<WorkerStatus> GetAsync(CancellationToken cancellationToken = default)
    {
        db.Tenant.RequireAccountId();
        var since = clock.GetUtcNow().UtcDateTime.AddHours(-24);
        var last = await db.WorkerRuns.OrderByDescending(r => r.StartedAt).Select(r => new { r.FinishedAt, r.Error }).FirstOrDefaultAsync(cancellationToken);
        var renewed = await db.Activations.CountAsync(a => a.Kind == ActivationKind.Renewal && a.RecordedAt >= since, cancellationToken);
        var lapsed = await db.Devices.CountAsync(d => d.LapsedAt >= since && d.DeletedAt == null, cancellationToken);
        var pending = await db.OutboxEmails.CountAsync(e => e.SentAt == null && e.Attempts == 0, cancellationToken);
        var failing = await db.OutboxEmails.CountAsync(e => e.SentAt == null && e.Attempts > 0, cancellationToken);
        var lastError = await db.OutboxEmails.Where(e => e.SentAt == null && e.LastError != null)
            .OrderByDescending(e => e.Id).Select(e => e.LastError).FirstOrDefaultAsync(cancellationToken);
        return new WorkerStatus(last?.FinishedAt, last?.Error, renewed, lapsed, pending, failing, lastError);
    }
}
