using System.Globalization;
using System.Text.Encodings.Web;
using LicenseConsole.Common;
using LicenseConsole.Data;
using LicenseConsole.Web.Api;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Localization;
using Npgsql;

namespace LicenseConsole.Web.Hosting;

/// <summary>
/// A request that fails because the database is down, restarting or out of connections is answered 503 with
/// a Retry-After, not 500: the API with problem+json (code <c>database_unavailable</c>), the console with a
/// page of its own that needs no database (the error view's layout reads the signed-in account). Nothing is
/// retried here; the caller retries, and the app recovers by itself once the database is back.
/// </summary>
public static class DatabaseOutage
{
    /// <summary>Seconds a caller is asked to wait: a restarting server is usually back within a few.</summary>
    public const int RetryAfterSeconds = 5;

    /// <summary>Answers database outages with 503 in both the API's and the console's exception handling.</summary>
    public static IServiceCollection AddDatabaseOutageAnswers(this IServiceCollection services) =>
        services.AddExceptionHandler<DatabaseOutageHandler>();
}

/// <summary>The exception handler behind <see cref="DatabaseOutage"/>.</summary>
public sealed partial class DatabaseOutageHandler(IServiceProvider services, ILogger<DatabaseOutageHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (httpContext.Response.HasStarted || !DbErrors.IsDatabaseUnavailable(exception))
        {
            return false;
        }

        // The console's handler has already switched the path to its error page: the original path tells.
        var path = httpContext.Features.Get<IExceptionHandlerPathFeature>()?.Path ?? httpContext.Request.Path.Value ?? "";
        LogOutage(logger, httpContext.Request.Method, path, exception.GetBaseException().Message);

        // The pool hands out idle connections untested: after a server restart every one of them is dead and
        // would fail one more request each. Dropping them lets the next requests open fresh ones.
        services.GetService<NpgsqlDataSource>()?.Clear();

        httpContext.Response.Headers.RetryAfter = DatabaseOutage.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
        var refusal = Refusals.DatabaseUnavailable.Error(("seconds", DatabaseOutage.RetryAfterSeconds));
        if (new PathString(path).StartsWithSegments("/api"))
        {
            await ApiProblems.WriteAsync(httpContext, ApiProblems.Of(refusal));
            return true;
        }

        httpContext.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        httpContext.Response.ContentType = "text/html; charset=utf-8";
        await httpContext.Response.WriteAsync(Page(httpContext, refusal), cancellationToken);
        return true;
    }

    private static string Page(HttpContext context, DomainException refusal)
    {
        var culture = context.Features.Get<IRequestCultureFeature>()?.RequestCulture.UICulture ?? CultureInfo.InvariantCulture;
        var chinese = culture.Name.StartsWith("zh", StringComparison.Ordinal);
        var (language, title, heading, back) = chinese
            ? ("zh-CN", "服务暂不可用", "数据库暂时无法访问", "返回概览")
            : ("en", "Service unavailable", "The database cannot be reached right now", "Back to the overview");
        var text = HtmlEncoder.Default.Encode(refusal.Describe(culture));
        var requestId = HtmlEncoder.Default.Encode(context.TraceIdentifier);
        return $"""
            <!DOCTYPE html>
            <html lang="{language}">
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1.0" />
                <title>{title} · LicenseConsole</title>
                <link rel="stylesheet" href="/lib/bootstrap/dist/css/bootstrap.min.css" />
            </head>
            <body>
            <main class="container text-center py-5" data-testid="database-unavailable">
                <h1 class="display-6">{heading}</h1>
                <p class="text-muted">{text}</p>
                <p class="small text-muted"><code>{requestId}</code></p>
                <a href="/" class="btn btn-primary">{back}</a>
            </main>
            </body>
            </html>
            """;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The database is unavailable: {Method} {Path} answered 503 ({Reason})")]
    private static partial void LogOutage(ILogger logger, string method, string path, string reason);
}
