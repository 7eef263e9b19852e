using LicenseConsole.Common;
using LicenseConsole.Data;
using Microsoft.EntityFrameworkCore;

namespace LicenseConsole.Accounts;

/// <summary>The products a sub-account or key is limited to: null for every product.</summary>
public sealed record ProductScope(IReadOnlyList<long>? ProductIds, IReadOnlyList<string>? ProductKeys)
{
    public static ProductScope All { get; } = new(null, null);

    public bool Limited => ProductIds is not null;
}

/// <summary>Reads and writes the product grants of sub-accounts and API keys, for the owner and the platform.</summary>
public sealed class ProductScopes(LicenseConsoleDbContext db)
{
    public const int MaxProducts = 1000;

    /// <summary>
    /// The scope <paramref name="productKeys"/> names in <paramref name="accountId"/>: none or empty means every
    /// product; a key the account has no live product for is refused.
    /// </summary>
    public async Task<ProductScope> ResolveAsync(Guid accountId, IReadOnlyCollection<string?>? productKeys, CancellationToken cancellationToken = default)
    {
        if (productKeys is null || productKeys.Count == 0)
        {
            return ProductScope.All;
        }

        if (productKeys.Count > MaxProducts)
        {
            throw Refusals.ProductKeysTooMany.Error(("max", MaxProducts));
        }

        var keys = new List<string>();
        foreach (var given in productKeys)
        {
            var key = Keys.NormalizeLookup(given) ?? throw Refusals.ProductKeysUnknown.Error(("key", given ?? ""));
            if (!keys.Contains(key))
            {
                keys.Add(key);
            }
        }

        var found = await db.Products.IgnoreQueryFilters()
            .Where(p => p.AccountId == accountId && p.DeletedAt == null && keys.Contains(p.ProductKey))
            .Select(p => new { p.Id, p.ProductKey })
            .ToListAsync(cancellationToken);
        if (keys.FirstOrDefault(k => found.All(f => f.ProductKey != k)) is { } missing)
        {
            throw Refusals.ProductKeysUnknown.Error(("key", missing));
        }

        return new ProductScope([.. found.Select(f => f.Id)], [.. found.Select(f => f.ProductKey).Order(StringComparer.Ordinal)]);
    }

    /// <summary>The live product keys the caller in scope is limited to, or null when it sees every product.</summary>
    public async Task<IReadOnlyList<string>?> OfCallerAsync(CancellationToken cancellationToken = default) =>
        db.Tenant.AllProducts
            ? null
            : await db.Products.Where(p => p.DeletedAt == null).OrderBy(p => p.ProductKey).Select(p => p.ProductKey).ToListAsync(cancellationToken);

    /// <summary>The live product keys granted to each of <paramref name="userIds"/>.</summary>
    public async Task<ILookup<Guid, string>> OfUsersAsync(IReadOnlyCollection<Guid> userIds, CancellationToken cancellationToken = default) =>
        (await db.ProductGrants.IgnoreQueryFilters()
            .Where(g => g.UserId != null && userIds.Contains(g.UserId.Value))
            .Join(db.Products.IgnoreQueryFilters().Where(p => p.DeletedAt == null), g => g.ProductId, p => p.Id, (g, p) => new { UserId = g.UserId!.Value, p.ProductKey })
            .ToListAsync(cancellationToken))
        .OrderBy(x => x.ProductKey, StringComparer.Ordinal)
        .ToLookup(x => x.UserId, x => x.ProductKey);

    /// <summary>The live product keys granted to each of <paramref name="apiKeyIds"/>.</summary>
    public async Task<ILookup<long, string>> OfKeysAsync(IReadOnlyCollection<long> apiKeyIds, CancellationToken cancellationToken = default) =>
        (await db.ProductGrants.IgnoreQueryFilters()
            .Where(g => g.ApiKeyId != null && apiKeyIds.Contains(g.ApiKeyId.Value))
            .Join(db.Products.IgnoreQueryFilters().Where(p => p.DeletedAt == null), g => g.ProductId, p => p.Id, (g, p) => new { ApiKeyId = g.ApiKeyId!.Value, p.ProductKey })
            .ToListAsync(cancellationToken))
        .OrderBy(x => x.ProductKey, StringComparer.Ordinal)
        .ToLookup(x => x.ApiKeyId, x => x.ProductKey);

    /// <summary>Replaces the grants of a sub-account (tracked, saved by the caller with its audit entry).</summary>
    public async Task ReplaceForUserAsync(Guid accountId, Guid userId, ProductScope scope, CancellationToken cancellationToken = default)
    {
        await db.ProductGrants.IgnoreQueryFilters().Where(g => g.UserId == userId).ExecuteDeleteAsync(cancellationToken);
        foreach (var id in scope.ProductIds ?? [])
        {
            db.ProductGrants.Add(new ProductGrant { AccountId = accountId, UserId = userId, ProductId = id });
        }
    }

    /// <summary>Grants a new key its products (tracked, saved by the caller with the key).</summary>
    public void GrantToKey(Guid accountId, ApiKey key, ProductScope scope)
    {
        foreach (var id in scope.ProductIds ?? [])
        {
            db.ProductGrants.Add(new ProductGrant { AccountId = accountId, ApiKeyId = key.Id, ProductId = id });
        }
    }
}
