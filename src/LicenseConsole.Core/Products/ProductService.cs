using LicenseConsole.Accounts;
using LicenseConsole.Auditing;
using LicenseConsole.Common;
using LicenseConsole.Data;
using LicenseConsole.Licensing;
using Microsoft.EntityFrameworkCore;

namespace LicenseConsole.Products;

/// <summary>A product with its license counts.</summary>
public sealed record ProductLicenses(string ProductKey, string Name, string? SpecCode, long Total, long Used, long Remaining, bool AutoRenew, DateTime CreatedAt);

/// <summary>A product as a choice in a list (the allocate dialog).</summary>
public sealed record ProductChoice(string ProductKey, string Name, bool Deleted = false);

/// <summary>What deleting a product forfeits: shown before the owner confirms.</summary>
public sealed record ProductForfeit(string ProductKey, string Name, long Used, long Unused, long Devices);

/// <summary>Creates, lists, configures and deletes the products of the account in scope.</summary>
public sealed class ProductService(LicenseConsoleDbContext db, AuditTrail audit, TimeProvider clock)
{
    public const int MaxNameLength = 200;

    /// <summary>Creates a product. Without a key, one is generated; a key already used anywhere is refused.</summary>
    public async Task<ProductLicenses> CreateAsync(string? name, string? productKey, CancellationToken cancellationToken = default)
    {
        var accountId = db.Tenant.RequireAccountId();
        var trimmedName = Text.RequireName(name, MaxNameLength, "name", new Words("product name", "产品名称"));
        string? key = null;
        if (!string.IsNullOrWhiteSpace(productKey))
        {
            key = Keys.Normalize(productKey);
            if (!Keys.IsValidKey(key))
            {
                throw Refusals.ProductKeyInvalid.Error();
            }
        }

        for (var attempt = 0; ; attempt++)
        {
            var product = new Product
            {
                AccountId = accountId,
                ProductKey = key ?? Keys.NewProductKey(),
                Name = trimmedName,
                CreatedAt = clock.GetUtcNow().UtcDateTime,
                Pool = new ProductPool { AccountId = accountId },
            };
            try
            {
                var strategy = db.Database.CreateExecutionStrategy();
                await strategy.ExecuteAsync(async () =>
                {
                    await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
                    db.Products.Add(product);
                    await db.SaveChangesAsync(cancellationToken);
                    audit.Record(accountId, AuditActions.ProductCreate, product.ProductKey, null, new { name = trimmedName }, product.Id);
                    JoinCallersScope(product);
                    await db.SaveChangesAsync(cancellationToken);
                    await transaction.CommitAsync(cancellationToken);
                });
                return new ProductLicenses(product.ProductKey, product.Name, null, 0, 0, 0, product.AutoRenew, product.CreatedAt);
            }
            catch (DbUpdateException e) when (DbErrors.IsUniqueViolation(e))
            {
                db.ChangeTracker.Clear();
                if (key is not null || attempt >= 5)
                {
                    throw Refusals.ProductExists.Error();
                }
            }
        }
    }

    /// <summary>A product created by a caller limited to products joins that caller's products, so it can see what it made.</summary>
    private void JoinCallersScope(Product product)
    {
        if (db.Tenant.AllProducts || db.Tenant.Access is not { } access)
        {
            return;
        }

        db.ProductGrants.Add(new ProductGrant { AccountId = product.AccountId, ProductId = product.Id, UserId = access.UserId, ApiKeyId = access.ApiKeyId });
        db.Tenant.AddToScope(product.Id);
    }

    /// <summary>The live product with this key in the account's scope, or null (also for another account's key).</summary>
    public async Task<ProductLicenses?> FindAsync(string? productKey, CancellationToken cancellationToken = default)
    {
        if (Keys.NormalizeLookup(productKey) is not { } key)
        {
            return null;
        }

        return await Project(db.Products.Where(p => p.ProductKey == key && p.DeletedAt == null)).SingleOrDefaultAsync(cancellationToken);
    }

    public async Task<ProductLicenses> RequireAsync(string? productKey, CancellationToken cancellationToken = default) =>
        await FindAsync(productKey, cancellationToken) ?? throw Refusals.ProductNotFound.Error();

    /// <summary>The account's live products, by name; <paramref name="search"/> matches a part of the name or key.</summary>
    public async Task<Paged<ProductLicenses>> ListAsync(string? search, PageRequest page, CancellationToken cancellationToken = default)
    {
        var query = db.Products.Where(p => p.DeletedAt == null);
        if (Text.RequireFilter(search, MaxNameLength, "search") is { } filter)
        {
            var term = filter.ToLower();
            query = query.Where(p => p.Name.ToLower().Contains(term) || p.ProductKey.Contains(term));
        }

        var total = await query.LongCountAsync(cancellationToken);
        var items = await Project(query.OrderBy(p => p.Name).ThenBy(p => p.ProductKey).Skip(page.Skip).Take(page.PageSize)).ToListAsync(cancellationToken);
        return new Paged<ProductLicenses>(items, page.Page, page.PageSize, total);
    }

    /// <summary>The account's live products by name, for choosing one.</summary>
    public async Task<IReadOnlyList<ProductChoice>> ChoicesAsync(CancellationToken cancellationToken = default) =>
        await db.Products.Where(p => p.DeletedAt == null).OrderBy(p => p.Name).ThenBy(p => p.ProductKey)
            .Take(5000)
            .Select(p => new ProductChoice(p.ProductKey, p.Name, false))
            .ToListAsync(cancellationToken);

    /// <summary>Every product that has allocation records, deleted ones last: the records of a deleted product stay searchable.</summary>
    public async Task<IReadOnlyList<ProductChoice>> AllocatedChoicesAsync(CancellationToken cancellationToken = default) =>
        await db.Products.Where(p => db.Allocations.Any(a => a.ProductId == p.Id))
            .OrderBy(p => p.DeletedAt != null).ThenBy(p => p.Name).ThenBy(p => p.ProductKey)
            .Take(5000)
            .Select(p => new ProductChoice(p.ProductKey, p.Name, p.DeletedAt != null))
            .ToListAsync(cancellationToken);

    /// <summary>What deleting the product would forfeit.</summary>
    public async Task<ProductForfeit> ForfeitAsync(string? productKey, CancellationToken cancellationToken = default)
    {
        var key = Keys.NormalizeLookup(productKey) ?? throw Refusals.ProductNotFound.Error();
        return await db.Products
            .Where(p => p.ProductKey == key && p.DeletedAt == null)
            .Select(p => new ProductForfeit(p.ProductKey, p.Name, p.Pool!.Used, p.Pool.Total - p.Pool.Used, db.Devices.LongCount(d => d.ProductId == p.Id && d.DeletedAt == null)))
            .SingleOrDefaultAsync(cancellationToken)
            ?? throw Refusals.ProductNotFound.Error();
    }

    /// <summary>
    /// Deletes the product: its used and unused licenses are forfeited (nothing returns to the unallocated
    /// pool) and its devices can no longer connect. Irreversible; <paramref name="confirmProductKey"/> must
    /// repeat the key.
    /// </summary>
    public async Task DeleteAsync(string? productKey, string? confirmProductKey, CancellationToken cancellationToken = default)
    {
        var accountId = db.Tenant.RequireAccountId();
        var forfeit = await ForfeitAsync(productKey, cancellationToken);
        if (Keys.Normalize(confirmProductKey ?? "") != forfeit.ProductKey)
        {
            throw Refusals.DeletionNotConfirmed.Error();
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var strategy = db.Database.CreateExecutionStrategy();
        await strategy.ExecuteAsync(async () =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var productId = await db.Products.Where(p => p.ProductKey == forfeit.ProductKey).Select(p => p.Id).SingleAsync(cancellationToken);
            var deleted = await db.Products.Where(p => p.Id == productId && p.DeletedAt == null)
                .ExecuteUpdateAsync(s => s.SetProperty(p => p.DeletedAt, now), cancellationToken);
            if (deleted == 0)
            {
                await transaction.RollbackAsync(cancellationToken);
                throw Refusals.ProductNotFound.Error();
            }

            audit.Record(accountId, AuditActions.ProductDelete, forfeit.ProductKey,
                new { name = forfeit.Name, used = forfeit.Used, unused = forfeit.Unused, devices = forfeit.Devices }, null, productId);
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        });
    }

    /// <summary>Turns the product-level auto-renew switch on or off.</summary>
    public async Task SetAutoRenewAsync(string? productKey, bool enabled, CancellationToken cancellationToken = default)
    {
        var accountId = db.Tenant.RequireAccountId();
        var product = await RequireAsync(productKey, cancellationToken);
        var strategy = db.Database.CreateExecutionStrategy();
        await strategy.ExecuteAsync(async () =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var productId = await db.Products.Where(p => p.ProductKey == product.ProductKey).Select(p => p.Id).SingleAsync(cancellationToken);
            await db.Products.Where(p => p.Id == productId && p.DeletedAt == null)
                .ExecuteUpdateAsync(s => s.SetProperty(p => p.AutoRenew, enabled), cancellationToken);
            audit.Record(accountId, AuditActions.ProductAutoRenew, product.ProductKey, new { autoRenew = product.AutoRenew }, new { autoRenew = enabled }, productId);
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        });
    }

    private static IQueryable<ProductLicenses> Project(IQueryable<Product> query) =>
        query.Select(p => new ProductLicenses(p.ProductKey, p.Name, p.SpecCode, p.Pool!.Total, p.Pool.Used, p.Pool.Total - p.Pool.Used, p.AutoRenew, p.CreatedAt));
}
