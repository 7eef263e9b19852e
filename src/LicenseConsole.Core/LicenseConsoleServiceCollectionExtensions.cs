using LicenseConsole.Accounts;
using LicenseConsole.Alerts;
using LicenseConsole.Auditing;
using LicenseConsole.Data;
using LicenseConsole.Demo;
using LicenseConsole.Devices;
using LicenseConsole.Licensing;
using LicenseConsole.Products;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace LicenseConsole;

public static class LicenseConsoleServiceCollectionExtensions
{
    /// <summary>The database, the domain services and their options. The host adds sign-in, pages and workers.</summary>
    public static IServiceCollection AddLicenseConsoleCore(this IServiceCollection services, IConfiguration configuration, string contentRoot)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddLicenseConsoleDatabase(configuration, contentRoot);
        services.AddOptions<LicensingOptions>().BindConfiguration(LicensingOptions.Section).ValidateDataAnnotations().ValidateOnStart();

        services.AddScoped<AuditTrail>();
        services.AddScoped<AccountCalendar>();
        services.AddScoped<AccountService>();
        services.AddScoped<ApiKeyService>();
        services.AddScoped<LicenseSpecService>();
        services.AddScoped<PurchaseService>();
        services.AddScoped<AllocationService>();
        services.AddScoped<ProductService>();
        services.AddScoped<DeviceService>();
        services.AddScoped<DeviceConnectionService>();
        services.AddScoped<AlertRecipientService>();
        services.AddScoped<LicenseSummaryService>();
        services.AddScoped<LicenseForecastService>();
        services.AddScoped<SubAccountService>();
        services.AddScoped<AuditLogService>();
        services.AddScoped<LedgerVerifier>();
        services.AddScoped<DemoDataSeeder>();
        return services;
    }
}
