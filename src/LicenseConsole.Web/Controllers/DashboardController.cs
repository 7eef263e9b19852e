using LicenseConsole.Licensing;
using LicenseConsole.Web.Models;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace LicenseConsole.Web.Controllers;

public sealed class DashboardController(LicenseSummaryService summaries, IOptions<LicensingOptions> licensing) : Controller
{
    [HttpGet("")]
    public async Task<IActionResult> Index(CancellationToken cancellationToken)
    {
        var summary = await summaries.GetSummaryAsync(cancellationToken);
        return View(new DashboardViewModel(summary, licensing.Value.ExpiringThresholdDays));
    }
}
