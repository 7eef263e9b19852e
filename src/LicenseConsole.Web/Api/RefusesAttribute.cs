using System.Reflection;
using LicenseConsole.Common;

namespace LicenseConsole.Web.Api;

/// <summary>
/// The refusals an API operation answers beyond those every operation may (see <see cref="ApiRefusalDocumentation"/>),
/// named by their entry in <see cref="Refusals"/> (<c>nameof(Refusals.ProductNotFound)</c>), so that the OpenAPI
/// document lists them from the catalogue itself.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class RefusesAttribute(params string[] entries) : Attribute
{
    public IReadOnlyList<Refusal> Refusals { get; } = [.. entries.Select(Entry)];

    private static Refusal Entry(string name) =>
        typeof(Refusals).GetField(name, BindingFlags.Public | BindingFlags.Static)?.GetValue(null) as Refusal
        ?? throw new ArgumentException($"Refusals has no entry {name}.", nameof(entries));
}
