namespace LicenseConsole.Licensing;

/// <summary>The licenses a product holds. Kept apart from the product row so that consumption updates a narrow row.</summary>
public sealed class ProductPool
{
    public long ProductId { get; init; }
    public Guid AccountId { get; init; }
    public long Total { get; set; }
    public long Used { get; set; }
    public long Remaining => Total - Used;
}
