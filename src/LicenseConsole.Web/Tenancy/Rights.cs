using LicenseConsole.Accounts;
using LicenseConsole.Web.Api;
using LicenseConsole.Web.Hosting;
using LicenseConsole.Web.Models;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;

namespace LicenseConsole.Web.Tenancy;

/// <summary>
/// The one right an account endpoint or console action requires, from the role table (<see cref="Accounts.Rights"/>).
/// Every endpoint carries one, or is anonymous, the platform's or the signed-in user's own; a test reads the
/// route table and fails for an endpoint without.
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method, AllowMultiple = false)]
public sealed class RequiresAttribute(Right right) : AuthorizeAttribute(ConsoleClaims.PolicyOf(right))
{
    public Right Right { get; } = right;
}

/// <summary>An account caller that holds <see cref="Right"/>.</summary>
public sealed record RightRequirement(Right Right) : IAuthorizationRequirement;

public sealed class RightRequirementHandler : AuthorizationHandler<RightRequirement>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, RightRequirement requirement)
    {
        if (context.User.HasClaim(c => c.Type == ConsoleClaims.AccountId)
            && context.User.HasClaim(ConsoleClaims.Right, requirement.Right.ToString()))
        {
            context.Succeed(requirement);
        }

        return Task.CompletedTask;
    }
}

/// <summary>
/// A caller refused for want of a right hears which: the API answers 403 problem+json <c>forbidden</c> naming its
/// role and the right, the console its 403 page. Everything else is the framework's answer.
/// </summary>
public sealed class RightRefusalHandler : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _default = new();

    public Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        if (authorizeResult.Forbidden
            && authorizeResult.AuthorizationFailure?.FailedRequirements.OfType<RightRequirement>().FirstOrDefault() is { } missing
            && context.User.Identity?.IsAuthenticated == true)
        {
            var refusal = Accounts.Rights.Refusal(CallerPrincipal.Read(context.User)?.Access.Role, missing.Right);
            if (WebHostingExtensions.IsApi(context))
            {
                return ApiProblems.WriteAsync(context, ApiProblems.Of(refusal));
            }

            context.Items[ErrorViewModel.ReasonItem] = refusal.Describe(System.Globalization.CultureInfo.CurrentUICulture);
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            return Task.CompletedTask;
        }

        return _default.HandleAsync(next, context, policy, authorizeResult);
    }
}
