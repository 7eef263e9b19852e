using LicenseConsole.Accounts;
using LicenseConsole.Auditing;
using Microsoft.Extensions.Localization;

namespace LicenseConsole.Web.Ui;

/// <summary>
/// The audit log in the page's language: each action in words and the words its changes are told in. The page, its
/// action filter and the CSV export say the same.
/// </summary>
public sealed class AuditLogWords(IStringLocalizer text, ConsoleSession session) : IAuditWords
{
    public string AllProducts => text["All products"];

    /// <summary>An action in words; an action without words yet shows its code.</summary>
    public string Action(string code) => code switch
    {
        AuditActions.AllocationCreate => text["Allocated licenses"],
        AuditActions.ProductCreate => text["Created a product"],
        AuditActions.ProductDelete => text["Deleted a product"],
        AuditActions.ProductAutoRenew => text["Switched product auto-renew"],
        AuditActions.DeviceAutoRenew => text["Switched device auto-renew"],
        AuditActions.DeviceDelete => text["Deleted a device"],
        AuditActions.RecipientAdd => text["Added an alert recipient"],
        AuditActions.RecipientRemove => text["Removed an alert recipient"],
        AuditActions.ApiKeyCreate => text["Created an API key"],
        AuditActions.ApiKeyRevoke => text["Revoked an API key"],
        AuditActions.PurchaseRecord => text["Bought licenses"],
        AuditActions.SubAccountAdd => text["Added a sub-account"],
        AuditActions.SubAccountRemove => text["Removed a sub-account"],
        AuditActions.SubAccountChange => text["Changed a sub-account"],
        AuditActions.SubAccountPassword => text["Set a sub-account's password"],
        AuditActions.PasswordChange => text["Changed the password"],
        AuditActions.UserLockedOut => text["Locked out after failed sign-ins"],
        _ => code,
    };

    /// <summary>What the entry changed, in words on one line ("Auto-renew: On → Off"); empty when it adds nothing to its action.</summary>
    public string Change(AuditRecord entry) =>
        string.Join(AuditChangeDescription.Separator, AuditChangeDescription.Describe(entry.Action, entry.Before, entry.After, this));

    public string? Field(string action, string field) => (action, field) switch
    {
        (AuditActions.ProductCreate or AuditActions.ProductDelete, "name") => text["Product name"],
        (AuditActions.ApiKeyCreate or AuditActions.ApiKeyRevoke, "name") => text["Key name"],
        (_, "name") => text["Name"],
        (AuditActions.PurchaseRecord, "quantity") => text["Quantity bought"],
        (_, "quantity") => text["Quantity"],
        (AuditActions.AllocationCreate, "total") => text["Licenses in the product"],
        (_, "total") => text["Total"],
        (_, "autoRenew") => text["Auto-renew"],
        (_, "spec") => text["License spec"],
        (_, "orderId") => text["Order"],
        (_, "productKey") => text["Product"],
        (_, "productKeys") => text["Products"],
        (_, "email") => text["Email"],
        (_, "role") => text["Role"],
        (_, "maintainsRecipients") => text["Maintain the alert recipients"],
        (_, "prefix") => text["Key prefix"],
        (_, "used") => text["Used"],
        (_, "unused") => text["Unused, forfeited"],
        (_, "devices") => text["Devices"],
        (_, "expiresAt") => text["Expires"],
        (_, "lockedUntil") => text["Locked until"],
        _ => (string?)null,
    };

    public string Switch(bool on) => on ? text["On"] : text["Off"];

    public string YesOrNo(bool yes) => yes ? text["Yes"] : text["No"];

    public string Role(string role) => Rights.ParseGiven(role) is { } given ? ConsoleSession.RoleName(given) : role;

    public string Time(DateTime utc) => session.DateTime(utc);

    public string Labelled(string label, string value) => label + ConsoleSession.Colon + value;
}
