namespace LicenseConsole.Alerts;

/// <summary>The three resource alerts of SPEC rule 12.</summary>
public enum AlertKind
{
    /// <summary>A product's remaining licenses are fewer than its devices that will renew within the threshold.</summary>
    Shortfall,

    /// <summary>Renewals failed for lack of licenses: devices lapsed.</summary>
    Lapsed,

    /// <summary>A product's remaining licenses are at or below a share of its total.</summary>
    LowPool,
}

/// <summary>
/// A resource alert raised for one product, kind and day (in the account's time zone): at most one such
/// row exists, so a condition that lasts all day mails once. Records what was sent and to whom.
/// </summary>
public sealed class Alert
{
    public long Id { get; init; }
    public Guid AccountId { get; init; }
    public long ProductId { get; init; }
    public AlertKind Kind { get; init; }
    public DateOnly Day { get; init; }
    public DateTime CreatedAt { get; init; }

    /// <summary>The figures the alert reported (JSON).</summary>
    public required string Details { get; init; }

    /// <summary>The addresses it was sent to, comma-separated.</summary>
    public required string Recipients { get; init; }

    public required string Subject { get; init; }
}
