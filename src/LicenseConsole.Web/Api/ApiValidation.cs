using Microsoft.AspNetCore.Mvc;

namespace LicenseConsole.Web.Api;

/// <summary>Model-binding failures (bad JSON, missing or mistyped members) as problem+json <c>validation_failed</c>.</summary>
public static class ApiValidation
{
    private const string Body = "body";

    public static IActionResult Problem(ActionContext context)
    {
        var errors = context.ModelState
            .Where(e => e.Value is { Errors.Count: > 0 })
            .SelectMany(e => e.Value!.Errors.Select(error => (Field: FieldName(e.Key), Message: Message(error.ErrorMessage))))
            .ToList();

        // When a member is at fault, MVC also reports the whole body as "required"; that says nothing more.
        if (errors.Any(e => e.Field != Body))
        {
            errors.RemoveAll(e => e.Field == Body && e.Message == "This field is required.");
        }

        var byField = errors.GroupBy(e => e.Field).ToDictionary(g => g.Key, g => g.Select(e => e.Message).Distinct().ToArray());
        var problem = ApiProblems.Create(context.HttpContext, StatusCodes.Status400BadRequest, Common.ErrorCodes.ValidationFailed,
            "The request has missing or invalid fields: " + string.Join(", ", byField.Keys) + ".");
        problem.Extensions["errors"] = byField;
        return new ObjectResult(problem) { StatusCode = StatusCodes.Status400BadRequest, ContentTypes = { ApiProblems.ContentType } };
    }

    /// <summary>
    /// A body that cannot be read as text at all (bytes that are not in the charset the Content-Type names, a
    /// broken chunked encoding): the caller's 400, like any other malformed body, not the server's 500.
    /// </summary>
    public static IActionResult Unreadable(ActionContext context, Exception error)
    {
        var detail = error is System.Text.DecoderFallbackException
            ? "The body is not text in the charset its Content-Type names; send UTF-8 JSON."
            : "The body could not be read: " + error.Message;
        var problem = ApiProblems.Create(context.HttpContext, StatusCodes.Status400BadRequest, Common.ErrorCodes.ValidationFailed, detail);
        problem.Extensions["errors"] = new Dictionary<string, string[]> { [Body] = [detail] };
        return new ObjectResult(problem) { StatusCode = StatusCodes.Status400BadRequest, ContentTypes = { ApiProblems.ContentType } };
    }

    /// <summary>
    /// What a problem the framework writes by itself (a route that does not exist, a method or a content type
    /// the endpoint does not take) tells the caller to do, so that no refusal comes without a detail.
    /// </summary>
    public static string DetailOf(int status) => status switch
    {
        StatusCodes.Status400BadRequest => "The request is not valid.",
        StatusCodes.Status401Unauthorized => "Send a valid API key in the X-Api-Key header, or sign in.",
        StatusCodes.Status403Forbidden => "This endpoint is not open to you.",
        StatusCodes.Status404NotFound => "There is nothing at this address. The API's endpoints are listed at /openapi/v1.json.",
        StatusCodes.Status405MethodNotAllowed => "This address does not take this HTTP method. The API's endpoints are listed at /openapi/v1.json.",
        StatusCodes.Status406NotAcceptable => "The API answers application/json (and application/problem+json) only.",
        StatusCodes.Status413PayloadTooLarge => "The request body is too large.",
        StatusCodes.Status415UnsupportedMediaType => "Send the body as JSON, with Content-Type: application/json.",
        StatusCodes.Status429TooManyRequests => "Too many requests: wait as long as Retry-After says, then try again.",
        StatusCodes.Status503ServiceUnavailable => "The service is unavailable for a moment; try again shortly.",
        _ => "The request could not be completed.",
    };

    /// <summary>"$.quantity" and "Quantity" both name the member "quantity"; "$" and the body parameter name the body.</summary>
    private static string FieldName(string key)
    {
        var name = key.StartsWith("$.", StringComparison.Ordinal) ? key[2..] : key;
        if (name is "$" or "" or "request" or "body")
        {
            return Body;
        }

        var dot = name.IndexOf('.', StringComparison.Ordinal);
        if (dot > 0 && name[..dot] is "request" or "body")
        {
            name = name[(dot + 1)..];
        }

        return char.ToLowerInvariant(name[0]) + name[1..];
    }

    /// <summary>The serializer's messages name .NET types; the caller needs to know what to send instead.</summary>
    private static string Message(string message) => message switch
    {
        "" => "The value is not valid.",
        _ when message.Contains("could not be mapped to any .NET member", StringComparison.Ordinal) => "This field is not part of the request.",
        _ when message.StartsWith("The JSON value could not be converted", StringComparison.Ordinal) => "The value has the wrong type or format for this field.",
        _ when message.Contains("LineNumber", StringComparison.Ordinal) || message.Contains("JSON", StringComparison.Ordinal) => "The body is not valid JSON.",
        _ when message.StartsWith("The ", StringComparison.Ordinal) && message.EndsWith(" field is required.", StringComparison.Ordinal) => "This field is required.",
        _ => message,
    };
}
