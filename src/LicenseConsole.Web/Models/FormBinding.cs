using System.ComponentModel.DataAnnotations;
using LicenseConsole.Common;
using Microsoft.AspNetCore.Mvc.ModelBinding;

namespace LicenseConsole.Web.Models;

/// <summary>Text a person types: no control characters, no broken UTF-16 (a NUL would reach the database, which refuses it).</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter)]
public sealed class PrintableAttribute : ValidationAttribute
{
    public PrintableAttribute()
    {
        ErrorMessage = "Use printable characters only.";
    }

    public override bool IsValid(object? value) => value is not string text || Text.IsPrintable(text);
}

/// <summary>
/// A checkbox: "true" (in any case) is ticked, anything else is not. It never fails to bind, because the
/// checkbox tag helper cannot show a form again whose box holds a value that is not a boolean.
/// </summary>
public sealed class CheckboxBinder : IModelBinder
{
    public Task BindModelAsync(ModelBindingContext bindingContext)
    {
        var values = bindingContext.ValueProvider.GetValue(bindingContext.ModelName);
        bindingContext.Result = ModelBindingResult.Success(values.Any(v => string.Equals(v, "true", StringComparison.OrdinalIgnoreCase)));
        return Task.CompletedTask;
    }
}
