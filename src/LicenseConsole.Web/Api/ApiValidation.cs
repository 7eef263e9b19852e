using System.Text.Json;
using LicenseConsole.Common;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Abstractions;
using Microsoft.AspNetCore.Mvc.ModelBinding;

namespace LicenseConsole.Web.Api;

/// <summary>
/// Model-binding failures (bad JSON, missing, unknown or mistyped members) as problem+json <c>validation_failed</c>,
/// each field's message from the refusal catalogue. The serializer's own messages name .NET types and are never
/// shown: its exceptions are told apart by what they are and where they point.
/// </summary>
public static class ApiValidation
{
    private const string Body = "body";

    public static IActionResult Problem(ActionContext context)
    {
        var members = BodyMembers(context.ActionDescriptor);
        var errors = context.ModelState
            .SelectMany(e => e.Value!.Errors.Select(error => Describe(e.Key, error, members)))
            .ToList();

        // When the body or a member is at fault, MVC also reports the whole body as missing; that says nothing more.
        if (errors.Any(e => e.Message != Refusals.BodyMissing.English))
        {
            errors.RemoveAll(e => e.Message == Refusals.BodyMissing.English);
        }

        var byField = errors.GroupBy(e => e.Field).ToDictionary(g => g.Key, g => g.Select(e => e.Message).Distinct().ToArray());
        var refused = Refusals.BodyInvalid.Error(("fields", string.Join(", ", byField.Keys)));
        return ApiProblems.Result(ApiProblems.Of(refused.Refusal, refused.Message, byField));
    }

    /// <summary>
    /// A body that cannot be read as text at all (bytes that are not in the charset the Content-Type names, a
    /// broken chunked encoding): the caller's 400, like any other malformed body, not the server's 500; a body over
    /// the server's limit, 413.
    /// </summary>
    public static IActionResult Unreadable(Exception error)
    {
        var refusal = error switch
        {
            System.Text.DecoderFallbackException => Refusals.BodyNotText,
            BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } => Refusals.PayloadTooLarge,
            _ => Refusals.BodyUnreadable,
        };
        return ApiProblems.Result(ApiProblems.Of(refusal, errors: new Dictionary<string, string[]> { [Body] = [refusal.English] }));
    }

    private static (string Field, string Message) Describe(string key, ModelError error, IReadOnlySet<string> members)
    {
        var field = FieldName(key);
        return error.Exception switch
        {
            // The reader's own exception inside: the text is not JSON at all, wherever it broke off.
            JsonException { InnerException: JsonException } => (Body, Refusals.BodyNotJson.English),
            JsonException when field == Body => (Body, Refusals.BodyMissing.English),
            JsonException when !members.Contains(MemberOf(field)) => (field, Refusals.FieldUnknown.English),
            not null => (field, Refusals.FieldWrongType.English),

            // Our own words: the catalogue's (through the attributes of the contracts) or the model binders' (set at start).
            null when field == Body => (Body, Refusals.BodyMissing.English),
            null => (field, error.ErrorMessage.Length > 0 ? error.ErrorMessage : Refusals.FieldWrongType.English),
        };
    }

    /// <summary>The JSON names of the members the action's body takes (any case: the API reads them so).</summary>
    private static IReadOnlySet<string> BodyMembers(ActionDescriptor action)
    {
        var body = action.Parameters.FirstOrDefault(p => p.BindingInfo?.BindingSource == BindingSource.Body)?.ParameterType;
        return (body?.GetProperties().Select(p => p.Name) ?? []).ToHashSet(StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>"connections[3].deviceKey" is a part of the member "connections".</summary>
    private static string MemberOf(string field)
    {
        var end = field.IndexOfAny(['.', '[']);
        return end < 0 ? field : field[..end];
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
}
