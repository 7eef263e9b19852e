using LicenseConsole.Accounts;
using LicenseConsole.Common;
using LicenseConsole.Data;
using Microsoft.EntityFrameworkCore;

namespace LicenseConsole.Auditing;

/// <summary>Filters of the audit log; dates are days in the account's time zone.</summary>
public sealed record AuditFilter(string? Action = null, string? Actor = null, string? Subject = null, DateOnly? From = null, DateOnly? To = null);

/// <summary>An audit entry as listed.</summary>
public sealed record AuditRecord(long Id, DateTime At, string Actor, string Action, string Subject, string? Before, string? After);

/// <summary>The owner's view of who did what and when.</summary>
public sealed class AuditLogService(LicenseConsoleDbContext db, AccountCalendar calendar)
{
    public async Task<Paged<AuditRecord>> SearchAsync(AuditFilter filter, PageRequest page, CancellationToken cancellationToken = default)
    {
        var query = await QueryAsync(filter, cancellationToken);
        var total = await query.LongCountAsync(cancellationToken);
        var items = await Project(query.OrderByDescending(e => e.At).ThenByDescending(e => e.Id).Skip(page.Skip).Take(page.PageSize)).ToListAsync(cancellationToken);
        return new Paged<AuditRecord>(items, page.Page, page.PageSize, total);
    }

    /// <summary>Every matching entry, newest first, streamed for export; the filter is checked before the first row is read.</summary>
    public async Task<IAsyncEnumerable<AuditRecord>> StreamAsync(AuditFilter filter, CancellationToken cancellationToken = default)
    {
        var query = await QueryAsync(filter, cancellationToken);
        return Project(query.OrderByDescending(e => e.At).ThenByDescending(e => e.Id)).AsAsyncEnumerable();
    }

    /// <summary>The actions that occur in the account's log, for the filter's choices.</summary>
    public async Task<IReadOnlyList<string>> ActionsAsync(CancellationToken cancellationToken = default) =>
        await db.AuditEntries.Select(e => e.Action).Distinct().OrderBy(a => a).ToListAsync(cancellationToken);

    private async Task<IQueryable<AuditEntry>> QueryAsync(AuditFilter filter, CancellationToken cancellationToken)
    {
        var zone = await calendar.TimeZoneAsync(cancellationToken);
        var range = AccountCalendar.Range(filter.From, filter.To, zone, "to");
        var query = db.AuditEntries.AsQueryable();
        if (Text.RequireFilter(filter.Action, 64, "action") is { } action)
        {
            query = query.Where(e => e.Action == action);
        }

        if (Text.RequireFilter(filter.Actor, 256, "actor")?.ToLower() is { } actor)
        {
            query = query.Where(e => e.Actor.ToLower().Contains(actor));
        }

        if (Text.RequireFilter(filter.Subject, 256, "subject")?.ToLower() is { } subject)
        {
            query = query.Where(e => e.Subject.ToLower().Contains(subject));
        }

        if (range.From is { } from)
        {
            query = query.Where(e => e.At >= from);
        }

        if (range.Until is { } until)
        {
            query = query.Where(e => e.At < until);
        }

        return query;
    }

    private static IQueryable<AuditRecord> Project(IQueryable<AuditEntry> query) =>
        query.Select(e => new AuditRecord(e.Id, e.At, e.Actor, e.Action, e.Subject, e.Before, e.After));
}
