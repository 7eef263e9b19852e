using LicenseConsole.Licensing;

namespace LicenseConsole.Web.Models;

public sealed record DashboardViewModel(LicenseSummary Summary, int ExpiringThresholdDays);
