using LicenseConsole.Common;
using LicenseConsole.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace LicenseConsole.Licensing;

/// <summary>One spec's share of the unallocated licenses.</summary>
public sealed record SpecQuantity(string SpecCode, Words SpecName, int ValidityMonths, long Quantity);

/// <summary>The dashboard totals of SPEC rule 1 for the account in scope.</summary>
public sealed record LicenseSummary(
    string DataCenter,
    long Total,
    long Used,
    long Remaining,
    long Unallocated,
    IReadOnlyList<SpecQuantity> UnallocatedBySpec,
    long Forfeited,
    int ExpiringDevices,
    int LapsedDevices,
    int ExpiringThresholdDays);

/// <summary>
/// Reads the license totals of the account the context is scoped to. The ledger's totals are read fresh every
/// time; the two device counts (expiring, lapsed) read tens of thousands of index entries on a large fleet and
/// move with the clock and the worker's minute, so they are kept for <see cref="CountsCacheFor"/> per account.
/// </summary>
public sealed class LicenseSummaryService(LicenseConsoleDbContext db, TimeProvider clock, IOptions<LicensingOptions> options, IMemoryCache cache)
{
    /// <summary>How long the expiring and lapsed device counts are reused.</summary>
    public static readonly TimeSpan CountsCacheFor = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Total = every license held (unallocated plus the pools of live products), used = consumed by live
    /// products, remaining = total - used. Licenses of deleted products are forfeited and reported apart.
    /// For a caller limited to products, total, used, remaining and forfeited cover its products alone.
    /// </summary>
    public async Task<LicenseSummary> GetSummaryAsync(CancellationToken cancellationToken = default)
    {
        var accountId = db.Tenant.RequireAccountId();
        var dataCenter = await db.Accounts.Where(a => a.Id == accountId).Select(a => a.DataCenterCode).SingleAsync(cancellationToken);

        var pools = await db.Products
            .GroupBy(p => p.DeletedAt == null)
            .Select(g => new { Live = g.Key, Total = g.Sum(p => p.Pool!.Total), Used = g.Sum(p => p.Pool!.Used) })
            .ToListAsync(cancellationToken);
        var live = pools.SingleOrDefault(p => p.Live);
        var forfeited = pools.SingleOrDefault(p => !p.Live);

        var bySpec = await db.UnallocatedPools
            .Where(u => u.Quantity > 0)
            .Join(db.LicenseSpecs, u => u.SpecCode, s => s.Code, (u, s) => new SpecQuantity(s.Code, new Words(s.Name, s.ChineseName), s.ValidityMonths, u.Quantity))
            .ToListAsync(cancellationToken);
        bySpec = [.. bySpec.OrderBy(s => s.ValidityMonths).ThenBy(s => s.SpecCode, StringComparer.Ordinal)];
        var unallocated = bySpec.Sum(s => s.Quantity);

        var (expiring, lapsed) = await DeviceCountsAsync(accountId, cancellationToken);

        // A caller limited to products sees totals over its products alone; the unallocated licenses are the
        // account's shared stock, shown beside them (and allocatable to its products with the right to).
        var total = (db.Tenant.AllProducts ? unallocated : 0) + (live?.Total ?? 0);
        var used = live?.Used ?? 0;
        return new LicenseSummary(dataCenter, total, used, total - used, unallocated, bySpec, forfeited?.Total ?? 0, expiring, lapsed, options.Value.ExpiringThresholdDays);
    }

    /// <summary>
    /// The <paramref name="top"/> live products that have used the largest share of their licenses, most used first:
    /// the ones closest to running out, whatever their size. Products without licenses have no share to compare.
    /// </summary>
    public async Task<UsageByProduct> UsageByProductAsync(int top, CancellationToken cancellationToken = default)
    {
        var withLicenses = db.Products.Where(p => p.DeletedAt == null && p.Pool != null && p.Pool.Total > 0);
        var count = await withLicenses.LongCountAsync(cancellationToken);
        var products = await withLicenses
            .OrderByDescending(p => (double)p.Pool!.Used / p.Pool.Total).ThenByDescending(p => p.Pool!.Used)
            .ThenBy(p => p.Name).ThenBy(p => p.ProductKey)
            .Take(top)
            .Select(p => new ProductUsage(p.ProductKey, p.Name, p.Pool!.Total, p.Pool.Used))
            .ToListAsync(cancellationToken);
        return new UsageByProduct(products, count);
    }

    private async Task<(int Expiring, int Lapsed)> DeviceCountsAsync(Guid accountId, CancellationToken cancellationToken)
    {
        var threshold = options.Value.ExpiringThresholdDays;
        var key = (nameof(LicenseSummaryService), accountId, threshold, db.Tenant.ScopeKey);
        if (cache.TryGetValue(key, out (int, int) cached))
        {
            return cached;
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var horizon = now.AddDays(threshold);
        var liveDevices = db.Devices.Where(d => d.DeletedAt == null && db.Products.Any(p => p.Id == d.ProductId && p.DeletedAt == null));
        var counts = (
            await liveDevices.CountAsync(d => d.ExpiresAt > now && d.ExpiresAt <= horizon, cancellationToken),
            await liveDevices.CountAsync(d => d.LapsedAt != null, cancellationToken));
        cache.Set(key, counts, new MemoryCacheEntryOptions { AbsoluteExpirationRelativeToNow = CountsCacheFor, Size = 1 });
        return counts;
    }
}
