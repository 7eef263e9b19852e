using LicenseConsole.Accounts;
using LicenseConsole.Alerts;
using LicenseConsole.Common;
using LicenseConsole.Devices;
using LicenseConsole.Licensing;
using LicenseConsole.Products;
using LicenseConsole.Web.Tenancy;
using Microsoft.AspNetCore.Mvc;

namespace LicenseConsole.Web.Api;

/// <summary>The account's endpoints, for account API keys and the console's sign-in cookie.</summary>
public sealed class AccountApiController : ApiControllerBase
{
    /// <summary>The account's licenses: total, used, remaining, unallocated by spec, devices expiring and lapsed.</summary>
    [HttpGet("summary")]
    [Requires(Right.Read)]
    public async Task<SummaryResponse> Summary([FromServices] LicenseSummaryService summaries, CancellationToken cancellationToken) =>
        SummaryResponse.From(await summaries.GetSummaryAsync(cancellationToken));

    /// <summary>The license specs the platform sells (code, name in English and Chinese, validity in months).</summary>
    [HttpGet("specs")]
    [Requires(Right.Read)]
    public async Task<IReadOnlyList<SpecResponse>> Specs([FromServices] LicenseSpecService specs, CancellationToken cancellationToken) =>
        [.. (await specs.ListAsync(cancellationToken)).Select(s => new SpecResponse(s.Code, s.Name, s.ChineseName, s.ValidityMonths))];

    /// <summary>Creates a product; without a product key one is generated.</summary>
    [HttpPost("products")]
    [Requires(Right.ManageProducts)]
    [Refuses(nameof(Refusals.NameMissing), nameof(Refusals.NameTooLong), nameof(Refusals.NameNotPrintable), nameof(Refusals.ProductKeyInvalid), nameof(Refusals.ProductExists))]
    [ProducesResponseType<ProductResponse>(StatusCodes.Status201Created)]
    public async Task<IActionResult> CreateProduct(CreateProductRequest request, [FromServices] ProductService products, CancellationToken cancellationToken)
    {
        var product = ProductResponse.From(await products.CreateAsync(request.Name, request.ProductKey, cancellationToken));
        return Created($"/api/v1/products/{product.ProductKey}", product);
    }

    /// <summary>The account's products with their licenses, by name; <c>search</c> matches a part of the name or key.</summary>
    [HttpGet("products")]
    [Requires(Right.Read)]
    [Refuses(nameof(Refusals.FilterInvalid), nameof(Refusals.PageInvalid), nameof(Refusals.PageSizeInvalid))]
    public async Task<PageResponse<ProductResponse>> Products(
        [FromQuery] string? search, [FromQuery] int? page, [FromQuery] int? pageSize, [FromServices] ProductService products, CancellationToken cancellationToken) =>
        Page(await products.ListAsync(search, PageRequest.From(page, pageSize), cancellationToken), ProductResponse.From);

    /// <summary>One product with its licenses.</summary>
    [HttpGet("products/{productKey}")]
    [Requires(Right.Read)]
    [Refuses(nameof(Refusals.ProductNotFound))]
    public async Task<ProductResponse> Product(string productKey, [FromServices] ProductService products, CancellationToken cancellationToken) =>
        ProductResponse.From(await products.RequireAsync(productKey, cancellationToken));

    /// <summary>Deletes a product, forfeiting its licenses; <c>confirm</c> must repeat the product key.</summary>
    [HttpDelete("products/{productKey}")]
    [Requires(Right.DeleteProducts)]
    [Refuses(nameof(Refusals.ProductNotFound), nameof(Refusals.DeletionNotConfirmed))]
    [ProducesResponseType(StatusCodes.Status204NoContent)]
    public async Task<IActionResult> DeleteProduct(string productKey, [FromQuery] string? confirm, [FromServices] ProductService products, CancellationToken cancellationToken)
    {
        await products.DeleteAsync(productKey, confirm, cancellationToken);
        return NoContent();
    }

    /// <summary>Turns the product's auto-renew on or off; off, its devices' licenses lapse at expiry.</summary>
    [HttpPut("products/{productKey}/auto-renew")]
    [Requires(Right.ManageProducts)]
    [Refuses(nameof(Refusals.ProductNotFound))]
    [ProducesResponseType(StatusCodes.Status204NoContent)]
    public async Task<IActionResult> SetProductAutoRenew(string productKey, AutoRenewRequest request, [FromServices] ProductService products, CancellationToken cancellationToken)
    {
        await products.SetAutoRenewAsync(productKey, request.Enabled!.Value, cancellationToken);
        return NoContent();
    }

    /// <summary>Allocates licenses to a product. Irreversible. An Idempotency-Key header makes a retry allocate once.</summary>
    [HttpPost("allocations")]
    [Requires(Right.Allocate)]
    [Refuses(nameof(Refusals.AllocationQuantityInvalid), nameof(Refusals.RequestIdInvalid), nameof(Refusals.ProductNotFound), nameof(Refusals.SpecUnknown),
        nameof(Refusals.SpecMismatch), nameof(Refusals.InsufficientLicenses))]
    [ProducesResponseType<AllocationResponse>(StatusCodes.Status201Created)]
    public async Task<IActionResult> Allocate(
        AllocateRequest request, [FromHeader(Name = "Idempotency-Key")] string? idempotencyKey, [FromServices] AllocationService allocations, CancellationToken cancellationToken)
    {
        var allocation = await allocations.AllocateAsync(request.ProductKey, request.SpecCode, request.Quantity!.Value, idempotencyKey, cancellationToken);
        return StatusCode(StatusCodes.Status201Created, AllocationResponse.From(allocation));
    }

    /// <summary>The allocation records, newest first, optionally of one product (deleted or not).</summary>
    [HttpGet("allocations")]
    [Requires(Right.Read)]
    [Refuses(nameof(Refusals.ProductNotFound), nameof(Refusals.PageInvalid), nameof(Refusals.PageSizeInvalid))]
    public async Task<PageResponse<AllocationResponse>> Allocations(
        [FromQuery] string? productKey, [FromQuery] int? page, [FromQuery] int? pageSize, [FromServices] AllocationService allocations, CancellationToken cancellationToken) =>
        Page(await allocations.ListAsync(productKey, PageRequest.From(page, pageSize), cancellationToken), AllocationResponse.From);

    /// <summary>A product's devices, filtered by device key and by activation and expiry days.</summary>
    [HttpGet("products/{productKey}/devices")]
    [Requires(Right.Read)]
    [Refuses(nameof(Refusals.ProductNotFound), nameof(Refusals.FilterInvalid), nameof(Refusals.DateRangeReversed), nameof(Refusals.PageInvalid), nameof(Refusals.PageSizeInvalid))]
    public async Task<PageResponse<DeviceResponse>> Devices(
        string productKey,
        [FromQuery] string? deviceKey,
        [FromQuery] DateOnly? activatedFrom,
        [FromQuery] DateOnly? activatedTo,
        [FromQuery] DateOnly? expiresFrom,
        [FromQuery] DateOnly? expiresTo,
        [FromQuery] int? page,
        [FromQuery] int? pageSize,
        [FromServices] DeviceService devices,
        CancellationToken cancellationToken) =>
        Page(await devices.ListAsync(productKey, new DeviceFilter(deviceKey, activatedFrom, activatedTo, expiresFrom, expiresTo),
            PageRequest.From(page, pageSize), cancellationToken), DeviceResponse.From);

    /// <summary>A device's activation records: each license it consumed and the period it bought.</summary>
    [HttpGet("products/{productKey}/devices/{deviceKey}/activations")]
    [Requires(Right.Read)]
    [Refuses(nameof(Refusals.ProductNotFound), nameof(Refusals.DeviceNotFound), nameof(Refusals.PageInvalid), nameof(Refusals.PageSizeInvalid))]
    public async Task<PageResponse<ActivationResponse>> Activations(
        string productKey, string deviceKey, [FromQuery] int? page, [FromQuery] int? pageSize, [FromServices] DeviceService devices, CancellationToken cancellationToken) =>
        Page(await devices.ActivationsAsync(productKey, deviceKey, PageRequest.From(page, pageSize), cancellationToken), ActivationResponse.From);

    /// <summary>Turns a device's auto-renew on or off (its place on the product's blacklist); refused while the product's switch is off.</summary>
    [HttpPut("products/{productKey}/devices/{deviceKey}/auto-renew")]
    [Requires(Right.ManageProducts)]
    [Refuses(nameof(Refusals.ProductNotFound), nameof(Refusals.DeviceNotFound), nameof(Refusals.ProductAutoRenewOff))]
    [ProducesResponseType(StatusCodes.Status204NoContent)]
    public async Task<IActionResult> SetDeviceAutoRenew(
        string productKey, string deviceKey, AutoRenewRequest request, [FromServices] DeviceService devices, CancellationToken cancellationToken)
    {
        await devices.SetAutoRenewAsync(productKey, deviceKey, request.Enabled!.Value, cancellationToken);
        return NoContent();
    }

    /// <summary>The devices whose licenses expire within the threshold (<c>status=expiring</c>) or have lapsed (<c>status=lapsed</c>).</summary>
    [HttpGet("expiring-devices")]
    [Requires(Right.Read)]
    [Refuses(nameof(Refusals.StatusInvalid), nameof(Refusals.ProductNotFound), nameof(Refusals.FilterInvalid), nameof(Refusals.DateRangeReversed), nameof(Refusals.PageInvalid), nameof(Refusals.PageSizeInvalid))]
    public async Task<PageResponse<ExpiringDeviceResponse>> ExpiringDevices(
        [FromQuery] string? productName,
        [FromQuery] string? productKey,
        [FromQuery] string? deviceKey,
        [FromQuery] DateOnly? activatedFrom,
        [FromQuery] DateOnly? activatedTo,
        [FromQuery] DateOnly? expiresFrom,
        [FromQuery] DateOnly? expiresTo,
        [FromQuery] string? status,
        [FromQuery] int? page,
        [FromQuery] int? pageSize,
        [FromServices] DeviceService devices,
        CancellationToken cancellationToken)
    {
        var filter = new ExpiringFilter(ParseStatus(status), productName, productKey, deviceKey, activatedFrom, activatedTo, expiresFrom, expiresTo);
        return Page(await devices.ExpiringAsync(filter, PageRequest.From(page, pageSize), cancellationToken), ExpiringDeviceResponse.From);
    }

    /// <summary>Who receives the resource alerts: the account owner (always) and the recipients added.</summary>
    [HttpGet("alert-recipients")]
    [Requires(Right.Read)]
    [Refuses(nameof(Refusals.PageInvalid), nameof(Refusals.PageSizeInvalid))]
    public async Task<PageResponse<RecipientResponse>> Recipients(
        [FromQuery] int? page, [FromQuery] int? pageSize, [FromServices] AlertRecipientService recipients, CancellationToken cancellationToken) =>
        Page(await recipients.ListAsync(PageRequest.From(page, pageSize), cancellationToken), RecipientResponse.From);

    /// <summary>Adds an alert recipient.</summary>
    [HttpPost("alert-recipients")]
    [Requires(Right.ManageRecipients)]
    [Refuses(nameof(Refusals.NameMissing), nameof(Refusals.NameTooLong), nameof(Refusals.NameNotPrintable), nameof(Refusals.EmailInvalid), nameof(Refusals.RecipientExists))]
    [ProducesResponseType<RecipientResponse>(StatusCodes.Status201Created)]
    public async Task<IActionResult> AddRecipient(AddRecipientRequest request, [FromServices] AlertRecipientService recipients, CancellationToken cancellationToken)
    {
        var recipient = await recipients.AddAsync(request.Name, request.Email, cancellationToken);
        return StatusCode(StatusCodes.Status201Created, RecipientResponse.From(recipient));
    }

    /// <summary>Removes an alert recipient; the owner's own entry stays.</summary>
    [HttpDelete("alert-recipients/{id:long}")]
    [Requires(Right.ManageRecipients)]
    [Refuses(nameof(Refusals.OwnerRecipientFixed), nameof(Refusals.RecipientNotFound))]
    [ProducesResponseType(StatusCodes.Status204NoContent)]
    public async Task<IActionResult> RemoveRecipient(long id, [FromServices] AlertRecipientService recipients, CancellationToken cancellationToken)
    {
        await recipients.RemoveAsync(id, cancellationToken);
        return NoContent();
    }

    internal static ExpiringStatus ParseStatus(string? status) => status?.Trim().ToLowerInvariant() switch
    {
        null or "" or "expiring" => ExpiringStatus.Expiring,
        "lapsed" => ExpiringStatus.Lapsed,
        _ => throw Refusals.StatusInvalid.Error(),
    };
}
