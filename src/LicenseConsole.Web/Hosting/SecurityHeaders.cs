namespace LicenseConsole.Web.Hosting;

/// <summary>
/// The headers every response carries: pages, API answers, static files and error pages alike.
/// </summary>
public static class SecurityHeaders
{
    /// <summary>
    /// Scripts and styles only from the app's own files: no inline script, no inline style, no eval. Pages
    /// pass data to scripts in data-* attributes or a JSON block, and set widths from script (CSSOM), which
    /// style-src does not govern. Bootstrap's icons are data: images in its stylesheet.
    /// </summary>
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; "
        + "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    public const string ReferrerPolicy = "no-referrer";

    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) => app.Use((context, next) =>
    {
        // Set as the response starts, not now: the exception handler clears the headers of a failed response.
        context.Response.OnStarting(() =>
        {
            var headers = context.Response.Headers;
            headers.ContentSecurityPolicy = ContentSecurityPolicy;
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = ReferrerPolicy;
            return Task.CompletedTask;
        });
        return next(context);
    });
}
