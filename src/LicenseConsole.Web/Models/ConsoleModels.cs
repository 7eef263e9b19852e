using System.ComponentModel.DataAnnotations;
using LicenseConsole.Accounts;
using LicenseConsole.Alerts;
using LicenseConsole.Auditing;
using LicenseConsole.Common;
using LicenseConsole.Devices;
using LicenseConsole.Licensing;
using LicenseConsole.Products;
using Microsoft.AspNetCore.Mvc;

namespace LicenseConsole.Web.Models;

/// <summary>The overview: totals, the two charts' data (usage per product, the renewal forecast), the product table and recent activity.</summary>
public sealed record DashboardViewModel(
    LicenseSummary Summary,
    LicenseForecast Forecast,
    UsageByProduct Usage,
    IReadOnlyList<ProductLicenses> Products,
    long ProductCount,
    IReadOnlyList<AllocationRecord> RecentAllocations,
    IReadOnlyList<ProductChoice> Choices,
    LicenseConsole.Renewal.WorkerStatus Worker)
{
    /// <summary>Bars in the usage chart: more would not fit its height on a phone.</summary>
    public const int UsageChartProducts = 10;

    /// <summary>Products named in the forecast chart; the rest running short are summed as "others".</summary>
    public const int ForecastChartProducts = 4;

    public IReadOnlyList<ShortfallSeries> ShortfallSeries => RenewalCoverage.Series(Forecast.Shortfalls, ForecastChartProducts);
}

/// <summary>The allocate form: the dialog's fields, and the standalone page's.</summary>
public sealed class AllocateForm
{
    [Required(ErrorMessage = "Choose a product.")]
    [StringLength(64)]
    public string? ProductKey { get; set; }

    [Required(ErrorMessage = "Choose a license spec.")]
    [StringLength(32)]
    public string? SpecCode { get; set; }

    [Required(ErrorMessage = "Enter a quantity.")]
    [Range(1, int.MaxValue, ErrorMessage = "Enter a whole number from 1.")]
    public int? Quantity { get; set; }

    /// <summary>Set by the confirm step; without it the server shows the confirm step instead of allocating.</summary>
    public bool Confirmed { get; set; }

    /// <summary>A fresh id per rendered form: submitting the same form twice allocates once.</summary>
    [StringLength(64)]
    public string RequestId { get; set; } = Guid.NewGuid().ToString("N");

    [StringLength(2048)]
    public string? ReturnUrl { get; set; }
}

public sealed record AllocatePageModel(AllocateForm Form, IReadOnlyList<ProductChoice> Products, AllocationOptions? Options, bool ShowConfirm);

public sealed record AllocationRecordsViewModel(Paged<AllocationRecord> Page, string? ProductKey, IReadOnlyList<ProductChoice> Products);

public sealed class NewProductForm
{
    [Required(ErrorMessage = "Enter a product name.")]
    [StringLength(200, ErrorMessage = "The product name may hold at most 200 characters.")]
    public string? Name { get; set; }

    [StringLength(64, ErrorMessage = "The product key may hold at most 64 characters.")]
    [RegularExpression("^[A-Za-z0-9_.:-]*$", ErrorMessage = "Use letters, digits, '-', '_', '.' or ':' only.")]
    public string? ProductKey { get; set; }
}

public sealed record ProductListViewModel(Paged<ProductLicenses> Page, string? Search, IReadOnlySet<string> Short, NewProductForm NewProduct);

/// <summary>The device filters of a product's page, as typed in the browser.</summary>
public sealed class DeviceFilterForm
{
    [StringLength(64)]
    public string? DeviceKey { get; set; }

    public DateOnly? ActivatedFrom { get; set; }

    public DateOnly? ActivatedTo { get; set; }

    public DateOnly? ExpiresFrom { get; set; }

    public DateOnly? ExpiresTo { get; set; }

    [StringLength(64)]
    public string? After { get; set; }

    [StringLength(64)]
    public string? Before { get; set; }

    public DeviceFilter ToFilter() => new(DeviceKey, ActivatedFrom, ActivatedTo, ExpiresFrom, ExpiresTo);

    public bool IsEmpty => DeviceKey is null && ActivatedFrom is null && ActivatedTo is null && ExpiresFrom is null && ExpiresTo is null;
}

public sealed record ProductDetailViewModel(
    ProductLicenses Product,
    DeviceFilterForm Filter,
    DeviceWindow? Devices,
    IReadOnlyList<DeviceRecord> Blacklist,
    ProductShortfall? Shortfall,
    IReadOnlyList<ProductChoice> Choices,
    string? BlacklistError = null);

public sealed record DeleteProductViewModel(ProductForfeit Forfeit, string? Confirm);

public sealed record DeviceDetailViewModel(ProductLicenses Product, DeviceRecord Device, Paged<ActivationRecord> Activations);

/// <summary>The expiring-devices filters, as typed in the browser.</summary>
public sealed class ExpiringFilterForm
{
    public string? Status { get; set; }

    [StringLength(200)]
    public string? ProductName { get; set; }

    [StringLength(64)]
    public string? ProductKey { get; set; }

    [StringLength(64)]
    public string? DeviceKey { get; set; }

    public DateOnly? ActivatedFrom { get; set; }

    public DateOnly? ActivatedTo { get; set; }

    public DateOnly? ExpiresFrom { get; set; }

    public DateOnly? ExpiresTo { get; set; }

    [Range(1, 1_000_000)]
    public int? Page { get; set; }

    public ExpiringStatus ParsedStatus => string.Equals(Status, "lapsed", StringComparison.OrdinalIgnoreCase) ? ExpiringStatus.Lapsed : ExpiringStatus.Expiring;

    /// <summary>True when no filter narrows the list (the tab alone does not).</summary>
    public bool IsEmpty =>
        string.IsNullOrWhiteSpace(ProductName) && string.IsNullOrWhiteSpace(ProductKey) && string.IsNullOrWhiteSpace(DeviceKey)
        && ActivatedFrom is null && ActivatedTo is null && ExpiresFrom is null && ExpiresTo is null;

    public ExpiringFilter ToFilter() => new(ParsedStatus, ProductName, ProductKey, DeviceKey, ActivatedFrom, ActivatedTo, ExpiresFrom, ExpiresTo);
}

public sealed record ExpiringViewModel(ExpiringFilterForm Filter, Paged<ExpiringDevice>? Page, int ThresholdDays);

public sealed class RecipientForm
{
    [Required(ErrorMessage = "Enter a name.")]
    [StringLength(100, ErrorMessage = "The name may hold at most 100 characters.")]
    public string? Name { get; set; }

    [Required(ErrorMessage = "Enter an email address.")]
    [StringLength(256, ErrorMessage = "The email address is too long.")]
    [EmailAddress(ErrorMessage = "Enter a valid email address.")]
    [Printable]
    public string? Email { get; set; }
}

public sealed record RecipientsViewModel(IReadOnlyList<RecipientRecord> Recipients, RecipientForm Form);

public sealed class SubAccountForm
{
    [Required(ErrorMessage = "Enter an email address.")]
    [StringLength(256, ErrorMessage = "The email address is too long.")]
    [EmailAddress(ErrorMessage = "Enter a valid email address.")]
    [Printable]
    public string? Email { get; set; }

    [Required(ErrorMessage = "Enter a password.")]
    [StringLength(200, MinimumLength = 10, ErrorMessage = "The password needs at least 10 characters.")]
    [DataType(DataType.Password)]
    public string? Password { get; set; }

    [StringLength(16)]
    public string? Role { get; set; } = "viewer";

    [ModelBinder(typeof(CheckboxBinder))]
    public bool MaintainsRecipients { get; set; } = true;

    /// <summary>The products the sub-account is limited to (see <see cref="ProductScopeChoice"/>).</summary>
    public List<string>? ProductKeys { get; set; }

    /// <summary>"all" or "chosen" (see <see cref="ProductScopeChoice"/>, which refuses anything else beside the products).</summary>
    public string? ProductScope { get; set; }
}

/// <summary>The owner's change of a sub-account's role, recipients right and products.</summary>
public sealed class SubAccountAccessForm
{
    [Required(ErrorMessage = "Choose a role.")]
    [StringLength(16)]
    public string? Role { get; set; }

    [ModelBinder(typeof(CheckboxBinder))]
    public bool MaintainsRecipients { get; set; }

    public List<string>? ProductKeys { get; set; }

    /// <summary>"all" or "chosen" (see <see cref="ProductScopeChoice"/>, which refuses anything else beside the products).</summary>
    public string? ProductScope { get; set; }
}

/// <summary>A new password the owner sets for a sub-account.</summary>
public sealed class SubAccountPasswordForm
{
    [Required(ErrorMessage = "Enter a password.")]
    [StringLength(200, MinimumLength = 10, ErrorMessage = "The password needs at least 10 characters.")]
    [DataType(DataType.Password)]
    public string? Password { get; set; }
}

public sealed record SubAccountsViewModel(IReadOnlyList<SubAccountRecord> SubAccounts, IReadOnlyList<ProductChoice> Products, SubAccountForm Form);

public sealed class ApiKeyForm
{
    [Required(ErrorMessage = "Enter a name for the key.")]
    [StringLength(100, ErrorMessage = "The name may hold at most 100 characters.")]
    public string? Name { get; set; }

    [StringLength(16)]
    public string? Role { get; set; } = "admin";

    public List<string>? ProductKeys { get; set; }

    /// <summary>"all" or "chosen" (see <see cref="ProductScopeChoice"/>, which refuses anything else beside the products).</summary>
    public string? ProductScope { get; set; }
}

public sealed record ApiKeysViewModel(IReadOnlyList<ApiKeyRecord> Keys, IReadOnlyList<ProductChoice> Products, string? NewKey, ApiKeyForm Form);

/// <summary>A user's change of their own password.</summary>
public sealed class PasswordForm
{
    [Required(ErrorMessage = "Enter your current password.")]
    [StringLength(200)]
    [DataType(DataType.Password)]
    public string? CurrentPassword { get; set; }

    [Required(ErrorMessage = "Enter a new password.")]
    [StringLength(200, MinimumLength = 10, ErrorMessage = "The password needs at least 10 characters.")]
    [DataType(DataType.Password)]
    public string? NewPassword { get; set; }
}

public sealed class AuditFilterForm
{
    [StringLength(64)]
    public string? Action { get; set; }

    [StringLength(256)]
    public string? Actor { get; set; }

    [StringLength(256)]
    public string? Subject { get; set; }

    public DateOnly? From { get; set; }

    public DateOnly? To { get; set; }

    [Range(1, 1_000_000)]
    public int? Page { get; set; }

    public AuditFilter ToFilter() => new(Action, Actor, Subject, From, To);
}

public sealed record AuditViewModel(AuditFilterForm Filter, Paged<AuditRecord>? Page, IReadOnlyList<string> Actions);

public sealed record PagerModel(int Page, int PageSize, long TotalCount)
{
    public long PageCount => (TotalCount + PageSize - 1) / PageSize;

    public static PagerModel Of<T>(Paged<T> page) => new(page.Page, page.PageSize, page.TotalCount);
}

/// <summary>The allocate dialog's choices: the products, one chosen beforehand (on a product's page), where to return.</summary>
public sealed record AllocateDialogModel(IReadOnlyList<ProductChoice> Products, string? ProductKey, string ReturnUrl);

public sealed record DeviceAutoRenewModel(string ProductKey, string DeviceKey, bool DeviceAutoRenew, bool ProductAutoRenew, string ReturnUrl, bool Compact = false);
