using LicenseConsole.Common;
using LicenseConsole.Licensing;
using LicenseConsole.Products;
using LicenseConsole.Web.Models;
using Microsoft.AspNetCore.Mvc;

namespace LicenseConsole.Web.Controllers;

public sealed class DashboardController(
    LicenseSummaryService summaries, LicenseForecastService forecasts, ProductService products, AllocationService allocations) : ConsoleController
{
    [HttpGet("")]
    public async Task<IActionResult> Index(CancellationToken cancellationToken)
    {
        var summary = await summaries.GetSummaryAsync(cancellationToken);
        var forecast = await forecasts.ForecastAsync(cancellationToken: cancellationToken);
        var topProducts = await products.ListAsync(null, PageRequest.From(1, 12), cancellationToken);
        var recent = await allocations.ListAsync(null, PageRequest.From(1, 5), cancellationToken);
        var choices = await products.ChoicesAsync(cancellationToken);
        return View(new DashboardViewModel(summary, forecast, topProducts.Items, topProducts.TotalCount, recent.Items, choices));
    }
}
