namespace LicenseConsole.Alerts;

/// <summary>Someone besides the owner who receives resource alerts.</summary>
public sealed class AlertRecipient
{
    public long Id { get; init; }
    public Guid AccountId { get; init; }
    public required string Name { get; init; }

    /// <summary>Lower-cased; unique within the account.</summary>
    public required string Email { get; init; }

    public DateTime CreatedAt { get; init; }
    public required string CreatedBy { get; init; }
}
