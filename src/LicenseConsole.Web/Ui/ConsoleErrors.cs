using LicenseConsole.Common;
using LicenseConsole.Web.Localization;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.Extensions.Localization;

namespace LicenseConsole.Web.Ui;

/// <summary>A refusal from the rules, worded in the user's language and put beside the field it concerns.</summary>
public static class ConsoleErrors
{
    public static string Describe(DomainException error, IStringLocalizer<ConsoleText> text) => error.Code switch
    {
        ErrorCodes.InsufficientLicenses => text["Only {0} unallocated {1} licenses are left; you asked for {2}.",
            Number(error, "available"), error.Details.GetValueOrDefault("spec") ?? "", Number(error, "requested")],
        ErrorCodes.SpecMismatch => text["This product takes {0} licenses only. A product holds one license spec.",
            error.Details.GetValueOrDefault("productSpec") ?? ""],
        ErrorCodes.ProductNotFound => text["The account has no such product."],
        ErrorCodes.DeviceNotFound => text["The product has no device with this key."],
        ErrorCodes.ProductAutoRenewOff => text["Auto-renew is off for the whole product; turn it on for the product first."],
        ErrorCodes.RecipientExists => text["This email address receives alerts already."],
        ErrorCodes.OwnerRecipientFixed => text["The account owner always receives alerts and cannot be removed."],
        ErrorCodes.AccountExists => text["Someone signs in with this email already."],
        ErrorCodes.Forbidden => text["Your account may not make this change."],
        ErrorCodes.ProductExists => text["A product with this key exists already."],
        _ => text[error.Message],
    };

    /// <summary>Adds the refusal to the model state under its field (renamed through <paramref name="fieldNames"/>), or to the form as a whole.</summary>
    public static void AddTo(ModelStateDictionary modelState, DomainException error, IStringLocalizer<ConsoleText> text, IReadOnlyDictionary<string, string>? fieldNames = null)
    {
        var key = error.Field is null ? "" : fieldNames?.GetValueOrDefault(error.Field) ?? Pascal(error.Field);
        modelState.AddModelError(key, Describe(error, text));
    }

    private static string Number(DomainException error, string name) =>
        error.Details.TryGetValue(name, out var value) && value is IFormattable f ? f.ToString("N0", System.Globalization.CultureInfo.CurrentCulture) : "";

    private static string Pascal(string field) => field.Length == 0 ? field : char.ToUpperInvariant(field[0]) + field[1..];
}
