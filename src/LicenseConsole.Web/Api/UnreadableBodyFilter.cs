using Microsoft.AspNetCore.Mvc.Filters;

namespace LicenseConsole.Web.Api;

/// <summary>
/// Model binding reads the body; when the bytes cannot be read at all (not in the charset the Content-Type
/// names, a chunked encoding that breaks off) the JSON formatter lets the exception through. Those two, and
/// only those, are the caller's malformed body: 400 validation_failed.
/// </summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class UnreadableBodyFilterAttribute : Attribute, IExceptionFilter
{
    public void OnException(ExceptionContext context)
    {
        if (context.Exception is System.Text.DecoderFallbackException or BadHttpRequestException && !context.HttpContext.Response.HasStarted)
        {
            context.Result = ApiValidation.Unreadable(context.Exception);
            context.ExceptionHandled = true;
        }
    }
}
