using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.CookiePolicy;

namespace LicenseConsole.Web.Hosting;

/// <summary>
/// HTTPS and cookies. Every cookie is HttpOnly and at least SameSite=Lax; outside Development and Testing it is
/// Secure, and plain http is redirected to https (when the https port is known) with HSTS on https answers.
/// Development and Testing run on plain http on loopback, where a Secure cookie would never come back.
/// </summary>
public static class TransportSecurity
{
    public static WebApplicationBuilder AddTransportSecurity(this WebApplicationBuilder builder)
    {
        var secure = PlainHttpAllowed(builder.Environment) ? CookieSecurePolicy.SameAsRequest : CookieSecurePolicy.Always;
        var services = builder.Services;

        // The policy covers every cookie the app writes (sign-in, antiforgery, TempData, language).
        services.Configure<CookiePolicyOptions>(o =>
        {
            o.HttpOnly = HttpOnlyPolicy.Always;
            o.MinimumSameSitePolicy = SameSiteMode.Lax;
            o.Secure = secure;
        });

        // The sign-in cookie is marked on its own as well, so that it stays Secure should the policy go. The
        // antiforgery cookie is not: its SecurePolicy Always throws on every page served over plain http (the
        // benchmark's loopback, a TLS proxy without forwarded headers), where the policy only marks the cookie
        // Secure and a browser, not sending it back over http, has its forms refused.
        services.ConfigureApplicationCookie(o => o.Cookie.SecurePolicy = secure);
        services.Configure<AntiforgeryOptions>(o =>
        {
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Strict;
        });
        return builder;
    }

    public static WebApplication UseTransportSecurity(this WebApplication app)
    {
        if (!app.Environment.IsDevelopment())
        {
            // HSTS is sent on https answers only (and never to localhost); the redirection stays off, with a
            // warning in the log, until it knows the https port (https_port, or an https endpoint of Kestrel).
            app.UseHsts();
            app.UseHttpsRedirection();
        }

        app.UseCookiePolicy();
        return app;
    }

    private static bool PlainHttpAllowed(IWebHostEnvironment environment) =>
        environment.IsDevelopment() || environment.IsEnvironment("Testing");
}
