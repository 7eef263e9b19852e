using LicenseConsole.Licensing;

namespace LicenseConsole.Products;

/// <summary>A product of a developer account; its devices consume licenses from its pool.</summary>
public sealed class Product
{
    public long Id { get; init; }
    public Guid AccountId { get; init; }

    /// <summary>The product key (PK), lower-cased and unique across the platform.</summary>
    public required string ProductKey { get; init; }

    public required string Name { get; set; }

    /// <summary>The one spec this product accepts; null until its first licenses arrive.</summary>
    public string? SpecCode { get; set; }

    /// <summary>Product-level auto-renew switch (on by default).</summary>
    public bool AutoRenew { get; set; } = true;

    public DateTime CreatedAt { get; init; }

    /// <summary>Set when the product was deleted; its licenses are then forfeited.</summary>
    public DateTime? DeletedAt { get; set; }

    public ProductPool? Pool { get; set; }
}
