using LicenseConsole.Auditing;
using LicenseConsole.Common;
using LicenseConsole.Data;
using Microsoft.EntityFrameworkCore;

namespace LicenseConsole.Licensing;

/// <summary>A purchase as billing reports it.</summary>
public sealed record PurchaseRequest(string? OrderId, Guid AccountId, string? SpecCode, int Quantity, string? ProductKey);

/// <summary>The recorded purchase; <see cref="Created"/> is false when the order had been recorded before.</summary>
public sealed record PurchaseOutcome(long Id, string OrderId, Guid AccountId, string SpecCode, int Quantity, string? ProductKey, DateTime CreatedAt, bool Created);

/// <summary>Records purchases from billing: licenses land in the unallocated pool, or in a product's pool when one is named.</summary>
public sealed class PurchaseService(LicenseConsoleDbContext db, LicenseSpecService specs, AuditTrail audit, TimeProvider clock)
{
    public const int MaxQuantity = 1_000_000;
    public const int MaxOrderIdLength = 128;

    /// <summary>
    /// Records the purchase once per order id. Repeating an order with the same content changes nothing and
    /// returns the first record; the same order id with different content is refused (order_conflict).
    /// </summary>
    public async Task<PurchaseOutcome> RecordAsync(PurchaseRequest request, CancellationToken cancellationToken = default)
    {
        var orderId = (request.OrderId ?? "").Trim();
        if (orderId.Length is 0 or > MaxOrderIdLength || !Text.IsPrintable(orderId))
        {
            throw Refusals.OrderIdInvalid.Error(("max", MaxOrderIdLength));
        }

        if (request.Quantity is < 1 or > MaxQuantity)
        {
            throw Refusals.PurchaseQuantityInvalid.Error(("max", MaxQuantity));
        }

        var spec = await specs.RequireAsync(request.SpecCode, "specCode", cancellationToken);
        if (!await db.Accounts.AnyAsync(a => a.Id == request.AccountId, cancellationToken))
        {
            throw Refusals.AccountNotFound.Error();
        }

        ProductRef? product = null;
        if (!string.IsNullOrWhiteSpace(request.ProductKey))
        {
            var key = Keys.NormalizeLookup(request.ProductKey)
                ?? throw Refusals.ProductNotFound.Error();
            product = await db.Products
                .Where(p => p.ProductKey == key && p.AccountId == request.AccountId && p.DeletedAt == null)
                .Select(p => new ProductRef(p.Id, p.ProductKey, p.SpecCode))
                .SingleOrDefaultAsync(cancellationToken)
                ?? throw Refusals.ProductNotFound.Error();
            if (product.SpecCode is not null && product.SpecCode != spec.Code)
            {
                throw SpecMismatch(product.SpecCode, spec.Code);
            }
        }

        var incoming = new PurchaseOutcome(0, orderId, request.AccountId, spec.Code, request.Quantity, product?.ProductKey, default, Created: true);
        var earlier = await FindAsync(orderId, cancellationToken);
        if (earlier is not null)
        {
            return SameOrder(earlier, incoming);
        }

        var strategy = db.Database.CreateExecutionStrategy();
        var recorded = await strategy.ExecuteAsync(async () =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var now = clock.GetUtcNow().UtcDateTime;
            var purchase = new Purchase
            {
                OrderId = orderId,
                AccountId = request.AccountId,
                SpecCode = spec.Code,
                Quantity = request.Quantity,
                ProductId = product?.Id,
                CreatedAt = now,
            };
            db.Purchases.Add(purchase);
            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateException e) when (DbErrors.IsUniqueViolation(e))
            {
                // The same order arrived twice at once; the other request recorded it.
                await transaction.RollbackAsync(cancellationToken);
                db.ChangeTracker.Clear();
                return null;
            }

            if (product is null)
            {
                // Both providers speak this upsert; the pool row appears with the account's first licenses of a spec.
                await db.Database.ExecuteSqlInterpolatedAsync(
                    $"INSERT INTO unallocated_pools (account_id, spec_code, quantity) VALUES ({request.AccountId}, {spec.Code}, {(long)request.Quantity}) ON CONFLICT (account_id, spec_code) DO UPDATE SET quantity = unallocated_pools.quantity + excluded.quantity",
                    cancellationToken);
            }
            else
            {
                await ProductSpec.ClaimAsync(db, product.Id, spec.Code, cancellationToken);
                await db.ProductPools.Where(pp => pp.ProductId == product.Id)
                    .ExecuteUpdateAsync(s => s.SetProperty(pp => pp.Total, pp => pp.Total + request.Quantity), cancellationToken);
            }

            audit.Record(request.AccountId, AuditActions.PurchaseRecord, product?.ProductKey ?? spec.Code, null,
                new { orderId, spec = spec.Code, quantity = request.Quantity, productKey = product?.ProductKey }, product?.Id);
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return incoming with { Id = purchase.Id, CreatedAt = now };
        });

        if (recorded is not null)
        {
            return recorded;
        }

        return SameOrder(await FindAsync(orderId, cancellationToken) ?? throw new InvalidOperationException("A conflicting order vanished."), incoming);
    }

    private async Task<PurchaseOutcome?> FindAsync(string orderId, CancellationToken cancellationToken) =>
        await db.Purchases.AsNoTracking()
            .Where(p => p.OrderId == orderId)
            .Select(p => new PurchaseOutcome(
                p.Id, p.OrderId, p.AccountId, p.SpecCode, p.Quantity,
                db.Products.Where(x => x.Id == p.ProductId).Select(x => x.ProductKey).FirstOrDefault(),
                p.CreatedAt, false))
            .SingleOrDefaultAsync(cancellationToken);

    private static PurchaseOutcome SameOrder(PurchaseOutcome earlier, PurchaseOutcome incoming)
    {
        var same = earlier.AccountId == incoming.AccountId
            && earlier.SpecCode == incoming.SpecCode
            && earlier.Quantity == incoming.Quantity
            && earlier.ProductKey == incoming.ProductKey;
        return same
            ? earlier with { Created = false }
            : throw Refusals.OrderConflict.Error();
    }

    internal static DomainException SpecMismatch(string productSpec, string requestedSpec) =>
        Refusals.SpecMismatch.Error(("productSpec", productSpec), ("requestedSpec", requestedSpec));

    private sealed record ProductRef(long Id, string ProductKey, string? SpecCode);
}
