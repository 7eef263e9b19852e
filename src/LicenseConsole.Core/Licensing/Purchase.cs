namespace LicenseConsole.Licensing;

/// <summary>Licenses bought through billing. The order id makes a purchase idempotent.</summary>
public sealed class Purchase
{
    public long Id { get; init; }
    public required string OrderId { get; init; }
    public Guid AccountId { get; init; }
    public required string SpecCode { get; init; }
    public int Quantity { get; init; }

    /// <summary>Set when the purchase named a product: its licenses went straight to that product's pool.</summary>
    public long? ProductId { get; init; }

    public DateTime CreatedAt { get; init; }
}
