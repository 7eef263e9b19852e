namespace LicenseConsole.Licensing;

/// <summary>Licenses of one spec that an account bought without naming a product.</summary>
public sealed class UnallocatedPool
{
    public Guid AccountId { get; init; }
    public required string SpecCode { get; init; }
    public long Quantity { get; set; }
}
