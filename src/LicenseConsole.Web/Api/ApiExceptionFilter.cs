using LicenseConsole.Common;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;

namespace LicenseConsole.Web.Api;

/// <summary>Turns a refused request into problem+json with its stable code. A refusal changed nothing.</summary>
public sealed class ApiExceptionFilter : IExceptionFilter
{
    public void OnException(ExceptionContext context)
    {
        if (context.Exception is DomainException error)
        {
            var problem = ApiProblems.From(error, context.HttpContext);
            context.Result = new ObjectResult(problem) { StatusCode = problem.Status, ContentTypes = { ApiProblems.ContentType } };
            context.ExceptionHandled = true;
        }
    }
}
