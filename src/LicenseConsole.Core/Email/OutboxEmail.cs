namespace LicenseConsole.Email;

/// <summary>An email waiting to be sent (or sent). Written in the same transaction as the fact it reports.</summary>
public sealed class OutboxEmail
{
    public long Id { get; init; }
    public Guid? AccountId { get; init; }
    public required string ToAddress { get; init; }
    public string? ToName { get; init; }
    public required string Subject { get; init; }
    public required string HtmlBody { get; init; }
    public required string TextBody { get; init; }
    public DateTime CreatedAt { get; init; }
    public DateTime NextAttemptAt { get; set; }
    public int Attempts { get; set; }
    public DateTime? SentAt { get; set; }
    public string? LastError { get; set; }

    /// <summary>While set and in the future, one sender has claimed the row; others leave it alone.</summary>
    public DateTime? ClaimedUntil { get; set; }
}
