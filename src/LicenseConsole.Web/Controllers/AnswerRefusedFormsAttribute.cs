using LicenseConsole.Web.Models;
using Microsoft.AspNetCore.Mvc.Core.Infrastructure;
using Microsoft.AspNetCore.Mvc.Filters;

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
            context.Result = ErrorViewModel.Page(context.HttpContext, StatusCodes.Status400BadRequest);
        }
    }

    public void OnResultExecuted(ResultExecutedContext context)
    {
    }
}
