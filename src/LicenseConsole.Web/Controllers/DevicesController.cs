using LicenseConsole.Accounts;
using LicenseConsole.Common;
using LicenseConsole.Devices;
using LicenseConsole.Licensing;
using LicenseConsole.Products;
using LicenseConsole.Web.Models;
using LicenseConsole.Web.Tenancy;
using LicenseConsole.Web.Ui;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace LicenseConsole.Web.Controllers;

public sealed class DevicesController(DeviceService devices, ProductService products, ConsoleSession session, IOptions<LicensingOptions> licensing) : ConsoleController
{
    [HttpGet("products/{productKey}/devices/{deviceKey}")]
    [Requires(Right.Read)]
    public async Task<IActionResult> Details(string productKey, string deviceKey, int? page, CancellationToken cancellationToken)
    {
        var product = await products.FindAsync(productKey, cancellationToken);
        if (product is null)
        {
            return NotFound();
        }

        var device = await devices.RequireAsync(productKey, deviceKey, cancellationToken);
        var activations = await devices.ActivationsAsync(productKey, deviceKey, PageRequest.From(PageNumber(page), 25), cancellationToken);
        return View(new DeviceDetailViewModel(product, device, activations));
    }

    /// <summary>The per-device auto-renew switch (SPEC rule 10: refused while the product's switch is off).</summary>
    [HttpPost("products/{productKey}/devices/{deviceKey}/auto-renew")]
    [Requires(Right.ManageProducts)]
    public async Task<IActionResult> SetAutoRenew(string productKey, string deviceKey, bool? enabled, string? returnUrl, CancellationToken cancellationToken)
    {
        if (await products.FindAsync(productKey, cancellationToken) is null)
        {
            return NotFound();
        }

        if (!ModelState.IsValid || enabled is null)
        {
            return BadRequest();
        }

        await devices.SetAutoRenewAsync(productKey, deviceKey, enabled.Value, cancellationToken);
        var back = LocalOr(returnUrl, $"/products/{Uri.EscapeDataString(productKey)}/devices/{Uri.EscapeDataString(deviceKey)}");
        return Done(enabled.Value ? Text["Auto-renew is on for {0}.", Keys.Normalize(deviceKey)] : Text["Auto-renew is off for {0}.", Keys.Normalize(deviceKey)], back);
    }

    /// <summary>The devices expiring soon (or lapsed); a product key the account does not have answers 404, the filters still beside it.</summary>
    [HttpGet("devices/expiring")]
    [Requires(Right.Read)]
    [ShowRefusalsOnForm]
    public async Task<IActionResult> Expiring([FromQuery] ExpiringFilterForm filter, CancellationToken cancellationToken)
    {
        var page = ModelState.IsValid ? await devices.ExpiringAsync(filter.ToFilter(), PageRequest.From(filter.Page ?? 1, 50), cancellationToken) : null;
        var model = new ExpiringViewModel(filter, page, licensing.Value.ExpiringThresholdDays);
        return ModelState.IsValid ? View(model) : Refused("Expiring", model);
    }

    /// <summary>The current filter as CSV, streamed row by row.</summary>
    [HttpGet("devices/expiring/export")]
    [Requires(Right.Read)]
    public async Task<IActionResult> Export([FromQuery] ExpiringFilterForm filter, CancellationToken cancellationToken)
    {
        if (!ModelState.IsValid)
        {
            return BadRequest();
        }

        var rows = await devices.StreamExpiringAsync(filter.ToFilter(), cancellationToken);
        await session.ProfileAsync();
        string[] header = [Text["Product name"], Text["Product key"], Text["Device key"], Text["Status"], Text["Activation date"], Text["Expiry date"], Text["Auto-renew"], Text["Last data center"]];
        await CsvExport.WriteAsync(Response, $"expiring-devices-{filter.ParsedStatus.ToString().ToLowerInvariant()}.csv", header, rows,
            d => [d.ProductName, d.ProductKey, d.DeviceKey, DeviceStatusWords.Of(d.Status, Text), session.IsoDateTime(d.ActivatedAt), session.IsoDateTime(d.ExpiresAt),
                d.AutoRenew && d.ProductAutoRenew ? Text["On"] : Text["Off"], d.LastDataCenter],
            cancellationToken);
        return new EmptyResult();
    }
}
