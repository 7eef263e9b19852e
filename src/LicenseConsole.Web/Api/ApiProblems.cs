using LicenseConsole.Common;
using Microsoft.AspNetCore.Mvc;

namespace LicenseConsole.Web.Api;

/// <summary>RFC 9457 problem details with a stable <c>code</c> member, for every API error.</summary>
public static class ApiProblems
{
    public const string ContentType = "application/problem+json";

    /// <summary>The code of a 429: the caller sent more requests than its allowance per minute.</summary>
    public const string RateLimited = "rate_limited";

    /// <summary>The HTTP status of each stable error code.</summary>
    public static int StatusOf(string code) => code switch
    {
        ErrorCodes.ValidationFailed => StatusCodes.Status400BadRequest,
        ErrorCodes.NotFound or ErrorCodes.ProductNotFound or ErrorCodes.DeviceNotFound
            or ErrorCodes.RecipientNotFound or ErrorCodes.AccountNotFound => StatusCodes.Status404NotFound,
        ErrorCodes.NoLicenseAvailable or ErrorCodes.AutoRenewOff or ErrorCodes.ProductDeleted
            or ErrorCodes.Forbidden => StatusCodes.Status403Forbidden,
        _ => StatusCodes.Status409Conflict,
    };

    public static ProblemDetails From(DomainException error, HttpContext context)
    {
        var problem = Create(context, StatusOf(error.Code), error.Code, error.Message);
        if (error.Field is not null && error.Code == ErrorCodes.ValidationFailed)
        {
            problem.Extensions["errors"] = new Dictionary<string, string[]> { [error.Field] = [error.Message] };
        }

        return problem;
    }

    public static ProblemDetails Create(HttpContext context, int status, string code, string detail)
    {
        var problem = new ProblemDetails
        {
            Status = status,
            Title = Title(status),
            Detail = detail,
            Type = $"https://licenseconsole.dev/problems/{code}",
            Instance = context.Request.Path,
        };
        problem.Extensions["code"] = code;
        problem.Extensions["traceId"] = context.TraceIdentifier;
        return problem;
    }

    public static async Task WriteAsync(HttpContext context, int status, string code, string detail)
    {
        context.Response.StatusCode = status;
        await context.Response.WriteAsJsonAsync(Create(context, status, code, detail), (System.Text.Json.JsonSerializerOptions?)null, ContentType);
    }

    /// <summary>A stable code for the statuses the framework itself produces (415, 405, 404 of a route).</summary>
    public static string CodeOf(int status) => status switch
    {
        StatusCodes.Status400BadRequest => ErrorCodes.ValidationFailed,
        StatusCodes.Status401Unauthorized => "unauthorized",
        StatusCodes.Status403Forbidden => ErrorCodes.Forbidden,
        StatusCodes.Status404NotFound => ErrorCodes.NotFound,
        StatusCodes.Status405MethodNotAllowed => "method_not_allowed",
        StatusCodes.Status406NotAcceptable => "not_acceptable",
        StatusCodes.Status413PayloadTooLarge => "payload_too_large",
        StatusCodes.Status415UnsupportedMediaType => "unsupported_media_type",
        StatusCodes.Status429TooManyRequests => RateLimited,
        StatusCodes.Status503ServiceUnavailable => "service_unavailable",
        _ => "error",
    };

    private static string Title(int status) => status switch
    {
        400 => "The request is not valid.",
        401 => "Authentication is required.",
        403 => "The request is refused.",
        404 => "Not found.",
        409 => "The request conflicts with the current state.",
        429 => "Too many requests.",
        _ => "The request could not be completed.",
    };
}
