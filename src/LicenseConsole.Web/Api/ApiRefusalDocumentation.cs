using System.Text.Json.Nodes;
using LicenseConsole.Common;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace LicenseConsole.Web.Api;

/// <summary>
/// Each operation's refusals in the OpenAPI document, from the refusal catalogue: per status, a problem+json answer
/// whose <c>code</c> is one of the listed codes, each with its words. Every operation may be refused for want of a
/// valid key (401), for the key's kind (403), past the rate limit (429) and while the database is unreachable (503);
/// one that reads input may find it malformed (400); one that takes a body, sent as something other than JSON (415)
/// or too large (413); one that changes something, called with the sign-in cookie without the antiforgery token
/// (400). The rest are the operation's own
/// (<see cref="RefusesAttribute"/>).
/// </summary>
public sealed class ApiRefusalDocumentation : IOpenApiDocumentTransformer, IOpenApiOperationTransformer
{
    private const string ProblemSchema = "Problem";

    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Components ??= new OpenApiComponents();
        document.Components.Schemas ??= new Dictionary<string, IOpenApiSchema>();
        document.Components.Schemas[ProblemSchema] = new OpenApiSchema
        {
            Type = JsonSchemaType.Object,
            Description = "RFC 9457 problem details; 'code' is stable, 'detail' says what to do, 'errors' names the fields at fault.",
            Properties = new Dictionary<string, IOpenApiSchema>
            {
                ["type"] = Text(),
                ["title"] = Text(),
                ["status"] = new OpenApiSchema { Type = JsonSchemaType.Integer },
                ["detail"] = Text(),
                ["instance"] = Text(),
                ["code"] = Text(),
                ["traceId"] = Text(),
                ["errors"] = new OpenApiSchema
                {
                    Type = JsonSchemaType.Object,
                    AdditionalProperties = new OpenApiSchema { Type = JsonSchemaType.Array, Items = Text() },
                },
            },
            Required = new HashSet<string> { "status", "detail", "code" },
        };
        return Task.CompletedTask;
    }

    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var description = context.Description;
        var readsBody = description.ParameterDescriptions.Any(p => p.Source == BindingSource.Body);
        var readsInput = readsBody || description.ParameterDescriptions.Any(p => p.Source == BindingSource.Query);
        var changes = description.HttpMethod is not ("GET" or "HEAD");
        List<Refusal> refusals =
        [
            .. readsInput ? [Refusals.BodyInvalid] : Array.Empty<Refusal>(),
            .. changes ? [Refusals.AntiforgeryFailed] : Array.Empty<Refusal>(),
            .. readsBody ? [Refusals.UnsupportedMediaType, Refusals.PayloadTooLarge] : Array.Empty<Refusal>(),
            .. description.ActionDescriptor.EndpointMetadata.OfType<RefusesAttribute>().SelectMany(a => a.Refusals),
            Refusals.Unauthorized,
            Refusals.EndpointForbidden,
            Refusals.RateLimited,
            Refusals.DatabaseUnavailable,
        ];

        operation.Responses ??= new OpenApiResponses();
        foreach (var byStatus in refusals.Distinct().GroupBy(r => r.Status).OrderBy(g => g.Key))
        {
            var codes = byStatus.Select(r => r.Code).Distinct().ToList();
            var lines = byStatus.GroupBy(r => r.Code).Select(g => $"- `{g.Key}`: {string.Join(" / ", g.Select(r => r.English).Distinct())}");
            operation.Responses[byStatus.Key.ToString(System.Globalization.CultureInfo.InvariantCulture)] = new OpenApiResponse
            {
                Description = "Refused; `code` says why:\n" + string.Join("\n", lines),
                Content = new Dictionary<string, OpenApiMediaType>
                {
                    [ApiProblems.ContentType] = new()
                    {
                        Schema = new OpenApiSchema
                        {
                            AllOf = [new OpenApiSchemaReference(ProblemSchema, context.Document)],
                            Properties = new Dictionary<string, IOpenApiSchema>
                            {
                                ["code"] = new OpenApiSchema { Type = JsonSchemaType.String, Enum = [.. codes.Select(c => (JsonNode)JsonValue.Create(c))] },
                            },
                        },
                    },
                },
            };
        }

        return Task.CompletedTask;
    }

    private static OpenApiSchema Text() => new() { Type = JsonSchemaType.String };
}
