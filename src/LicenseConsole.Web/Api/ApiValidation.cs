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
