using LicenseConsole.Common;
using LicenseConsole.Data;
using Microsoft.EntityFrameworkCore;

namespace LicenseConsole.Licensing;

/// <summary>The one-spec rule of a product, enforced in the database.</summary>
internal static class ProductSpec
{
    /// <summary>
    /// Gives a product without a spec the spec <paramref name="specCode"/>, or confirms it already has it.
    /// One conditional update, so two first allocations of different specs cannot both win.
    /// </summary>
    public static async Task ClaimAsync(LicenseConsoleDbContext db, long productId, string specCode, CancellationToken cancellationToken)
    {
        var claimed = await db.Products
            .Where(p => p.Id == productId && p.DeletedAt == null && (p.SpecCode == null || p.SpecCode == specCode))
            .ExecuteUpdateAsync(s => s.SetProperty(p => p.SpecCode, specCode), cancellationToken);
        if (claimed == 1)
        {
            return;
        }

        var current = await db.Products.Where(p => p.Id == productId)
            .Select(p => new { p.SpecCode, p.DeletedAt })
            .SingleOrDefaultAsync(cancellationToken);
        if (current is null || current.DeletedAt is not null)
        {
            throw Refusals.ProductNotFound.Error();
        }

        throw PurchaseService.SpecMismatch(current.SpecCode!, specCode);
    }
}
