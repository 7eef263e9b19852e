namespace LicenseConsole.Accounts;

/// <summary>A developer account: the tenant every license, product and recipient belongs to.</summary>
public sealed class Account
{
    public Guid Id { get; init; } = Guid.NewGuid();

    /// <summary>The owner's email, lower-cased; it always receives alerts.</summary>
    public required string OwnerEmail { get; set; }

    public required string DataCenterCode { get; init; }
    public DataCenter? DataCenter { get; init; }

    /// <summary>IANA time zone in which dates are shown and date filters are read.</summary>
    public required string TimeZoneId { get; set; }

    /// <summary>Culture for emails and the console's default language (zh-CN or en).</summary>
    public string Culture { get; set; } = "zh-CN";

    public DateTime CreatedAt { get; init; }
}
