using LicenseConsole.Auditing;
using LicenseConsole.Common;
using LicenseConsole.Data;
using Microsoft.EntityFrameworkCore;

namespace LicenseConsole.Licensing;

/// <summary>An allocation as it is listed.</summary>
public sealed record AllocationRecord(long Id, string ProductKey, string ProductName, string SpecCode, int Quantity, DateTime CreatedAt, string CreatedBy, bool ProductDeleted = false);

/// <summary>What the allocate dialog shows once a product is chosen.</summary>
/// <param name="ProductKey">The product's key.</param>
/// <param name="ProductName">The product's name.</param>
/// <param name="FixedSpec">The product's spec, when it has one; then only that spec fits.</param>
/// <param name="Fits">The specs that may be allocated to the product, each with its maximum allocatable quantity.</param>
public sealed record AllocationOptions(string ProductKey, string ProductName, string? FixedSpec, IReadOnlyList<SpecQuantity> Fits);

/// <summary>Moves licenses from the account's unallocated pool to a product. Irreversible; nothing undoes it.</summary>
public sealed class AllocationService(LicenseConsoleDbContext db, LicenseSpecService specs, AuditTrail audit, TimeProvider clock)
{
    public const int MaxRequestIdLength = 64;

    /// <summary>
    /// Allocates <paramref name="quantity"/> licenses of <paramref name="specCode"/> to the product. The pool
    /// is drawn down by a conditional update, so concurrent allocations never overdraw it. With a
    /// <paramref name="requestId"/>, repeating the request (a double submit) returns the first allocation.
    /// </summary>
    public async Task<AllocationRecord> AllocateAsync(string? productKey, string? specCode, int quantity, string? requestId = null, CancellationToken cancellationToken = default)
    {
        var accountId = db.Tenant.RequireAccountId();
        if (quantity < 1)
        {
            throw Refusals.AllocationQuantityInvalid.Error();
        }

        if (requestId is not null && (requestId.Length is 0 or > MaxRequestIdLength || !Text.IsPrintable(requestId)))
        {
            throw Refusals.RequestIdInvalid.Error(("max", MaxRequestIdLength));
        }

        var product = await FindProductAsync(productKey, cancellationToken);
        var spec = await specs.RequireAsync(specCode, "specCode", cancellationToken);
        if (product.SpecCode is not null && product.SpecCode != spec.Code)
        {
            throw PurchaseService.SpecMismatch(product.SpecCode, spec.Code);
        }

        if (requestId is not null && await FindByRequestAsync(requestId, cancellationToken) is { } repeated)
        {
            return repeated;
        }

        var strategy = db.Database.CreateExecutionStrategy();
        var allocated = await strategy.ExecuteAsync(async () =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            await ProductSpec.ClaimAsync(db, product.Id, spec.Code, cancellationToken);

            var drawn = await db.UnallocatedPools
                .Where(u => u.AccountId == accountId && u.SpecCode == spec.Code && u.Quantity >= quantity)
                .ExecuteUpdateAsync(s => s.SetProperty(u => u.Quantity, u => u.Quantity - quantity), cancellationToken);
            if (drawn == 0)
            {
                await transaction.RollbackAsync(cancellationToken);
                var available = await db.UnallocatedPools.Where(u => u.AccountId == accountId && u.SpecCode == spec.Code)
                    .Select(u => (long?)u.Quantity).SingleOrDefaultAsync(cancellationToken) ?? 0;
                throw Refusals.InsufficientLicenses.Error(("available", available), ("requested", quantity), ("spec", spec.Code));
            }

            await db.ProductPools.Where(pp => pp.ProductId == product.Id)
                .ExecuteUpdateAsync(s => s.SetProperty(pp => pp.Total, pp => pp.Total + quantity), cancellationToken);
            var totalAfter = await db.ProductPools.Where(pp => pp.ProductId == product.Id).Select(pp => pp.Total).SingleAsync(cancellationToken);

            var allocation = new Allocation
            {
                AccountId = accountId,
                ProductId = product.Id,
                SpecCode = spec.Code,
                Quantity = quantity,
                CreatedAt = clock.GetUtcNow().UtcDateTime,
                CreatedBy = db.Tenant.Actor,
                RequestId = requestId,
            };
            db.Allocations.Add(allocation);
            audit.Record(accountId, AuditActions.AllocationCreate, product.ProductKey,
                new { total = totalAfter - quantity },
                new { spec = spec.Code, quantity, total = totalAfter }, product.Id);
            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateException e) when (requestId is not null && DbErrors.IsUniqueViolation(e))
            {
                // A double submit raced this one and won: undo ours, answer with theirs.
                await transaction.RollbackAsync(cancellationToken);
                db.ChangeTracker.Clear();
                return null;
            }

            await transaction.CommitAsync(cancellationToken);
            return new AllocationRecord(allocation.Id, product.ProductKey, product.Name, spec.Code, quantity, allocation.CreatedAt, allocation.CreatedBy);
        });

        return allocated
            ?? await FindByRequestAsync(requestId!, cancellationToken)
            ?? throw new InvalidOperationException("A repeated allocation vanished.");
    }

    /// <summary>The spec that fits the product and how many licenses of it may be allocated at most.</summary>
    public async Task<AllocationOptions> GetOptionsAsync(string? productKey, CancellationToken cancellationToken = default)
    {
        var product = await FindProductAsync(productKey, cancellationToken);
        var pools = await db.UnallocatedPools
            .Where(u => product.SpecCode == null ? u.Quantity > 0 : u.SpecCode == product.SpecCode)
            .Join(db.LicenseSpecs, u => u.SpecCode, s => s.Code, (u, s) => new SpecQuantity(s.Code, new Words(s.Name, s.ChineseName), s.ValidityMonths, u.Quantity))
            .ToListAsync(cancellationToken);
        if (product.SpecCode is not null && pools.Count == 0)
        {
            var spec = await specs.RequireAsync(product.SpecCode, "specCode", cancellationToken);
            pools.Add(new SpecQuantity(spec.Code, spec.Names, spec.ValidityMonths, 0));
        }

        return new AllocationOptions(product.ProductKey, product.Name, product.SpecCode,
            [.. pools.OrderBy(p => p.ValidityMonths).ThenBy(p => p.SpecCode, StringComparer.Ordinal)]);
    }

    /// <summary>
    /// The account's allocations, newest first, optionally of one product (deleted or not); a product the
    /// account does not have is not found, as anywhere else a product is named.
    /// </summary>
    public async Task<Paged<AllocationRecord>> ListAsync(string? productKey, PageRequest page, CancellationToken cancellationToken = default)
    {
        var query = db.Allocations.AsQueryable();
        if (!string.IsNullOrWhiteSpace(productKey))
        {
            var key = Keys.NormalizeLookup(productKey);
            if (key is null || !await db.Products.AnyAsync(p => p.ProductKey == key, cancellationToken))
            {
                throw Refusals.ProductNotFound.Error();
            }

            query = query.Where(a => db.Products.Any(p => p.Id == a.ProductId && p.ProductKey == key));
        }

        var total = await query.LongCountAsync(cancellationToken);
        var items = await Project(query.OrderByDescending(a => a.CreatedAt).ThenByDescending(a => a.Id).Skip(page.Skip).Take(page.PageSize))
            .ToListAsync(cancellationToken);
        return new Paged<AllocationRecord>(items, page.Page, page.PageSize, total);
    }

    private IQueryable<AllocationRecord> Project(IQueryable<Allocation> query) =>
        query.Join(db.Products, a => a.ProductId, p => p.Id,
            (a, p) => new AllocationRecord(a.Id, p.ProductKey, p.Name, a.SpecCode, a.Quantity, a.CreatedAt, a.CreatedBy, p.DeletedAt != null));

    private async Task<AllocationRecord?> FindByRequestAsync(string requestId, CancellationToken cancellationToken) =>
        await Project(db.Allocations.Where(a => a.RequestId == requestId)).SingleOrDefaultAsync(cancellationToken);

    private async Task<ProductForAllocation> FindProductAsync(string? productKey, CancellationToken cancellationToken)
    {
        var key = Keys.NormalizeLookup(productKey) ?? throw Refusals.ProductNotFound.Error();
        return await db.Products
            .Where(p => p.ProductKey == key && p.DeletedAt == null)
            .Select(p => new ProductForAllocation(p.Id, p.ProductKey, p.Name, p.SpecCode))
            .SingleOrDefaultAsync(cancellationToken)
            ?? throw Refusals.ProductNotFound.Error();
    }

    private sealed record ProductForAllocation(long Id, string ProductKey, string Name, string? SpecCode);
}
