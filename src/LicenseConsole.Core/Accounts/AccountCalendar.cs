using LicenseConsole.Common;
using LicenseConsole.Data;
using Microsoft.EntityFrameworkCore;

namespace LicenseConsole.Accounts;

/// <summary>A date range typed by a person, as UTC instants: [From, Until).</summary>
public readonly record struct UtcRange(DateTime? From, DateTime? Until)
{
    public bool Contains(DateTime? instant) =>
        instant is { } t && (From is null || t >= From) && (Until is null || t < Until);
}

/// <summary>
/// The account's time zone: dates are shown in it, and date filters ("activated from 2026-03-01") are
/// read in it, so a day means the account's day, not UTC's.
/// </summary>
public sealed class AccountCalendar(LicenseConsoleDbContext db)
{
    private TimeZoneInfo? _timeZone;

    public async Task<TimeZoneInfo> TimeZoneAsync(CancellationToken cancellationToken = default)
    {
        if (_timeZone is null)
        {
            var accountId = db.Tenant.RequireAccountId();
            var id = await db.Accounts.Where(a => a.Id == accountId).Select(a => a.TimeZoneId).SingleAsync(cancellationToken);
            _timeZone = Find(id);
        }

        return _timeZone;
    }

    public static TimeZoneInfo Find(string timeZoneId) =>
        TimeZoneInfo.TryFindSystemTimeZoneById(timeZoneId, out var zone) ? zone : TimeZoneInfo.Utc;

    /// <summary>The instants from the start of <paramref name="from"/> to the end of <paramref name="to"/> (both inclusive days).</summary>
    public static UtcRange Range(DateOnly? from, DateOnly? to, TimeZoneInfo zone, string toField)
    {
        if (from is not null && to is not null && from > to)
        {
            throw Refusals.DateRangeReversed.ErrorFor(toField);
        }

        return new UtcRange(
            from is { } f ? StartOfDay(f, zone) : null,
            to is { } t && t < DateOnly.MaxValue ? StartOfDay(t.AddDays(1), zone) : null);
    }

    public static DateTime StartOfDay(DateOnly day, TimeZoneInfo zone) =>
        TimeZoneInfo.ConvertTimeToUtc(day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified), zone);

    public static DateTime ToLocal(DateTime utc, TimeZoneInfo zone) => TimeZoneInfo.ConvertTimeFromUtc(utc, zone);

    /// <summary>
    /// The calendar days from <paramref name="nowUtc"/>'s day to <paramref name="untilUtc"/>'s, both in the account's
    /// time zone: 0 for later today, 1 for tomorrow, negative once past. A person counts days on the calendar, not in
    /// 24-hour spans.
    /// </summary>
    public static int DaysUntil(DateTime nowUtc, DateTime untilUtc, TimeZoneInfo zone) =>
        DateOnly.FromDateTime(ToLocal(untilUtc, zone)).DayNumber - DateOnly.FromDateTime(ToLocal(nowUtc, zone)).DayNumber;
}
