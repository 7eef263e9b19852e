using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Mvc.Filters;

namespace LicenseConsole.Web.Api;

/// <summary>
/// The API takes the console's sign-in cookie as well as API keys. A browser sends the cookie on its own,
/// so a state-changing call authenticated by cookie must carry the antiforgery token (header
/// <c>RequestVerificationToken</c>); a call with an API key has no ambient credential and needs none.
/// </summary>
public sealed class CookieAntiforgeryFilter(IAntiforgery antiforgery) : IAsyncAuthorizationFilter
{
    public async Task OnAuthorizationAsync(AuthorizationFilterContext context)
    {
        var request = context.HttpContext.Request;
        if (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) || HttpMethods.IsOptions(request.Method)
            || request.Headers.ContainsKey(ApiKeyAuthenticationHandler.HeaderName))
        {
            return;
        }

        if (!await antiforgery.IsRequestValidAsync(context.HttpContext))
        {
            context.Result = ApiProblems.Result(ApiProblems.Of(Common.Refusals.AntiforgeryFailed));
        }
    }
}
