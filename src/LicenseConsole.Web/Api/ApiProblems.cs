using System.Globalization;
using LicenseConsole.Common;
using Microsoft.AspNetCore.Mvc;

namespace LicenseConsole.Web.Api;

/// <summary>
/// RFC 9457 problem details with a stable <c>code</c> member, for every API error. Problems are made from the
/// refusal catalogue (<see cref="Refusals"/>) and written only through <see cref="IProblemDetailsService"/>, whose
/// writer for the API is <see cref="ApiProblemWriter"/>.
/// </summary>
public static class ApiProblems
{
    public const string ContentType = "application/problem+json";

    /// <summary>The problem of a refusal from the rules; a validation refusal also names its field under <c>errors</c>.</summary>
    public static ProblemDetails Of(DomainException error) =>
        Of(error.Refusal, error.Message,
            error.Code == ErrorCodes.ValidationFailed && error.Field is { } field ? new Dictionary<string, string[]> { [field] = [error.Message] } : null);

    /// <summary>The problem of a catalogue entry, in its English words unless <paramref name="detail"/> says more.</summary>
    public static ProblemDetails Of(Refusal refusal, string? detail = null, IReadOnlyDictionary<string, string[]>? errors = null)
    {
        var problem = new ProblemDetails
        {
            Status = refusal.Status,
            Title = Title(refusal.Status),
            Detail = detail ?? refusal.Describe(new Dictionary<string, object>(), CultureInfo.InvariantCulture),
            Type = TypeOf(refusal.Code),
        };
        problem.Extensions["code"] = refusal.Code;
        if (errors is not null)
        {
            problem.Extensions["errors"] = errors;
        }

        return problem;
    }

    /// <summary>Answers the request with <paramref name="problem"/>.</summary>
    public static async Task WriteAsync(HttpContext context, ProblemDetails problem)
    {
        context.Response.StatusCode = problem.Status ?? StatusCodes.Status500InternalServerError;
        await context.RequestServices.GetRequiredService<IProblemDetailsService>()
            .WriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = problem });
    }

    /// <summary>An action's answer of <paramref name="problem"/>, written the same way.</summary>
    public static IActionResult Result(ProblemDetails problem) => new ProblemResult(problem);

    /// <summary>Fills what every problem carries: the catalogue's code and words for its status when it has none, the path and the trace id.</summary>
    internal static void Complete(ProblemDetails problem, HttpContext context)
    {
        problem.Status ??= context.Response.StatusCode;
        var entry = Refusals.OfStatus(problem.Status.Value);
        problem.Extensions.TryAdd("code", entry.Code);
        problem.Detail ??= entry.English;
        problem.Title ??= Title(problem.Status.Value);
        problem.Type ??= TypeOf(problem.Extensions["code"] as string ?? entry.Code);
        problem.Instance ??= context.Request.Path;
        problem.Extensions.TryAdd("traceId", context.TraceIdentifier);
    }

    private static string TypeOf(string code) => $"https://licenseconsole.dev/problems/{code}";

    private static string Title(int status) => status switch
    {
        400 => "The request is not valid.",
        401 => "Authentication is required.",
        403 => "The request is refused.",
        404 => "Not found.",
        409 => "The request conflicts with the current state.",
        429 => "Too many requests.",
        503 => "The service is unavailable.",
        _ => "The request could not be completed.",
    };

    private sealed class ProblemResult(ProblemDetails problem) : IActionResult
    {
        public Task ExecuteResultAsync(ActionContext context) => WriteAsync(context.HttpContext, problem);
    }
}

/// <summary>
/// The API's one problem writer: problem+json whatever the Accept header asks for (a script that asked for HTML
/// still learns why it was refused), completed by <see cref="ApiProblems.Complete"/>. Pages are not its concern.
/// </summary>
public sealed class ApiProblemWriter : IProblemDetailsWriter
{
    public bool CanWrite(ProblemDetailsContext context) => Hosting.WebHostingExtensions.IsApi(context.HttpContext);

    public ValueTask WriteAsync(ProblemDetailsContext context)
    {
        var http = context.HttpContext;
        ApiProblems.Complete(context.ProblemDetails, http);
        return new ValueTask(http.Response.WriteAsJsonAsync(context.ProblemDetails, (System.Text.Json.JsonSerializerOptions?)null, ApiProblems.ContentType));
    }
}
