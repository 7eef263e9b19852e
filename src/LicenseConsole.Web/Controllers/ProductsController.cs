using LicenseConsole.Common;
using LicenseConsole.Devices;
using LicenseConsole.Licensing;
using LicenseConsole.Products;
using LicenseConsole.Web.Models;
using Microsoft.AspNetCore.Mvc;

namespace LicenseConsole.Web.Controllers;

[Route("products")]
public sealed class ProductsController(ProductService products, DeviceService devices, LicenseForecastService forecasts) : ConsoleController
{
    private const int DevicesPerPage = 25;

    [HttpGet("")]
    public async Task<IActionResult> Index(string? search, int? page, CancellationToken cancellationToken)
    {
        try
        {
            return View(await ListAsync(search, page, new NewProductForm(), cancellationToken));
        }
        catch (DomainException e) when (e.Code == ErrorCodes.ValidationFailed)
        {
            AddError(e);
            return Refused("Index", await ListAsync(null, null, new NewProductForm(), cancellationToken));
        }
    }

    [HttpPost("")]
    public async Task<IActionResult> Create([Bind(Prefix = "NewProduct")] NewProductForm form, CancellationToken cancellationToken)
    {
        if (ModelState.IsValid)
        {
            try
            {
                var product = await products.CreateAsync(form.Name, form.ProductKey, cancellationToken);
                return Done(Text["Created product {0} ({1}).", product.Name, product.ProductKey], $"/products/{product.ProductKey}");
            }
            catch (DomainException e)
            {
                AddError(e, new Dictionary<string, string> { ["name"] = "NewProduct.Name", ["productKey"] = "NewProduct.ProductKey" });
            }
        }

        return Refused("Index", await ListAsync(null, null, form, cancellationToken));
    }

    [HttpGet("{productKey}")]
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
    public async Task<IActionResult> SetAutoRenew(string productKey, bool? enabled, CancellationToken cancellationToken)
    {
        if (!ModelState.IsValid || enabled is null)
        {
            return BadRequest();
        }

        try
        {
            await products.SetAutoRenewAsync(productKey, enabled.Value, cancellationToken);
        }
        catch (DomainException)
        {
            return NotFound();
        }

        return Done(enabled.Value ? Text["Auto-renew is on for the product."] : Text["Auto-renew is off for the product: its licenses will lapse at expiry."],
            $"/products/{productKey}#configuration");
    }

    /// <summary>Puts a device on the product's auto-renew blacklist (or takes it off).</summary>
    [HttpPost("{productKey}/blacklist")]
    public async Task<IActionResult> Blacklist(string productKey, string? deviceKey, bool? listed, CancellationToken cancellationToken)
    {
        var product = await products.FindAsync(productKey, cancellationToken);
        if (product is null)
        {
            return NotFound();
        }

        if (!ModelState.IsValid || listed is null)
        {
            return BadRequest();
        }

        try
        {
            await devices.SetAutoRenewAsync(productKey, deviceKey, !listed.Value, cancellationToken);
            return Done(listed.Value ? Text["{0} is on the auto-renew blacklist.", Keys.Normalize(deviceKey ?? "")] : Text["{0} is off the auto-renew blacklist.", Keys.Normalize(deviceKey ?? "")],
                $"/products/{productKey}#configuration");
        }
        catch (DomainException e) when (e.Code == ErrorCodes.ProductAutoRenewOff)
        {
            TempData["Error"] = (string)Ui.ConsoleErrors.Describe(e, Text);
            return LocalRedirect($"/products/{productKey}#configuration");
        }
        catch (DomainException e)
        {
            // A device key the product does not have: the product's page again, the message beside the blacklist's field.
            ModelState.AddModelError(ProductDetailViewModel.BlacklistField, Ui.ConsoleErrors.Describe(e, Text));
            return Refused("Details", await DetailsAsync(product, new DeviceFilterForm(), cancellationToken));
        }
    }

    [HttpGet("{productKey}/delete")]
    public async Task<IActionResult> Delete(string productKey, CancellationToken cancellationToken)
    {
        try
        {
            return View(new DeleteProductViewModel(await products.ForfeitAsync(productKey, cancellationToken), null));
        }
        catch (DomainException)
        {
            return NotFound();
        }
    }

    [HttpPost("{productKey}/delete")]
    public async Task<IActionResult> ConfirmDelete(string productKey, string? confirm, CancellationToken cancellationToken)
    {
        ProductForfeit forfeit;
        try
        {
            forfeit = await products.ForfeitAsync(productKey, cancellationToken);
        }
        catch (DomainException)
        {
            return NotFound();
        }

        try
        {
            await products.DeleteAsync(productKey, confirm, cancellationToken);
            return Done(Text["Deleted product {0}; its licenses are forfeited.", forfeit.Name], "/products");
        }
        catch (DomainException e) when (e.Code == ErrorCodes.ValidationFailed)
        {
            ModelState.AddModelError("confirm", Text["Type the product key exactly as shown to confirm."]);
            return Refused("Delete", new DeleteProductViewModel(forfeit, confirm));
        }
    }

    private async Task<ProductDetailViewModel> DetailsAsync(ProductLicenses product, DeviceFilterForm filter, CancellationToken cancellationToken)
    {
        DeviceWindow? window = null;
        if (ModelState.IsValid || ModelState.ContainsKey(ProductDetailViewModel.BlacklistField))
        {
            try
            {
                window = await devices.BrowseAsync(product.ProductKey, filter.ToFilter(), filter.After, filter.Before, DevicesPerPage, cancellationToken);
            }
            catch (DomainException e)
            {
                AddError(e, new Dictionary<string, string> { ["activatedTo"] = nameof(DeviceFilterForm.ActivatedTo), ["expiresTo"] = nameof(DeviceFilterForm.ExpiresTo) });
            }
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
