namespace LicenseConsole.Common;

/// <summary>
/// A request the rules refuse. <see cref="Code"/> is stable (the API's problem+json <c>code</c>);
/// <see cref="Field"/> names the input at fault when there is one, so forms can show the message beside it.
/// </summary>
public sealed class DomainException(string code, string message, string? field = null) : Exception(message)
{
    public string Code { get; } = code;
    public string? Field { get; } = field;

    /// <summary>The numbers and names in <see cref="Exception.Message"/>, for callers that word it in another language.</summary>
    public IReadOnlyDictionary<string, object> Details { get; init; } = new Dictionary<string, object>();
}

/// <summary>The stable error codes of the API and the services.</summary>
public static class ErrorCodes
{
    public const string ValidationFailed = "validation_failed";
    public const string NotFound = "not_found";
    public const string AccountExists = "account_exists";
    public const string AccountNotFound = "account_not_found";
    public const string OrderConflict = "order_conflict";
    public const string InsufficientLicenses = "insufficient_licenses";
    public const string SpecMismatch = "spec_mismatch";
    public const string ProductNotFound = "product_not_found";
    public const string ProductDeleted = "product_deleted";
    public const string ProductExists = "product_exists";
    public const string NoLicenseAvailable = "no_license_available";
    public const string AutoRenewOff = "auto_renew_off";
    public const string ProductAutoRenewOff = "product_auto_renew_off";
    public const string RecipientExists = "recipient_exists";
    public const string OwnerRecipientFixed = "owner_recipient_fixed";
    public const string Forbidden = "forbidden";
    public const string DeviceNotFound = "device_not_found";
    public const string RecipientNotFound = "recipient_not_found";
    public const string Conflict = "conflict";
}
