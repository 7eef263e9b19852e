using System.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.AspNetCore.Mvc.ViewFeatures;

namespace LicenseConsole.Web.Models;

/// <summary>The error page: its status, the request's id, and the refusal's words when a rule refused the request.</summary>
public sealed record ErrorViewModel(int StatusCode, string? RequestId, string? Reason = null)
{
    /// <summary>Where a refusal made before any action ran (a missing right) leaves its words for the re-executed error page.</summary>
    public const string ReasonItem = "lc:refusal-reason";

    /// <summary>The error page as an action's answer, with <paramref name="status"/>.</summary>
    public static ViewResult Page(HttpContext context, int status, string? reason = null) => new()
    {
        ViewName = "Error",
        StatusCode = status,
        ViewData = new ViewDataDictionary(context.RequestServices.GetRequiredService<IModelMetadataProvider>(), new ModelStateDictionary())
        {
            Model = new ErrorViewModel(status, Activity.Current?.Id ?? context.TraceIdentifier, reason),
        },
    };
}
