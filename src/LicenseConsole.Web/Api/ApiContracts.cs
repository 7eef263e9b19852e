using System.ComponentModel.DataAnnotations;
using System.Globalization;
using LicenseConsole.Accounts;
using LicenseConsole.Common;
using LicenseConsole.Alerts;
using LicenseConsole.Devices;
using LicenseConsole.Licensing;
using LicenseConsole.Products;

namespace LicenseConsole.Web.Api;

// Requests. Members are nullable so that a missing member is reported as "required", not read as 0 or false.

/// <summary>A member the request must have; its absence is refused in the catalogue's words.</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter)]
public sealed class RequiredMemberAttribute : RequiredAttribute
{
    public RequiredMemberAttribute() => ErrorMessage = Refusals.FieldRequired.English;
}

/// <summary>A bulk call holds 1 to <see cref="DeviceConnections.MaxPerCall"/> connections.</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter)]
public sealed class ConnectionCountAttribute : ValidationAttribute
{
    public ConnectionCountAttribute() =>
        ErrorMessage = Refusals.ConnectionCountInvalid.Describe(new Dictionary<string, object> { ["max"] = DeviceConnections.MaxPerCall }, CultureInfo.InvariantCulture);

    public override bool IsValid(object? value) => value is not System.Collections.ICollection list || list.Count is >= 1 and <= DeviceConnections.MaxPerCall;
}

public sealed record CreateAccountRequest([RequiredMember] string? Email, [RequiredMember] string? Password, [RequiredMember] string? DataCenter);

public sealed record CreateApiKeyRequest([RequiredMember] string? Name, string? Role = null, IReadOnlyList<string?>? ProductKeys = null);

public sealed record CreateSubAccountRequest(
    [RequiredMember] string? Email, [RequiredMember] string? Password, string? Role = null, bool? MaintainsRecipients = null, IReadOnlyList<string?>? ProductKeys = null);

/// <summary>A member left out (or null) is unchanged; <c>productKeys: []</c> means every product.</summary>
public sealed record UpdateSubAccountRequest(
    string? Email = null, string? Password = null, string? Role = null, bool? MaintainsRecipients = null, IReadOnlyList<string?>? ProductKeys = null);

public sealed record PurchaseBody([RequiredMember] string? OrderId, [RequiredMember] Guid? AccountId, [RequiredMember] string? SpecCode, [RequiredMember] int? Quantity, string? ProductKey);

public sealed record ConnectRequest([RequiredMember] string? ProductKey, [RequiredMember] string? DeviceKey, [RequiredMember] string? DataCenter);

/// <summary>
/// The gateway's bulk call. Each entry is read on its own (<see cref="ConnectBatchEntry"/>), so that a malformed
/// one refuses only itself.
/// </summary>
public sealed record ConnectBatchRequest(
    [RequiredMember, ConnectionCount] IReadOnlyList<System.Text.Json.JsonElement>? Connections);

public sealed record CreateProductRequest([RequiredMember] string? Name, string? ProductKey);

public sealed record AllocateRequest([RequiredMember] string? ProductKey, [RequiredMember] string? SpecCode, [RequiredMember] int? Quantity);

public sealed record AutoRenewRequest([RequiredMember] bool? Enabled);

public sealed record AddRecipientRequest([RequiredMember] string? Name, [RequiredMember] string? Email);

// Responses.

public sealed record PageResponse<T>(IReadOnlyList<T> Items, int Page, int PageSize, long TotalCount);

public sealed record AccountResponse(Guid Id, string Email, string DataCenter);

/// <summary>A minted key: <c>key</c> is shown this once.</summary>
public sealed record ApiKeyResponse(long Id, string Name, string Role, IReadOnlyList<string>? ProductKeys, string Key)
{
    public static ApiKeyResponse From(MintedApiKey minted) =>
        new(minted.Record.Id, minted.Record.Name, Rights.Name(minted.Record.Role), minted.Record.ProductKeys, minted.Key);
}

/// <summary>An API key as listed (never the key itself).</summary>
public sealed record ApiKeyListing(long Id, string Name, string Prefix, string Role, IReadOnlyList<string>? ProductKeys, DateTime CreatedAt, string CreatedBy, DateTime? LastUsedAt, DateTime? RevokedAt)
{
    public static ApiKeyListing From(ApiKeyRecord k) =>
        new(k.Id, k.Name, k.Prefix, Rights.Name(k.Role), k.ProductKeys, k.CreatedAt, k.CreatedBy, k.LastUsedAt, k.RevokedAt);
}

/// <summary>A sub-account: <c>productKeys</c> null means every product.</summary>
public sealed record SubAccountResponse(Guid Id, string Email, string Role, bool MaintainsRecipients, IReadOnlyList<string>? ProductKeys, DateTime CreatedAt)
{
    public static SubAccountResponse From(SubAccountRecord r) => new(r.Id, r.Email, Rights.Name(r.Role), r.MaintainsRecipients, r.ProductKeys, r.CreatedAt);
}

/// <summary>Who the caller is: a user (<c>email</c>) or a key (<c>keyName</c>), its role, products (null: all) and rights.</summary>
public sealed record MeResponse(string? Email, string? KeyName, string Role, IReadOnlyList<string>? ProductKeys, bool MaintainsRecipients, IReadOnlyList<string> Rights);

public sealed record PurchaseResponse(long Id, string OrderId, Guid AccountId, string SpecCode, int Quantity, string? ProductKey, DateTime CreatedAt)
{
    public static PurchaseResponse From(PurchaseOutcome p) => new(p.Id, p.OrderId, p.AccountId, p.SpecCode, p.Quantity, p.ProductKey, p.CreatedAt);
}

public sealed record ConnectResponse(string Result, bool Consumed, DateTime ActivatedAt, DateTime ExpiresAt)
{
    public static ConnectResponse From(ConnectionOutcome o) =>
        new(o.Result.ToString().ToLowerInvariant(), o.Consumed, o.ActivatedAt, o.ExpiresAt);
}

/// <summary>One entry's answer in a bulk call: what <c>POST /devices/connect</c> answers, or its error.</summary>
public sealed record ConnectBatchResponse(IReadOnlyList<object> Results);

public sealed record ConnectBatchError(ConnectBatchErrorBody Error)
{
    public static ConnectBatchError Of(Common.DomainException refusal) => new(new ConnectBatchErrorBody(refusal.Status, refusal.Code, refusal.Message));
}

public sealed record ConnectBatchErrorBody(int Status, string Code, string Detail);

public sealed record SpecQuantityResponse(string SpecCode, long Quantity);

public sealed record SummaryResponse(
    string DataCenter, long Total, long Used, long Remaining, long Unallocated,
    IReadOnlyList<SpecQuantityResponse> UnallocatedBySpec, int ExpiringDevices, int LapsedDevices)
{
    public static SummaryResponse From(LicenseSummary s) => new(
        s.DataCenter, s.Total, s.Used, s.Remaining, s.Unallocated,
        [.. s.UnallocatedBySpec.Select(q => new SpecQuantityResponse(q.SpecCode, q.Quantity))],
        s.ExpiringDevices, s.LapsedDevices);
}

public sealed record SpecResponse(string Code, string Name, string ChineseName, int ValidityMonths);

public sealed record ProductResponse(string ProductKey, string Name, string? SpecCode, long Total, long Used, long Remaining, bool AutoRenew)
{
    public static ProductResponse From(ProductLicenses p) => new(p.ProductKey, p.Name, p.SpecCode, p.Total, p.Used, p.Remaining, p.AutoRenew);
}

public sealed record AllocationResponse(long Id, string ProductKey, string SpecCode, int Quantity, DateTime CreatedAt, string CreatedBy)
{
    public static AllocationResponse From(AllocationRecord a) => new(a.Id, a.ProductKey, a.SpecCode, a.Quantity, a.CreatedAt, a.CreatedBy);
}

public sealed record DeviceResponse(string DeviceKey, string Status, DateTime? ActivatedAt, DateTime? ExpiresAt, bool AutoRenew, int ActivationCount, string? LastDataCenter)
{
    public static DeviceResponse From(DeviceRecord d) =>
        new(d.DeviceKey, d.Status.ToApi(), d.ActivatedAt, d.ExpiresAt, d.AutoRenew, d.ActivationCount, d.LastDataCenter);
}

public sealed record ActivationResponse(long Id, string Kind, DateTime ActivatedAt, DateTime ExpiresAt, string SpecCode, string DataCenter)
{
    public static ActivationResponse From(ActivationRecord a) => new(a.Id, KindName(a.Kind), a.ActivatedAt, a.ExpiresAt, a.SpecCode, a.DataCenter);

    public static string KindName(ActivationKind kind) => kind switch
    {
        ActivationKind.First => "first",
        ActivationKind.Renewal => "renewal",
        _ => "after_lapse",
    };
}

public sealed record ExpiringDeviceResponse(
    string ProductKey, string ProductName, string DeviceKey, string Status, DateTime? ActivatedAt, DateTime? ExpiresAt,
    bool AutoRenew, bool ProductAutoRenew, string? LastDataCenter)
{
    public static ExpiringDeviceResponse From(ExpiringDevice d) => new(
        d.ProductKey, d.ProductName, d.DeviceKey, d.Status.ToApi(), d.ActivatedAt, d.ExpiresAt, d.AutoRenew, d.ProductAutoRenew, d.LastDataCenter);
}

public sealed record RecipientResponse(long Id, string Name, string Email, bool IsOwner)
{
    public static RecipientResponse From(RecipientRecord r) => new(r.Id, r.Name, r.Email, r.IsOwner);
}
