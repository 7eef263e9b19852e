using LicenseConsole.Data;
using Microsoft.EntityFrameworkCore;

namespace LicenseConsole.Products;

/// <summary>A product with its license counts.</summary>
public sealed record ProductLicenses(string ProductKey, string Name, string? SpecCode, long Total, long Used, long Remaining, bool AutoRenew, DateTime CreatedAt);

/// <summary>Reads and maintains the products of the account in scope.</summary>
public sealed class ProductService(LicenseConsoleDbContext db)
{
    /// <summary>The live product with this key in the account's scope, or null (also for another account's key).</summary>
    public async Task<ProductLicenses?> FindAsync(string productKey, CancellationToken cancellationToken = default)
    {
        var key = Common.Keys.Normalize(productKey ?? "");
        return await db.Products
            .Where(p => p.ProductKey == key && p.DeletedAt == null)
            .Select(p => new ProductLicenses(p.ProductKey, p.Name, p.SpecCode, p.Pool!.Total, p.Pool.Used, p.Pool.Total - p.Pool.Used, p.AutoRenew, p.CreatedAt))
            .SingleOrDefaultAsync(cancellationToken);
    }
}
