using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace LicenseConsole.Web.Api;

/// <summary>Describes the X-Api-Key header in the OpenAPI document.</summary>
public sealed class ApiKeyDocumentTransformer : IOpenApiDocumentTransformer
{
    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Info.Title = "LicenseConsole API";
        document.Info.Description = "Device licenses: purchases, allocation, device connections, and the account's reports. " +
            "Platform keys (gateway, billing) and account keys go in the X-Api-Key header; errors are RFC 9457 problem+json with a stable 'code'.";
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes["ApiKey"] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.ApiKey,
            In = ParameterLocation.Header,
            Name = ApiKeyAuthenticationHandler.HeaderName,
            Description = "A platform key or an account key.",
        };
        document.Security ??= [];
        document.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference("ApiKey", document)] = [] });
        return Task.CompletedTask;
    }
}
