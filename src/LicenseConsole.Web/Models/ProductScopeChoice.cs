using LicenseConsole.Common;
using LicenseConsole.Products;

namespace LicenseConsole.Web.Models;

/// <summary>
/// The products a console form limits a sub-account or key to. Ticked products limit it to them; with none ticked
/// "every product" must be chosen, so that a form whose products were all deleted never widens to every product.
/// </summary>
public static class ProductScopeChoice
{
    public const string All = "all";
    public const string Chosen = "chosen";

    /// <summary>What a form shown again had chosen: its ticked products, none under "only the ticked", or null (every product).</summary>
    public static IReadOnlyCollection<string>? Posted(string? scope, List<string>? ticked) =>
        ticked is { Count: > 0 } ? ticked : scope == Chosen ? [] : null;

    /// <summary>The product keys for the service: the ticked ones, or none (every product).</summary>
    public static IReadOnlyCollection<string?> KeysOf(string? scope, List<string>? ticked, string field)
    {
        if (scope is not (null or All or Chosen))
        {
            throw Refusals.ProductKeysNoneChosen.ErrorFor(field);
        }

        if (ticked is { Count: > 0 })
        {
            return ticked;
        }

        return scope == Chosen ? throw Refusals.ProductKeysNoneChosen.ErrorFor(field) : [];
    }
}

/// <summary>The product choice of a form: its field names, the account's products, those chosen (null: every product), ids and test ids.</summary>
public sealed record ProductScopeChoiceModel(string Name, string ScopeName, IReadOnlyList<ProductChoice> Products, IReadOnlyCollection<string>? Chosen, string IdPrefix, string TestId);
