using LicenseConsole.Accounts;
using LicenseConsole.Alerts;
using LicenseConsole.Auditing;
using LicenseConsole.Data;
using LicenseConsole.Demo;
using LicenseConsole.Devices;
using LicenseConsole.Email;
using LicenseConsole.Licensing;
using LicenseConsole.Products;
using LicenseConsole.Renewal;
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
        services.AddMemoryCache(o => o.SizeLimit = 10_000);
        services.AddLicenseConsoleDatabase(configuration, contentRoot);
        services.AddOptions<LicensingOptions>().BindConfiguration(LicensingOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<RenewalOptions>().BindConfiguration(RenewalOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<AlertOptions>().BindConfiguration(AlertOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<SmtpOptions>().BindConfiguration(SmtpOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<EmailOptions>().BindConfiguration(EmailOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<AppOptions>().BindConfiguration(AppOptions.Section).ValidateDataAnnotations().ValidateOnStart();

        services.AddScoped<AuditTrail>();
        services.AddScoped<AccountCalendar>();
        services.AddScoped<AccountService>();
        services.AddScoped<ApiKeyService>();
        services.AddScoped<LicenseSpecService>();
        services.AddScoped<PurchaseService>();
        services.AddScoped<AllocationService>();
        services.AddScoped<ProductService>();
        services.AddScoped<DeviceService>();
        services.AddSingleton<ConnectionSettlement>();
        services.AddOptions<ConnectionBatchingOptions>().BindConfiguration(ConnectionBatchingOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        if (configuration.GetSection(DatabaseOptions.Section).Get<DatabaseOptions>()?.Provider == DatabaseProvider.Postgres)
        {
            // PostgreSQL settles single connections in batches; SQLite (one writer) one by one.
            services.AddSingleton<ConnectionBatcher>();
            services.AddHostedService(sp => sp.GetRequiredService<ConnectionBatcher>());
            services.AddSingleton<IDeviceConnections>(sp => new DeviceConnections(sp.GetRequiredService<ConnectionSettlement>(), sp.GetRequiredService<ConnectionBatcher>()));
        }
        else
        {
            services.AddSingleton<IDeviceConnections>(sp => new DeviceConnections(sp.GetRequiredService<ConnectionSettlement>()));
        }
        services.AddScoped<AlertRecipientService>();
        services.AddScoped<LicenseSummaryService>();
        services.AddScoped<LicenseForecastService>();
        services.AddScoped<SubAccountService>();
        services.AddScoped<ProductScopes>();
        services.AddScoped<SignInSessionService>();
        services.AddScoped<PasswordService>();
        services.AddScoped<AuditLogService>();
        services.AddScoped<LedgerVerifier>();
        services.AddScoped<DemoDataSeeder>();

        services.AddScoped<RenewalJob>();
        services.AddScoped<AlertScanner>();
        services.AddScoped<WorkerCycle>();
        services.AddScoped<WorkerStatusService>();
        services.AddScoped<OutboxDispatcher>();
        services.AddScoped<TestEmailService>();
        services.TryAddSingleton<IEmailSender, MailKitEmailSender>();
        return services;
    }
}
