using LicenseConsole.Common;
using Microsoft.AspNetCore.Mvc.Filters;

namespace LicenseConsole.Web.Api;

/// <summary>Turns a refused request into problem+json with its stable code. A refusal changed nothing.</summary>
public sealed class ApiExceptionFilter : IExceptionFilter
{
    public void OnException(ExceptionContext context)
    {
        if (context.Exception is DomainException error)
        {
            context.Result = ApiProblems.Result(ApiProblems.Of(error));
            context.ExceptionHandled = true;
        }
    }
}
