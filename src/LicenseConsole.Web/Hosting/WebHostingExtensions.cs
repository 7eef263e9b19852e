using LicenseConsole.Accounts;
using LicenseConsole.Common;
using LicenseConsole.Data;
using LicenseConsole.Web.Tenancy;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Serilog;

namespace LicenseConsole.Web.Hosting;

public static class WebHostingExtensions
{
    /// <summary>Registers everything the console needs: logging, clock, Core, sign-in, MVC, health.</summary>
    public static WebApplicationBuilder AddLicenseConsoleWeb(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        var configuration = builder.Configuration;

        // The host's logger is its own (preserveStaticLogger): the static bootstrap logger is never frozen
        // into it, so several hosts in one process (the tests) do not race to freeze the same logger.
        services.AddSerilog((provider, logger) => logger
            .ReadFrom.Configuration(configuration)
            .ReadFrom.Services(provider)
            .Enrich.FromLogContext(), preserveStaticLogger: true);

        AddClock(builder);
        services.AddLicenseConsoleCore(configuration, builder.Environment.ContentRootPath);

        services.AddLicenseConsoleIdentity()
            .AddSignInManager()
            .AddClaimsPrincipalFactory<ConsoleClaimsPrincipalFactory>();
        services.AddAuthentication(IdentityConstants.ApplicationScheme).AddIdentityCookies();
        services.ConfigureApplicationCookie(o =>
        {
            o.LoginPath = "/account/sign-in";
            o.LogoutPath = "/account/sign-out";
            o.AccessDeniedPath = "/account/access-denied";
            o.Cookie.Name = "LicenseConsole.Auth";
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Lax;
            o.ExpireTimeSpan = TimeSpan.FromHours(8);
            o.SlidingExpiration = true;
        });

        // Every endpoint needs a signed-in user unless it says otherwise (sign-in page, health, static files).
        services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build());

        // Keys in the database: every instance of the app reads the same ring, so sign-ins survive a
        // restart and work across instances behind a load balancer.
        services.AddDataProtection()
            .SetApplicationName("LicenseConsole")
            .PersistKeysToDbContext<LicenseConsoleDbContext>();

        services.AddControllersWithViews(o => o.Filters.Add(new AutoValidateAntiforgeryTokenAttribute()));

        services.AddHealthChecks().AddDbContextCheck<LicenseConsoleDbContext>("database");
        services.Configure<HealthCheckServiceOptions>(o =>
        {
            foreach (var registration in o.Registrations)
            {
                registration.Timeout = TimeSpan.FromSeconds(5);
            }
        });
        return builder;
    }

    /// <summary>Brings the database to the current schema (and seeds the demo account where wanted).</summary>
    public static async Task InitializeDatabaseAsync(this WebApplication app)
    {
        await using var scope = app.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<DatabaseInitializer>().InitializeAsync(app.Lifetime.ApplicationStopping);
    }

    public static WebApplication UseLicenseConsoleWeb(this WebApplication app)
    {
        if (!app.Environment.IsDevelopment())
        {
            app.UseExceptionHandler("/error");
            app.UseHsts();
        }

        app.UseStatusCodePagesWithReExecute("/error/{0}");
        app.UseSerilogRequestLogging();
        app.UseRouting();
        app.UseAuthentication();
        app.UseMiddleware<TenantMiddleware>();
        app.UseAuthorization();

        app.MapStaticAssets().AllowAnonymous();
        app.MapHealthChecks("/health").AllowAnonymous();
        app.MapControllers();
        return app;
    }

    private static void AddClock(WebApplicationBuilder builder)
    {
        var offset = builder.Configuration.GetValue<TimeSpan?>("Clock:Offset") ?? TimeSpan.Zero;
        if (offset == TimeSpan.Zero)
        {
            return;
        }

        // Moving the clock is for demos and end-to-end tests of expiry, never for production.
        if (builder.Environment.IsDevelopment() || builder.Environment.IsEnvironment("Testing"))
        {
            builder.Services.AddSingleton<TimeProvider>(new OffsetTimeProvider(TimeProvider.System, offset));
            Log.Warning("Clock:Offset {Offset} is in effect: the app's clock runs ahead of real time", offset);
        }
        else
        {
            Log.Warning("Clock:Offset is ignored in the {Environment} environment", builder.Environment.EnvironmentName);
        }
    }
}
