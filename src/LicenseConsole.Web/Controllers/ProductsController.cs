using LicenseConsole.Accounts;
using LicenseConsole.Common;
using LicenseConsole.Devices;
using LicenseConsole.Licensing;
using LicenseConsole.Products;
using LicenseConsole.Web.Models;
using LicenseConsole.Web.Tenancy;
using Microsoft.AspNetCore.Mvc;

namespace LicenseConsole.Web.Controllers;

[Route("products")]
public sealed class ProductsController(ProductService products, DeviceService devices, LicenseForecastService forecasts) : ConsoleController
{
    private const int DevicesPerPage = 25;

    [HttpGet("")]
    [Requires(Right.Read)]
    [ShowRefusalsOnForm]
    public async Task<IActionResult> Index(string? search, int? page, CancellationToken cancellationToken) =>
        ModelState.IsValid
            ? View(await ListAsync(search, page, new NewProductForm(), cancellationToken))
            : Refused("Index", await ListAsync(null, null, new NewProductForm(), cancellationToken));

    [HttpPost("")]
    [Requires(Right.ManageProducts)]
    [ShowRefusalsOnForm]
    public async Task<IActionResult> Create([Bind(Prefix = "NewProduct")] NewProductForm form, CancellationToken cancellationToken)
    {
        if (!ModelState.IsValid)
        {
            return Refused("Index", await ListAsync(null, null, form, cancellationToken));
        }

        var product = await products.CreateAsync(form.Name, form.ProductKey, cancellationToken);
        return Done(Text["Created product {0} ({1}).", product.Name, product.ProductKey], $"/products/{product.ProductKey}");
    }

    [HttpGet("{productKey}")]
    [Requires(Right.Read)]
    [ShowRefusalsOnForm]
    public async Task<IActionResult> Details(string productKey, [FromQuery] DeviceFilterForm filter, CancellationToken cancellationToken)
    {
        var product = await products.FindAsync(productKey, cancellationToken);
        if (product is null)
        {
            return NotFound();
        }

        var model = await DetailsAsync(product, filter, cancellationToken);
        return ModelState.IsValid ? View("Details", model) : Refused("Details", model);
    }

    [HttpPost("{productKey}/auto-renew")]
    [Requires(Right.ManageProducts)]
    public async Task<IActionResult> SetAutoRenew(string productKey, bool? enabled, CancellationToken cancellationToken)
    {
        if (!ModelState.IsValid || enabled is null)
        {
            return BadRequest();
        }

        await products.SetAutoRenewAsync(productKey, enabled.Value, cancellationToken);
        return Done(enabled.Value ? Text["Auto-renew is on for the product."] : Text["Auto-renew is off for the product: its licenses will lapse at expiry."],
            $"/products/{productKey}#configuration");
    }

    /// <summary>Puts a device on the product's auto-renew blacklist (or takes it off).</summary>
    [HttpPost("{productKey}/blacklist")]
    [Requires(Right.ManageProducts)]
    [ShowRefusalsOnForm]
    public async Task<IActionResult> Blacklist(string productKey, string? deviceKey, bool? listed, CancellationToken cancellationToken)
    {
        var product = await products.FindAsync(productKey, cancellationToken);
        if (product is null)
        {
            return NotFound();
        }

        if (listed is null)
        {
            return BadRequest();
        }

        if (!ModelState.IsValid)
        {
            // A device key the product does not have: the product's page again (unfiltered), the message beside the blacklist's field.
            var error = ModelState.Values.SelectMany(v => v.Errors).First().ErrorMessage;
            ModelState.Clear();
            return Refused("Details", await DetailsAsync(product, new DeviceFilterForm(), cancellationToken) with { BlacklistError = error });
        }

        await devices.SetAutoRenewAsync(productKey, deviceKey, !listed.Value, cancellationToken);
        return Done(listed.Value ? Text["{0} is on the auto-renew blacklist.", Keys.Normalize(deviceKey ?? "")] : Text["{0} is off the auto-renew blacklist.", Keys.Normalize(deviceKey ?? "")],
            $"/products/{productKey}#configuration");
    }

    [HttpGet("{productKey}/delete")]
    [Requires(Right.DeleteProducts)]
    public async Task<IActionResult> Delete(string productKey, CancellationToken cancellationToken) =>
        View(new DeleteProductViewModel(await products.ForfeitAsync(productKey, cancellationToken), null));

    [HttpPost("{productKey}/delete")]
    [Requires(Right.DeleteProducts)]
    [ShowRefusalsOnForm]
    public async Task<IActionResult> ConfirmDelete(string productKey, string? confirm, CancellationToken cancellationToken)
    {
        var forfeit = await products.ForfeitAsync(productKey, cancellationToken);
        if (!ModelState.IsValid)
        {
            return Refused("Delete", new DeleteProductViewModel(forfeit, confirm));
        }

        await products.DeleteAsync(productKey, confirm, cancellationToken);
        return Done(Text["Deleted product {0}; its licenses are forfeited.", forfeit.Name], "/products");
    }

    private async Task<ProductDetailViewModel> DetailsAsync(ProductLicenses product, DeviceFilterForm filter, CancellationToken cancellationToken)
    {
        DeviceWindow? window = null;
        if (ModelState.IsValid)
        {
            window = await devices.BrowseAsync(product.ProductKey, filter.ToFilter(), filter.After, filter.Before, DevicesPerPage, cancellationToken);
        }

        var forecast = await forecasts.ForecastAsync(cancellationToken: cancellationToken);
        return new ProductDetailViewModel(
            product,
            filter,
            window,
            await devices.BlacklistAsync(product.ProductKey, cancellationToken),
            forecast.Shortfalls.FirstOrDefault(s => s.ProductKey == product.ProductKey),
            await products.ChoicesAsync(cancellationToken));
    }

    private async Task<ProductListViewModel> ListAsync(string? search, int? page, NewProductForm form, CancellationToken cancellationToken)
    {
        var list = await products.ListAsync(search, PageRequest.From(PageNumber(page), 25), cancellationToken);
        var forecast = await forecasts.ForecastAsync(cancellationToken: cancellationToken);
        return new ProductListViewModel(list, search, forecast.Shortfalls.Select(s => s.ProductKey).ToHashSet(), form);
    }
}
