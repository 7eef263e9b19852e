using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json.Serialization;
using System.Text.Unicode;
using LicenseConsole.Accounts;
using LicenseConsole.Common;
using LicenseConsole.Data;
using LicenseConsole.Web.Api;
using LicenseConsole.Web.Ui;
using LicenseConsole.Web.Localization;
using LicenseConsole.Web.Tenancy;
using LicenseConsole.Web.Workers;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Localization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.WebEncoders;
using Serilog;

namespace LicenseConsole.Web.Hosting;

public static class WebHostingExtensions
{
    private const string ConsoleScheme = "Console";

    /// <summary>Registers everything the console needs: logging, clock, Core, sign-in, MVC, the API, health.</summary>
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
        AddSignIn(services);
        builder.AddKeyProtection();
        AddApi(services);
        builder.WebHost.ConfigureKestrel(o =>
        {
            // Nothing tells a scanner which server answers.
            o.AddServerHeader = false;
        });
        services.AddDatabaseOutageAnswers();
        builder.AddTransportSecurity();
        services.AddReverseProxySupport();
        services.AddLicenseConsoleRateLimiting();

        AddLocalization(services);
        services.AddHttpContextAccessor();
        services.AddScoped<ConsoleSession>();
        services.AddScoped<DashboardActivity>();

        services.AddControllersWithViews(o => o.Filters.Add(new AutoValidateAntiforgeryTokenAttribute()))
            .AddViewLocalization()
            .AddDataAnnotationsLocalization(o => o.DataAnnotationLocalizerProvider = (_, factory) => factory.Create(typeof(ConsoleText)))
            .AddJsonOptions(o =>
            {
                // The API's contract is exact: unknown members and numbers sent as strings are refused.
                o.JsonSerializerOptions.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
                o.JsonSerializerOptions.NumberHandling = JsonNumberHandling.Strict;

                // The serializer's words name .NET types: ApiValidation words each failure from the catalogue instead.
                o.AllowInputFormatterExceptionMessages = false;
            })
            .ConfigureApiBehaviorOptions(o =>
            {
                o.InvalidModelStateResponseFactory = ApiValidation.Problem;

                // A bare status from MVC (415 for a body that is not JSON) is left to the status code pages, which
                // write it through IProblemDetailsService like every other problem of the API.
                o.SuppressMapClientErrors = true;
            });

        services.AddHostedService<RenewalWorker>();
        services.AddHostedService<EmailWorker>();

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
        app.UseReverseProxySupport();
        app.UseSecurityHeaders();

        // The API answers every error as problem+json; the console as a page.
        app.UseWhen(IsApi, api =>
        {
            // No API call needs a larger body than the largest legitimate one (a full connect-batch).
            api.Use((context, next) =>
            {
                if (context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
                {
                    limit.MaxRequestBodySize = ApiLimits.MaxRequestBodyBytes;
                }

                return next(context);
            });
            api.UseExceptionHandler();
            api.UseStatusCodePages();
        });
        app.UseWhen(context => !IsApi(context), pages =>
        {
            if (!app.Environment.IsDevelopment())
            {
                pages.UseExceptionHandler("/error");
            }

            pages.UseStatusCodePagesWithReExecute("/error/{0}");
        });
        app.UseTransportSecurity();

        // The host's logger, not the static bootstrap one: request events follow the configured levels and sinks.
        // One line per request at Information; the static files and health probes that every page and balancer
        // sends at Debug, so the log says what people and scripts did.
        app.UseSerilogRequestLogging(o =>
        {
            o.Logger = app.Services.GetRequiredService<Serilog.ILogger>();
            o.GetLevel = (context, _, error) => error is not null || context.Response.StatusCode >= 500 ? Serilog.Events.LogEventLevel.Error
                : context.Response.StatusCode < 400 && (Path.HasExtension(context.Request.Path.Value) || context.Request.Path.StartsWithSegments("/health"))
                    ? Serilog.Events.LogEventLevel.Debug
                    : Serilog.Events.LogEventLevel.Information;
        });
        app.UseRequestLocalization();
        app.UseRouting();
        app.UseAuthentication();
        app.UseMiddleware<TenantMiddleware>();

        // After authentication (the API is limited per account) and before authorization (a caller without a
        // valid key is counted, and refused, before it is told 401).
        app.UseRateLimiter();
        app.UseAuthorization();

        app.MapStaticAssets().AllowAnonymous();
        app.MapHealthChecks("/health").AllowAnonymous();
        app.MapOpenApi().AllowAnonymous();
        app.MapControllers();
        return app;
    }

    internal static bool IsApi(HttpContext context) => context.Request.Path.StartsWithSegments("/api");

    private static void AddSignIn(IServiceCollection services)
    {
        services.AddLicenseConsoleIdentity().AddSignInManager();
        services.AddScoped<ConsoleSignIn>();

        // One default scheme that picks the credential the request carries: an API key, or the sign-in cookie.
        services.AddAuthentication(o =>
            {
                o.DefaultScheme = ConsoleScheme;
                o.DefaultChallengeScheme = ConsoleScheme;
            })
            .AddPolicyScheme(ConsoleScheme, "API key or sign-in cookie", o => o.ForwardDefaultSelector = context =>
                context.Request.Headers.ContainsKey(ApiKeyAuthenticationHandler.HeaderName)
                    ? ApiKeyAuthenticationHandler.SchemeName
                    : IdentityConstants.ApplicationScheme)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null)
            .AddIdentityCookies();

        services.ConfigureApplicationCookie(o =>
        {
            o.LoginPath = "/account/sign-in";
            o.LogoutPath = "/account/sign-out";
            o.Cookie.Name = "LicenseConsole.Auth";
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Lax;
            o.ExpireTimeSpan = SignInSessionService.IdleLifetime;
            o.SlidingExpiration = true;

            // Every request: the cookie's session must still be live on the server, and the user's role and
            // products are read as they are now (signed out, removed or changed, the next request knows).
            o.Events.OnValidatePrincipal = ConsoleSignIn.ValidateAsync;

            // A script calling the API without credentials gets 401, not a redirect to a page.
            o.Events.OnRedirectToLogin = context => IsApi(context.HttpContext)
                ? ApiProblems.WriteAsync(context.HttpContext, ApiProblems.Of(Refusals.Unauthorized))
                : Redirect(context);
            // A page the user may not open answers 403 where it stands (the error page explains), not a redirect.
            o.Events.OnRedirectToAccessDenied = context =>
            {
                if (IsApi(context.HttpContext))
                {
                    return ApiProblems.WriteAsync(context.HttpContext, ApiProblems.Of(Refusals.EndpointForbidden));
                }

                context.Response.StatusCode = StatusCodes.Status403Forbidden;
                return Task.CompletedTask;
            };
        });

        // Every endpoint needs an authenticated caller unless it says otherwise (sign-in page, health, static files).
        var authorization = services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build())
            .AddPolicy(ConsoleClaims.PlatformPolicy, p => p.RequireClaim(ConsoleClaims.Platform))
            .AddPolicy(ConsoleClaims.UserPolicy, p => p.RequireClaim(ConsoleClaims.AccountId).RequireClaim(ConsoleClaims.Session));
        foreach (var right in Enum.GetValues<Right>())
        {
            authorization.AddPolicy(ConsoleClaims.PolicyOf(right), p => p.RequireAuthenticatedUser().AddRequirements(new RightRequirement(right)));
        }

        services.AddSingleton<IAuthorizationHandler, RightRequirementHandler>();
        services.AddSingleton<Microsoft.AspNetCore.Authorization.IAuthorizationMiddlewareResultHandler, RightRefusalHandler>();

    }

    /// <summary>Chinese and English: the user's choice (a cookie), else the browser's, else English.</summary>
    private static void AddLocalization(IServiceCollection services)
    {
        services.AddLocalization(o => o.ResourcesPath = "Resources");

        // Pages carry Chinese as text, not as &#x…; entities (still HTML-encoded where it matters).
        services.Configure<WebEncoderOptions>(o => o.TextEncoderSettings = new TextEncoderSettings(UnicodeRanges.All));
        services.Configure<RequestLocalizationOptions>(o =>
        {
            var cultures = ConsoleText.Cultures.Select(c => new CultureInfo(c)).ToList();
            o.DefaultRequestCulture = new RequestCulture(ConsoleText.English);
            o.SupportedCultures = cultures;
            o.SupportedUICultures = cultures;
            o.FallBackToParentCultures = true;
            o.FallBackToParentUICultures = true;
            o.RequestCultureProviders = [new CookieRequestCultureProvider(), new AcceptLanguageHeaderRequestCultureProvider()];
        });

        // Model-binding refusals ("abc" for a date) in the user's language, beside the field like any other.
        services.AddOptions<MvcOptions>().Configure<IStringLocalizerFactory>((o, factory) =>
        {
            var text = factory.Create(typeof(ConsoleText));
            var messages = o.ModelBindingMessageProvider;
            messages.SetAttemptedValueIsInvalidAccessor((value, _) => text["The value '{0}' is not valid.", value]);
            messages.SetNonPropertyAttemptedValueIsInvalidAccessor(value => text["The value '{0}' is not valid.", value]);
            messages.SetUnknownValueIsInvalidAccessor(_ => text["The value is not valid."]);
            messages.SetNonPropertyUnknownValueIsInvalidAccessor(() => text["The value is not valid."]);
            messages.SetValueIsInvalidAccessor(value => text["The value '{0}' is not valid.", value]);
            messages.SetValueMustBeANumberAccessor(_ => text["Enter a number."]);
            messages.SetNonPropertyValueMustBeANumberAccessor(() => text["Enter a number."]);
            messages.SetValueMustNotBeNullAccessor(_ => text["This field is required."]);
            messages.SetMissingBindRequiredValueAccessor(_ => text["This field is required."]);
        });
    }

    private static void AddApi(IServiceCollection services)
    {
        services.AddOptions<PlatformOptions>().BindConfiguration(PlatformOptions.Section);
        services.AddSingleton<PlatformKeys>();

        // The API's writer first: every problem of the API (refusals, the framework's own 404 and 405, failures) is
        // written by it, through IProblemDetailsService.
        services.AddSingleton<IProblemDetailsWriter, ApiProblemWriter>();
        services.AddProblemDetails();
        services.AddOpenApi(o =>
        {
            o.ShouldInclude = description => description.RelativePath?.StartsWith("api/", StringComparison.Ordinal) == true;
            o.AddDocumentTransformer<ApiKeyDocumentTransformer>();
            o.AddDocumentTransformer<ApiRefusalDocumentation>();
            o.AddOperationTransformer<ApiRefusalDocumentation>();
        });
    }

    private static Task Redirect(RedirectContext<Microsoft.AspNetCore.Authentication.Cookies.CookieAuthenticationOptions> context)
    {
        context.Response.Redirect(context.RedirectUri);
        return Task.CompletedTask;
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
