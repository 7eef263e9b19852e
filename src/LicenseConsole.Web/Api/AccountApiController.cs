using LicenseConsole.Alerts;
using LicenseConsole.Common;
using LicenseConsole.Devices;
using LicenseConsole.Licensing;
using LicenseConsole.Products;
using LicenseConsole.Web.Tenancy;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace LicenseConsole.Web.Api;

/// <summary>The account's endpoints, for account API keys and the console's sign-in cookie.</summary>
[Authorize(Policy = ConsoleClaims.AccountPolicy)]
public sealed class AccountApiController : ApiControllerBase
{
    [HttpGet("summary")]
    public async Task<SummaryResponse> Summary([FromServices] LicenseSummaryService summaries, CancellationToken cancellationToken) =>
        SummaryResponse.From(await summaries.GetSummaryAsync(cancellationToken));

    [HttpGet("specs")]
    public async Task<IReadOnlyList<SpecResponse>> Specs([FromServices] LicenseSpecService specs, CancellationToken cancellationToken) =>
        [.. (await specs.ListAsync(cancellationToken)).Select(s => new SpecResponse(s.Code, s.Name, s.ValidityMonths))];

    [HttpPost("products")]
    [ProducesResponseType<ProductResponse>(StatusCodes.Status201Created)]
    public async Task<IActionResult> CreateProduct(CreateProductRequest request, [FromServices] ProductService products, CancellationToken cancellationToken)
    {
        var product = ProductResponse.From(await products.CreateAsync(request.Name, request.ProductKey, cancellationToken));
        return Created($"/api/v1/products/{product.ProductKey}", product);
    }

    [HttpGet("products")]
    public async Task<PageResponse<ProductResponse>> Products(
        [FromQuery] string? search, [FromQuery] int? page, [FromQuery] int? pageSize, [FromServices] ProductService products, CancellationToken cancellationToken) =>
        Page(await products.ListAsync(search, PageRequest.From(page, pageSize), cancellationToken), ProductResponse.From);

    [HttpGet("products/{productKey}")]
    public async Task<ProductResponse> Product(string productKey, [FromServices] ProductService products, CancellationToken cancellationToken) =>
        ProductResponse.From(await products.RequireAsync(productKey, cancellationToken));

    /// <summary>Deletes a product, forfeiting its licenses; <c>confirm</c> must repeat the product key.</summary>
    [HttpDelete("products/{productKey}")]
    [ProducesResponseType(StatusCodes.Status204NoContent)]
    public async Task<IActionResult> DeleteProduct(string productKey, [FromQuery] string? confirm, [FromServices] ProductService products, CancellationToken cancellationToken)
    {
        await products.DeleteAsync(productKey, confirm, cancellationToken);
        return NoContent();
    }

    [HttpPut("products/{productKey}/auto-renew")]
    [ProducesResponseType(StatusCodes.Status204NoContent)]
    public async Task<IActionResult> SetProductAutoRenew(string productKey, AutoRenewRequest request, [FromServices] ProductService products, CancellationToken cancellationToken)
    {
        await products.SetAutoRenewAsync(productKey, request.Enabled!.Value, cancellationToken);
        return NoContent();
    }

    /// <summary>Allocates licenses to a product. Irreversible. An Idempotency-Key header makes a retry allocate once.</summary>
    [HttpPost("allocations")]
    [ProducesResponseType<AllocationResponse>(StatusCodes.Status201Created)]
    public async Task<IActionResult> Allocate(
        AllocateRequest request, [FromHeader(Name = "Idempotency-Key")] string? idempotencyKey, [FromServices] AllocationService allocations, CancellationToken cancellationToken)
    {
        var allocation = await allocations.AllocateAsync(request.ProductKey, request.SpecCode, request.Quantity!.Value, idempotencyKey, cancellationToken);
        return StatusCode(StatusCodes.Status201Created, AllocationResponse.From(allocation));
    }

    [HttpGet("allocations")]
    public async Task<PageResponse<AllocationResponse>> Allocations(
        [FromQuery] string? productKey, [FromQuery] int? page, [FromQuery] int? pageSize, [FromServices] AllocationService allocations, CancellationToken cancellationToken) =>
        Page(await allocations.ListAsync(productKey, PageRequest.From(page, pageSize), cancellationToken), AllocationResponse.From);

    [HttpGet("products/{productKey}/devices")]
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

    [HttpGet("products/{productKey}/devices/{deviceKey}/activations")]
    public async Task<PageResponse<ActivationResponse>> Activations(
        string productKey, string deviceKey, [FromQuery] int? page, [FromQuery] int? pageSize, [FromServices] DeviceService devices, CancellationToken cancellationToken) =>
        Page(await devices.ActivationsAsync(productKey, deviceKey, PageRequest.From(page, pageSize), cancellationToken), ActivationResponse.From);

    [HttpPut("products/{productKey}/devices/{deviceKey}/auto-renew")]
    [ProducesResponseType(StatusCodes.Status204NoContent)]
    public async Task<IActionResult> SetDeviceAutoRenew(
        string productKey, string deviceKey, AutoRenewRequest request, [FromServices] DeviceService devices, CancellationToken cancellationToken)
    {
        await devices.SetAutoRenewAsync(productKey, deviceKey, request.Enabled!.Value, cancellationToken);
        return NoContent();
    }

    [HttpGet("expiring-devices")]
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

    [HttpGet("alert-recipients")]
    public async Task<PageResponse<RecipientResponse>> Recipients(
        [FromQuery] int? page, [FromQuery] int? pageSize, [FromServices] AlertRecipientService recipients, CancellationToken cancellationToken) =>
        Page(await recipients.ListAsync(PageRequest.From(page, pageSize), cancellationToken), RecipientResponse.From);

    [HttpPost("alert-recipients")]
    [ProducesResponseType<RecipientResponse>(StatusCodes.Status201Created)]
    public async Task<IActionResult> AddRecipient(AddRecipientRequest request, [FromServices] AlertRecipientService recipients, CancellationToken cancellationToken)
    {
        var recipient = await recipients.AddAsync(request.Name, request.Email, cancellationToken);
        return StatusCode(StatusCodes.Status201Created, RecipientResponse.From(recipient));
    }

    [HttpDelete("alert-recipients/{id:long}")]
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
        _ => throw new DomainException(ErrorCodes.ValidationFailed, "The status must be 'expiring' or 'lapsed'.", "status"),
    };
}
