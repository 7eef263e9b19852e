using System.Linq.Expressions;
using LicenseConsole.Data;
using LicenseConsole.Devices;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;

namespace LicenseConsole.Licensing;

/// <summary>One week of the forecast: renewals due (auto-renew in effect), how many of them their own product's pool covers, how many it leaves short.</summary>
public sealed record ForecastWeek(DateTime WeekStart, long RenewalsDue, long Covered, long Short);

/// <summary>A product whose pool will not cover its renewals within the horizon, with the renewals it leaves short in each week.</summary>
public sealed record ProductShortfall(
    string ProductKey, string Name, long Remaining, long RenewalsDue, long Short, DateTime FirstShortWeek, IReadOnlyList<long> ShortPerWeek);

/// <summary>The renewal forecast of the account's live products over the coming weeks.</summary>
public sealed record LicenseForecast(IReadOnlyList<ForecastWeek> Weeks, IReadOnlyList<ProductShortfall> Shortfalls);

/// <summary>
/// Looks ahead: which devices will need a renewal license in each of the next weeks, and whether their
/// product's pool will still hold one then (<see cref="RenewalCoverage"/>). Counting the renewals due reads every
/// device renewing in the next 90 days, so those counts are kept for a minute per account (and products in view):
/// pages that show them stay fast on a large fleet. The pools are read fresh every time, so an allocation or a
/// purchase shows at once.
/// </summary>
public sealed class LicenseForecastService(LicenseConsoleDbContext db, TimeProvider clock, IMemoryCache cache)
{
    public const int DefaultWeeks = 13;

    /// <summary>How long the counts of renewals due are reused.</summary>
    public static readonly TimeSpan CacheFor = TimeSpan.FromMinutes(1);

    public async Task<LicenseForecast> ForecastAsync(int weeks = DefaultWeeks, CancellationToken cancellationToken = default)
    {
        var (now, due) = await RenewalsDueAsync(weeks, cancellationToken);

        var productIds = due.Select(d => d.ProductId).Distinct().ToList();
        var products = await db.Products.Where(p => productIds.Contains(p.Id))
            .Select(p => new { p.Id, p.ProductKey, p.Name, Remaining = p.Pool!.Total - p.Pool.Used })
            .ToListAsync(cancellationToken);
        var renewals = products.Select(p =>
        {
            var perWeek = new long[weeks];
            foreach (var d in due.Where(d => d.ProductId == p.Id))
            {
                perWeek[d.Week] += d.Count;
            }

            return new ProductRenewals(p.ProductKey, p.Name, p.Remaining, perWeek);
        });
        return RenewalCoverage.Forecast(now, weeks, renewals);
    }

    /// <summary>The renewals due per product and week, counted at most once a minute per account and products in view.</summary>
    private async Task<(DateTime Now, IReadOnlyList<RenewalsDue> Due)> RenewalsDueAsync(int weeks, CancellationToken cancellationToken)
    {
        var key = (nameof(LicenseForecastService), db.Tenant.RequireAccountId(), db.Tenant.ScopeKey, weeks);
        if (cache.TryGetValue(key, out (DateTime, IReadOnlyList<RenewalsDue>) cached))
        {
            return cached;
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var horizon = now.AddDays(7 * weeks);

        // Devices that will consume a license at expiry: auto-renew in effect for them and their product.
        var renewing = db.Devices.Where(d => d.DeletedAt == null && d.AutoRenew && d.LapsedAt == null && d.ExpiresAt <= horizon)
            .Join(db.Products.Where(p => p.DeletedAt == null && p.AutoRenew), d => d.ProductId, p => p.Id, (d, p) => d);
        IReadOnlyList<RenewalsDue> due = await renewing
            .GroupBy(WeekOf(now, weeks))
            .Select(g => new RenewalsDue(g.Key.ProductId, g.Key.Week, g.LongCount()))
            .ToListAsync(cancellationToken);
        cache.Set(key, (now, due), new MemoryCacheEntryOptions { AbsoluteExpirationRelativeToNow = CacheFor, Size = 1 });
        return (now, due);
    }

    /// <summary>
    /// Groups by product and week index, as one CASE expression both providers translate: week 0 holds
    /// everything due before now + 7 days (including licenses that expired moments ago and await the worker).
    /// </summary>
    private static Expression<Func<Device, DeviceWeek>> WeekOf(DateTime now, int weeks)
    {
        var device = Expression.Parameter(typeof(Device), "d");
        var expiresAt = Expression.Property(device, nameof(Device.ExpiresAt));
        Expression week = Expression.Constant(weeks - 1);
        for (var w = weeks - 2; w >= 0; w--)
        {
            var bound = Expression.Constant((DateTime?)now.AddDays(7 * (w + 1)), typeof(DateTime?));
            week = Expression.Condition(Expression.LessThanOrEqual(expiresAt, bound), Expression.Constant(w), week);
        }

        var body = Expression.MemberInit(
            Expression.New(typeof(DeviceWeek)),
            Expression.Bind(typeof(DeviceWeek).GetProperty(nameof(DeviceWeek.ProductId))!, Expression.Property(device, nameof(Device.ProductId))),
            Expression.Bind(typeof(DeviceWeek).GetProperty(nameof(DeviceWeek.Week))!, week));
        return Expression.Lambda<Func<Device, DeviceWeek>>(body, device);
    }

    private sealed record RenewalsDue(long ProductId, int Week, long Count);

    private sealed class DeviceWeek
    {
        public long ProductId { get; init; }
        public int Week { get; init; }
    }
}
