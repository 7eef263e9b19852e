using System.Globalization;

namespace LicenseConsole.Common;

/// <summary>
/// A request the rules refuse, for one of the reasons of <see cref="Refusals"/>. <see cref="Code"/> is stable (the
/// API's problem+json <c>code</c>); <see cref="Field"/> names the input at fault when there is one, so forms can
/// show the message beside it. The message is the refusal's English words; <see cref="Describe"/> words it in
/// another language.
/// </summary>
public sealed class DomainException : Exception
{
    public DomainException(Refusal refusal, IReadOnlyDictionary<string, object>? details = null, string? field = null)
        : base(refusal.Describe(details ?? new Dictionary<string, object>(), CultureInfo.InvariantCulture))
    {
        Refusal = refusal;
        Details = details ?? new Dictionary<string, object>();
        Field = field ?? refusal.Field;
    }

    public Refusal Refusal { get; }

    public string Code => Refusal.Code;

    public int Status => Refusal.Status;

    public string? Field { get; }

    /// <summary>The numbers and names the refusal's words are filled with.</summary>
    public IReadOnlyDictionary<string, object> Details { get; }

    /// <summary>The refusal in <paramref name="culture"/>'s language.</summary>
    public string Describe(CultureInfo culture) => Refusal.Describe(Details, culture);
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
    public const string SubAccountNotFound = "sub_account_not_found";
    public const string ApiKeyNotFound = "api_key_not_found";
    public const string Conflict = "conflict";
    public const string Unauthorized = "unauthorized";
    public const string MethodNotAllowed = "method_not_allowed";
    public const string NotAcceptable = "not_acceptable";
    public const string PayloadTooLarge = "payload_too_large";
    public const string UnsupportedMediaType = "unsupported_media_type";
    public const string RateLimited = "rate_limited";
    public const string DatabaseUnavailable = "database_unavailable";
    public const string ServiceUnavailable = "service_unavailable";
    public const string Error = "error";
    public const string AntiforgeryFailed = "antiforgery_failed";
}
