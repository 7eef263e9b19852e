using LicenseConsole.IntegrationTests.Infrastructure;
using LicenseConsole.Licensing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LicenseConsole.IntegrationTests.Input;

/// <summary>
/// Named figures of the ledger and of what an account holds (counts of products, devices, activations,
/// allocations, purchases; pools; the dashboard's totals; recipients, keys, sub-accounts, switches), read
/// straight from the database, so that a run can show that it changed nothing it did not mean to.
/// </summary>
public sealed class LedgerFigures
{
    private readonly SortedDictionary<string, long> _figures = new(StringComparer.Ordinal);

    public long this[string name] => _figures.GetValueOrDefault(name);

    public void Add(string name, long delta)
    {
        lock (_figures)
        {
            _figures[name] = _figures.GetValueOrDefault(name) + delta;
        }
    }

    /// <summary>This plus <paramref name="change"/>.</summary>
    public LedgerFigures Plus(LedgerFigures change)
    {
        var sum = new LedgerFigures();
        foreach (var (name, value) in _figures.Concat(change._figures))
        {
            sum.Add(name, value);
        }

        return sum;
    }

    /// <summary>The figures that differ, as "name: expected → actual".</summary>
    public IReadOnlyList<string> Differences(LedgerFigures actual) =>
        [.. _figures.Keys.Union(actual._figures.Keys).Order(StringComparer.Ordinal)
            .Where(k => this[k] != actual[k])
            .Select(k => $"{k}: expected {this[k]}, found {actual[k]}")];

    /// <summary>The figures of the whole database and of each of <paramref name="accounts"/>.</summary>
    public static async Task<LedgerFigures> ReadAsync(ConsoleAppFactory factory, TestDatabase database, IEnumerable<Guid> accounts)
    {
        var figures = new LedgerFigures();
        await using (var db = database.CreatePlatformContext())
        {
            figures.Add("products", await db.Products.LongCountAsync());
            figures.Add("devices", await db.Devices.LongCountAsync());
            figures.Add("activations", await db.Activations.LongCountAsync());
            figures.Add("allocations", await db.Allocations.LongCountAsync());
            figures.Add("purchases", await db.Purchases.LongCountAsync());
            foreach (var id in accounts)
            {
                var a = id.ToString("N")[..8];
                figures.Add($"{a}.products", await db.Products.LongCountAsync(p => p.AccountId == id));
                figures.Add($"{a}.products deleted", await db.Products.LongCountAsync(p => p.AccountId == id && p.DeletedAt != null));
                figures.Add($"{a}.products auto-renew off", await db.Products.LongCountAsync(p => p.AccountId == id && !p.AutoRenew));
                figures.Add($"{a}.devices", await db.Devices.LongCountAsync(d => d.AccountId == id));
                figures.Add($"{a}.devices deleted", await db.Devices.LongCountAsync(d => d.AccountId == id && d.DeletedAt != null));
                figures.Add($"{a}.devices auto-renew off", await db.Devices.LongCountAsync(d => d.AccountId == id && !d.AutoRenew));
                figures.Add($"{a}.activations", await db.Activations.LongCountAsync(x => x.AccountId == id));
                figures.Add($"{a}.allocations", await db.Allocations.LongCountAsync(x => x.AccountId == id));
                figures.Add($"{a}.allocated", await db.Allocations.Where(x => x.AccountId == id).SumAsync(x => (long?)x.Quantity) ?? 0);
                figures.Add($"{a}.purchases", await db.Purchases.LongCountAsync(x => x.AccountId == id));
                figures.Add($"{a}.purchased", await db.Purchases.Where(x => x.AccountId == id).SumAsync(x => (long?)x.Quantity) ?? 0);
                figures.Add($"{a}.pools total", await db.ProductPools.Where(x => x.AccountId == id).SumAsync(x => (long?)x.Total) ?? 0);
                figures.Add($"{a}.pools used", await db.ProductPools.Where(x => x.AccountId == id).SumAsync(x => (long?)x.Used) ?? 0);
                foreach (var pool in await db.UnallocatedPools.Where(u => u.AccountId == id).ToListAsync())
                {
                    figures.Add($"{a}.unallocated {pool.SpecCode}", pool.Quantity);
                }

                figures.Add($"{a}.recipients", await db.AlertRecipients.LongCountAsync(r => r.AccountId == id));
                figures.Add($"{a}.api keys", await db.ApiKeys.LongCountAsync(k => k.AccountId == id));
                figures.Add($"{a}.api keys revoked", await db.ApiKeys.LongCountAsync(k => k.AccountId == id && k.RevokedAt != null));
                figures.Add($"{a}.sub-accounts", await db.Users.LongCountAsync(u => u.AccountId == id && u.Role != LicenseConsole.Accounts.AccessRole.Owner));
                foreach (var role in await db.Users.Where(u => u.AccountId == id)
                    .GroupBy(u => new { u.Role, u.MaintainsRecipients, u.LimitedToProducts })
                    .Select(g => new { g.Key.Role, g.Key.MaintainsRecipients, g.Key.LimitedToProducts, Count = g.LongCount() }).ToListAsync())
                {
                    figures.Add($"{a}.users {role.Role} recipients={role.MaintainsRecipients} limited={role.LimitedToProducts}", role.Count);
                }

                figures.Add($"{a}.product grants", await db.ProductGrants.LongCountAsync(g => g.AccountId == id));
            }
        }

        foreach (var id in accounts)
        {
            var a = id.ToString("N")[..8];
            var summary = await factory.WithScopeAsync(id, s => s.GetRequiredService<LicenseSummaryService>().GetSummaryAsync());
            figures.Add($"{a}.summary total", summary.Total);
            figures.Add($"{a}.summary used", summary.Used);
            figures.Add($"{a}.summary remaining", summary.Remaining);
            figures.Add($"{a}.summary unallocated", summary.Unallocated);
        }

        return figures;
    }

    /// <summary>The ledger's invariants over the whole database (empty when it adds up).</summary>
    public static Task<IReadOnlyList<LedgerBreach>> VerifyAsync(ConsoleAppFactory factory) =>
        factory.WithPlatformScopeAsync(s => s.GetRequiredService<LedgerVerifier>().VerifyAsync());

    public static string Prefix(Guid account) => account.ToString("N")[..8];
}
