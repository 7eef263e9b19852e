namespace LicenseConsole.Licensing;

/// <summary>An irreversible move of licenses from the unallocated pool to a product.</summary>
public sealed class Allocation
{
    public long Id { get; init; }
    public Guid AccountId { get; init; }
    public long ProductId { get; init; }
    public required string SpecCode { get; init; }
    public int Quantity { get; init; }
    public DateTime CreatedAt { get; init; }

    /// <summary>Who allocated: a user's email or an API key's name.</summary>
    public required string CreatedBy { get; init; }

    /// <summary>The caller's idempotency key: the same key within an account allocates once (a double submit).</summary>
    public string? RequestId { get; init; }
}
