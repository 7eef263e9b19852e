using LicenseConsole.Accounts;
using LicenseConsole.Common;
using LicenseConsole.Licensing;
using LicenseConsole.Products;
using LicenseConsole.Web.Models;
using LicenseConsole.Web.Tenancy;
using LicenseConsole.Web.Ui;
using Microsoft.AspNetCore.Mvc;

namespace LicenseConsole.Web.Controllers;

public sealed class DashboardController(
    LicenseSummaryService summaries, LicenseForecastService forecasts, ProductService products, DashboardActivity activity) : ConsoleController
{
    [HttpGet("")]
    [Requires(Right.Read)]
    public async Task<IActionResult> Index(CancellationToken cancellationToken)
    {
        var summary = await summaries.GetSummaryAsync(cancellationToken);
        var forecast = await forecasts.ForecastAsync(cancellationToken: cancellationToken);
        var usage = await summaries.UsageByProductAsync(DashboardViewModel.UsageChartProducts, cancellationToken);
        var topProducts = await products.ListAsync(null, PageRequest.From(1, 12), cancellationToken);
        var choices = await products.ChoicesAsync(cancellationToken);
        var (recent, worker) = await activity.ReadAsync(cancellationToken);
        return View(new DashboardViewModel(summary, forecast, usage, topProducts.Items, topProducts.TotalCount, recent, choices, worker));
    }
}
