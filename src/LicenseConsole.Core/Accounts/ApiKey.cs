namespace LicenseConsole.Accounts;

/// <summary>An account-scoped key for scripts. Only its SHA-256 hash is stored; the key is shown once.</summary>
public sealed class ApiKey
{
    public long Id { get; init; }
    public Guid AccountId { get; init; }
    public required string Name { get; init; }

    /// <summary>The first characters of the key, enough to recognise it in a list.</summary>
    public required string Prefix { get; init; }

    /// <summary>Lower-case hex SHA-256 of the whole key.</summary>
    public required string Hash { get; init; }

    /// <summary>Admin, operator or viewer; keys minted before roles existed are admins.</summary>
    public AccessRole Role { get; init; } = AccessRole.Admin;

    /// <summary>True when the key sees only the products granted to it (<see cref="ProductGrant"/>).</summary>
    public bool LimitedToProducts { get; init; }

    public DateTime CreatedAt { get; init; }
    public required string CreatedBy { get; init; }
    public DateTime? RevokedAt { get; set; }
    public DateTime? LastUsedAt { get; set; }
}
