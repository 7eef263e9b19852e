using System.Diagnostics;
using LicenseConsole.Web.Models;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Core.Infrastructure;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.AspNetCore.Mvc.ViewFeatures;

namespace LicenseConsole.Web.Controllers;

/// <summary>
/// A form the antiforgery check refused answers 400 with the error page at once. Left to the status code
/// pages, the error page would be asked for again with the same form, and a form that cannot be read at all
/// (a NUL, too many fields) would fail there too and turn the 400 into a 500.
/// </summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class AnswerRefusedFormsAttribute : Attribute, IAlwaysRunResultFilter
{
    public void OnResultExecuting(ResultExecutingContext context)
    {
        if (context.Result is IAntiforgeryValidationFailedResult)
        {
            var metadata = context.HttpContext.RequestServices.GetRequiredService<IModelMetadataProvider>();
            context.Result = new ViewResult
            {
                ViewName = "Error",
                StatusCode = StatusCodes.Status400BadRequest,
                ViewData = new ViewDataDictionary(metadata, context.ModelState)
                {
                    Model = new ErrorViewModel(StatusCodes.Status400BadRequest, Activity.Current?.Id ?? context.HttpContext.TraceIdentifier),
                },
            };
        }
    }

    public void OnResultExecuted(ResultExecutedContext context)
    {
    }
}
