namespace LicenseConsole.Licensing;

/// <summary>How much of a product's licenses its devices have used.</summary>
public sealed record ProductUsage(string ProductKey, string Name, long Total, long Used)
{
    public long Remaining => Total - Used;

    /// <summary>
    /// Used as a share of the product's licenses, 0 to 100: products of any size compare on one scale. Two decimals,
    /// rounded down, so that 100 means none left.
    /// </summary>
    public double UsedPercent => Total <= 0 ? 0 : Math.Floor(10_000.0 * Used / Total) / 100;

    public double RemainingPercent => Total <= 0 ? 0 : Math.Round(100 - UsedPercent, 2);
}

/// <summary>The products that have used the largest share of their licenses, and how many products hold licenses at all.</summary>
public sealed record UsageByProduct(IReadOnlyList<ProductUsage> Products, long ProductsWithLicenses)
{
    /// <summary>True when products with licenses were left out to keep the list short.</summary>
    public bool Capped => Products.Count < ProductsWithLicenses;
}
