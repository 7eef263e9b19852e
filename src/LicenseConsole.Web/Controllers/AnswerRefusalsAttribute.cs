using System.Globalization;
using System.Reflection;
using LicenseConsole.Common;
using LicenseConsole.Web.Models;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Controllers;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.ModelBinding;

namespace LicenseConsole.Web.Controllers;

/// <summary>
/// The console's one answer to a refusal from the rules; its actions catch none. On an action marked
/// <see cref="ShowRefusalsOnFormAttribute"/>, a refusal of an input the form has is an invalid input like any
/// other: its words, in the user's language, go beside its field and the action runs again, its invalid branch
/// showing the form (400, or 404 for a key the account does not have). Otherwise, and when showing the form is
/// refused too, the error page answers with the refusal's status and words: 404 for what the address names,
/// 403 for a right the user lacks, 400 for the rest. A refusal changed nothing, so either answer is complete.
/// </summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class AnswerRefusalsAttribute : Attribute, IAsyncActionFilter
{
    public async Task OnActionExecutionAsync(ActionExecutingContext context, ActionExecutionDelegate next)
    {
        var executed = await next();
        if (executed.Exception is not DomainException refusal || executed.ExceptionHandled || context.HttpContext.Response.HasStarted)
        {
            return;
        }

        executed.ExceptionHandled = true;
        executed.Result = await AnswerAsync(context, refusal);
    }

    private static async Task<IActionResult> AnswerAsync(ActionExecutingContext context, DomainException refusal)
    {
        var action = (ControllerActionDescriptor)context.ActionDescriptor;
        var metadata = context.HttpContext.RequestServices.GetRequiredService<IModelMetadataProvider>();
        var key = FormKey(action, metadata, context.RouteData.Values, refusal.Field);
        var onForm = action.MethodInfo.IsDefined(typeof(ShowRefusalsOnFormAttribute))
            && refusal.Status != StatusCodes.Status403Forbidden
            && (refusal.Status != StatusCodes.Status404NotFound || key.OfForm);
        if (!onForm)
        {
            return ErrorPage(context, refusal);
        }

        context.ModelState.AddModelError(key.Name, refusal.Describe(CultureInfo.CurrentUICulture));
        try
        {
            var result = await RunAgainAsync(context, action.MethodInfo);
            if (result is ViewResult view)
            {
                view.StatusCode = refusal.Status == StatusCodes.Status404NotFound ? refusal.Status : StatusCodes.Status400BadRequest;
            }

            return result;
        }
        catch (DomainException again)
        {
            return ErrorPage(context, again);
        }
    }

    /// <summary>
    /// The model-state key of a refusal's field: a property of the action's form (with its prefix), an input of its
    /// own, or the form as a whole; and whether the form holds it (a value of the route is the address, not the form).
    /// </summary>
    private static (string Name, bool OfForm) FormKey(
        ControllerActionDescriptor action, IModelMetadataProvider metadata, Microsoft.AspNetCore.Routing.RouteValueDictionary route, string? field)
    {
        if (string.IsNullOrEmpty(field))
        {
            return ("", false);
        }

        var property = char.ToUpperInvariant(field[0]) + field[1..];
        foreach (var parameter in action.Parameters)
        {
            var type = parameter.ParameterType;
            if (!metadata.GetMetadataForType(type).IsComplexType)
            {
                if (string.Equals(parameter.Name, field, StringComparison.OrdinalIgnoreCase))
                {
                    return (parameter.Name, !route.ContainsKey(parameter.Name));
                }
            }
            else if (type.GetProperty(property) is not null)
            {
                var prefix = parameter.BindingInfo?.BinderModelName;
                return (string.IsNullOrEmpty(prefix) ? property : $"{prefix}.{property}", true);
            }
        }

        return ("", false);
    }

    /// <summary>The action again, with the arguments it was bound to and the refusal in its model state.</summary>
    private static async Task<IActionResult> RunAgainAsync(ActionExecutingContext context, MethodInfo method)
    {
        var arguments = method.GetParameters()
            .Select(p => context.ActionArguments.TryGetValue(p.Name!, out var value) ? value
                : p.HasDefaultValue ? p.DefaultValue
                : p.ParameterType.IsValueType ? Activator.CreateInstance(p.ParameterType) : null)
            .ToArray();
        return method.Invoke(context.Controller, BindingFlags.DoNotWrapExceptions, null, arguments, CultureInfo.InvariantCulture) switch
        {
            Task<IActionResult> task => await task,
            IActionResult result => result,
            _ => throw new InvalidOperationException($"{method.Name} does not answer an IActionResult."),
        };
    }

    private static ViewResult ErrorPage(ActionExecutingContext context, DomainException refusal)
    {
        var status = refusal.Status is StatusCodes.Status403Forbidden or StatusCodes.Status404NotFound or StatusCodes.Status429TooManyRequests
            ? refusal.Status
            : StatusCodes.Status400BadRequest;
        return ErrorViewModel.Page(context.HttpContext, status, status == StatusCodes.Status404NotFound ? null : refusal.Describe(CultureInfo.CurrentUICulture));
    }
}

/// <summary>
/// A refusal of this action's change is shown on its form (see <see cref="AnswerRefusalsAttribute"/>): the action
/// must answer an invalid model state with the form, before it changes anything.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class ShowRefusalsOnFormAttribute : Attribute;
