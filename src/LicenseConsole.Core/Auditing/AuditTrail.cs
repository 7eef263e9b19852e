using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Unicode;
using LicenseConsole.Data;

namespace LicenseConsole.Auditing;

/// <summary>Well-known audit actions.</summary>
public static class AuditActions
{
    public const string AllocationCreate = "allocation.create";
    public const string ProductCreate = "product.create";
    public const string ProductDelete = "product.delete";
    public const string ProductAutoRenew = "product.auto_renew";
    public const string DeviceAutoRenew = "device.auto_renew";
    public const string DeviceDelete = "device.delete";
    public const string RecipientAdd = "recipient.add";
    public const string RecipientRemove = "recipient.remove";
    public const string ApiKeyCreate = "api_key.create";
    public const string ApiKeyRevoke = "api_key.revoke";
    public const string PurchaseRecord = "purchase.record";
    public const string SubAccountAdd = "sub_account.add";
    public const string SubAccountRemove = "sub_account.remove";
    public const string SubAccountChange = "sub_account.change";
    public const string SubAccountPassword = "sub_account.password";
    public const string PasswordChange = "user.password";
    public const string UserLockedOut = "user.locked_out";
}

/// <summary>
/// Adds audit entries to the context; they are saved with the change they describe, in the same
/// transaction, so there is never a change without its entry or an entry without its change.
/// </summary>
public sealed class AuditTrail(LicenseConsoleDbContext db, TimeProvider clock)
{
    // Chinese names stay readable in the log and its export; characters that mean something to HTML (< > & ')
    // are still written as \u escapes.
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Encoder = JavaScriptEncoder.Create(UnicodeRanges.All) };

    /// <summary>Adds an entry; <paramref name="productId"/> names the product it concerns, for callers limited to products.</summary>
    public void Record(Guid accountId, string action, string subject, object? before, object? after, long? productId = null) =>
        RecordAs(db.Tenant.Actor, accountId, action, subject, before, after, productId);

    /// <summary>Adds an entry for something no signed-in caller did (a sign-in attempt): <paramref name="actor"/> says who.</summary>
    public void RecordAs(string actor, Guid accountId, string action, string subject, object? before, object? after, long? productId = null) =>
        db.AuditEntries.Add(new AuditEntry
        {
            AccountId = accountId,
            At = clock.GetUtcNow().UtcDateTime,
            Actor = actor,
            Action = action,
            Subject = subject,
            ProductId = productId,
            Before = before is null ? null : JsonSerializer.Serialize(before, Json),
            After = after is null ? null : JsonSerializer.Serialize(after, Json),
        });
}
