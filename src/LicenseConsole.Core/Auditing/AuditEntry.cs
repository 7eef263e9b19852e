namespace LicenseConsole.Auditing;

/// <summary>Who changed what and when, with the state before and after (JSON).</summary>
public sealed class AuditEntry
{
    public long Id { get; init; }
    public Guid AccountId { get; init; }
    public DateTime At { get; init; }
    public required string Actor { get; init; }
    public required string Action { get; init; }
    public required string Subject { get; init; }

    /// <summary>The product the entry concerns, if any: a caller limited to products reads only its products' entries.</summary>
    public long? ProductId { get; init; }
    public string? Before { get; init; }
    public string? After { get; init; }
}
