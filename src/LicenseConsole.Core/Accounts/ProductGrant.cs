namespace LicenseConsole.Accounts;

/// <summary>A product a limited sub-account or API key may see and change; exactly one of the two is set.</summary>
public sealed class ProductGrant
{
    public long Id { get; init; }
    public Guid AccountId { get; init; }
    public long ProductId { get; init; }
    public Guid? UserId { get; init; }
    public long? ApiKeyId { get; init; }
}
