using LicenseConsole.Data;
using Microsoft.EntityFrameworkCore;

namespace LicenseConsole.Licensing;

/// <summary>One broken ledger invariant, with the subject it was found on.</summary>
public sealed record LedgerBreach(string Invariant, string Subject, string Detail)
{
    public override string ToString() => $"{Invariant}: {Subject}: {Detail}";
}

/// <summary>
/// Checks that the license ledger adds up: every license consumed is recorded once (a pool's used = its
/// activations, 0 &lt;= used &lt;= total), no pool holds more or less than was bought and allocated into it
/// (a product's total = its allocations + the purchases bound to it; per account and spec, unbound purchases =
/// unallocated + allocations, never negative), a deleted product's licenses stay forfeited (nothing enters or
/// leaves its pool after the deletion), and no device holds two licenses for the same time.
/// Runs set-based queries over whatever the context may see (an account, or the whole platform).
/// </summary>
public sealed class LedgerVerifier(LicenseConsoleDbContext db)
{
    public async Task<IReadOnlyList<LedgerBreach>> VerifyAsync(CancellationToken cancellationToken = default)
    {
        var breaches = new List<LedgerBreach>();

        var products = await db.Products
            .Select(p => new
            {
                p.ProductKey,
                p.Pool!.Total,
                p.Pool.Used,
                Consumed = db.Activations.Count(a => a.ProductId == p.Id),
                Allocated = db.Allocations.Where(a => a.ProductId == p.Id).Sum(a => (long?)a.Quantity) ?? 0,
                Bought = db.Purchases.Where(b => b.ProductId == p.Id).Sum(b => (long?)b.Quantity) ?? 0,
            })
            .Where(p => p.Used != p.Consumed || p.Used > p.Total || p.Used < 0 || p.Total < 0 || p.Total != p.Allocated + p.Bought)
            .ToListAsync(cancellationToken);
        foreach (var p in products)
        {
            if (p.Used != p.Consumed)
            {
                breaches.Add(new("used = activations", p.ProductKey, $"pool used {p.Used}, activations {p.Consumed}"));
            }

            if (p.Used > p.Total || p.Used < 0 || p.Total < 0)
            {
                breaches.Add(new("0 <= used <= total", p.ProductKey, $"used {p.Used}, total {p.Total}"));
            }

            if (p.Total != p.Allocated + p.Bought)
            {
                breaches.Add(new("total = allocations + bound purchases", p.ProductKey, $"total {p.Total}, allocated {p.Allocated}, bought for it {p.Bought}"));
            }
        }

        // A deleted product's licenses are forfeited where they stand: nothing enters or leaves its pool afterwards.
        var afterDeletion = await db.Products
            .Where(p => p.DeletedAt != null)
            .Select(p => new
            {
                p.ProductKey,
                p.DeletedAt,
                Consumed = db.Activations.Count(a => a.ProductId == p.Id && a.RecordedAt > p.DeletedAt),
                Allocated = db.Allocations.Count(a => a.ProductId == p.Id && a.CreatedAt > p.DeletedAt),
                Bought = db.Purchases.Count(b => b.ProductId == p.Id && b.CreatedAt > p.DeletedAt),
            })
            .Where(p => p.Consumed + p.Allocated + p.Bought > 0)
            .ToListAsync(cancellationToken);
        breaches.AddRange(afterDeletion.Select(p => new LedgerBreach("forfeited only on deletion", p.ProductKey,
            $"deleted {p.DeletedAt:O}, then {p.Consumed} activation(s), {p.Allocated} allocation(s), {p.Bought} purchase(s)")));

        var unbound = await db.Purchases.Where(b => b.ProductId == null)
            .GroupBy(b => new { b.AccountId, b.SpecCode })
            .Select(g => new { g.Key.AccountId, g.Key.SpecCode, Quantity = g.Sum(b => (long)b.Quantity) })
            .ToListAsync(cancellationToken);
        var allocated = await db.Allocations
            .GroupBy(a => new { a.AccountId, a.SpecCode })
            .Select(g => new { g.Key.AccountId, g.Key.SpecCode, Quantity = g.Sum(a => (long)a.Quantity) })
            .ToListAsync(cancellationToken);
        var pools = await db.UnallocatedPools.Select(u => new { u.AccountId, u.SpecCode, u.Quantity }).ToListAsync(cancellationToken);
        var keys = unbound.Select(u => (u.AccountId, u.SpecCode))
            .Concat(allocated.Select(a => (a.AccountId, a.SpecCode)))
            .Concat(pools.Select(p => (p.AccountId, p.SpecCode)))
            .Distinct();
        foreach (var (accountId, spec) in keys)
        {
            var bought = unbound.Where(u => u.AccountId == accountId && u.SpecCode == spec).Sum(u => u.Quantity);
            var moved = allocated.Where(a => a.AccountId == accountId && a.SpecCode == spec).Sum(a => a.Quantity);
            var left = pools.Where(p => p.AccountId == accountId && p.SpecCode == spec).Sum(p => p.Quantity);
            if (left < 0)
            {
                breaches.Add(new("unallocated >= 0", $"{accountId}/{spec}", $"unallocated {left}"));
            }

            if (bought != left + moved)
            {
                breaches.Add(new("unbound purchases = unallocated + allocations", $"{accountId}/{spec}", $"bought {bought}, unallocated {left}, allocated {moved}"));
            }
        }

        var overlaps = await db.Activations
            .Join(db.Activations, a => a.DeviceId, b => b.DeviceId, (a, b) => new { a, b })
            .Where(x => x.a.Id < x.b.Id && x.a.ActivatedAt < x.b.ExpiresAt && x.b.ActivatedAt < x.a.ExpiresAt)
            .Select(x => new { x.a.DeviceId, First = x.a.ActivatedAt, Second = x.b.ActivatedAt })
            .Take(100)
            .ToListAsync(cancellationToken);
        breaches.AddRange(overlaps.Select(o => new LedgerBreach("no overlapping periods", $"device {o.DeviceId}", $"periods starting {o.First:O} and {o.Second:O} overlap")));

        var devices = await db.Devices
            .Select(d => new
            {
                d.Id,
                d.DeviceKey,
                d.ActivationCount,
                d.ExpiresAt,
                Count = db.Activations.Count(a => a.DeviceId == d.Id),
                LastEnd = db.Activations.Where(a => a.DeviceId == d.Id).Max(a => (DateTime?)a.ExpiresAt),
            })
            .Where(d => d.ActivationCount != d.Count || d.ExpiresAt != d.LastEnd)
            .Take(100)
            .ToListAsync(cancellationToken);
        breaches.AddRange(devices.Select(d => new LedgerBreach("device matches its activations", $"device {d.Id} ({d.DeviceKey})",
            $"count {d.ActivationCount} vs {d.Count} recorded, expires {d.ExpiresAt:O} vs {d.LastEnd:O}")));

        return breaches;
    }
}
