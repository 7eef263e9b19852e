using System.ComponentModel;
using System.Reflection;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Controllers;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace LicenseConsole.IntegrationTests.Input;

public enum InputSource
{
    Route,
    Query,
    Body,
    Form,
    Header,
}

/// <summary>One input an endpoint reads: a route value, a query parameter, a member of its JSON body or a form field.</summary>
public sealed record EndpointInput(string Name, InputSource Source, Type Type, string? Constraint = null);

/// <summary>An endpoint of the app as its route table describes it.</summary>
public sealed record AppEndpoint(string Method, string Pattern, IReadOnlyList<EndpointInput> Inputs, string? Policy, bool Anonymous)
{
    /// <summary>"POST /api/v1/products": how generators and reports name the endpoint.</summary>
    public string Key => $"{Method} /{Pattern}";

    public bool IsApi => Pattern.StartsWith("api/", StringComparison.Ordinal);

    public bool TakesInput => Inputs.Count > 0;

    public IEnumerable<EndpointInput> RouteValues => Inputs.Where(i => i.Source == InputSource.Route);
}

/// <summary>
/// The app's endpoints read from its route table (<see cref="EndpointDataSource"/>): every route pattern, its
/// HTTP method, its authorization policy, and what each action binds (route, query, body, form, header).
/// </summary>
public static class RouteTable
{
    /// <summary>The method of an endpoint that answers every method (no <see cref="HttpMethodMetadata"/>).</summary>
    public const string AnyMethod = "*";

    public static IReadOnlyList<AppEndpoint> Read(IServiceProvider services)
    {
        var endpoints = new List<AppEndpoint>();
        foreach (var endpoint in services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>())
        {
            var pattern = endpoint.RoutePattern.RawText?.TrimStart('/') ?? "";
            var methods = endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods is { Count: > 0 } m ? m : [AnyMethod];
            var policy = endpoint.Metadata.GetOrderedMetadata<IAuthorizeData>().LastOrDefault(a => a.Policy is not null)?.Policy;
            var anonymous = endpoint.Metadata.GetMetadata<IAllowAnonymous>() is not null;
            var action = endpoint.Metadata.GetMetadata<ControllerActionDescriptor>();
            foreach (var method in methods)
            {
                endpoints.Add(new AppEndpoint(method, pattern, Inputs(endpoint, action, method), policy, anonymous));
            }
        }

        return [.. endpoints.DistinctBy(e => e.Key).OrderBy(e => e.Pattern, StringComparer.Ordinal).ThenBy(e => e.Method, StringComparer.Ordinal)];
    }

    private static List<EndpointInput> Inputs(RouteEndpoint endpoint, ControllerActionDescriptor? action, string method)
    {
        var inputs = endpoint.RoutePattern.Parameters
            .Select(p => new EndpointInput(p.Name, InputSource.Route, typeof(string),
                string.Join(",", endpoint.RoutePattern.ParameterPolicies.GetValueOrDefault(p.Name)?.Select(c => c.Content) ?? [])))
            .ToList();
        if (action is null)
        {
            return inputs;
        }

        var isApi = action.ControllerTypeInfo.GetCustomAttribute<ApiControllerAttribute>(inherit: true) is not null;
        foreach (var parameter in action.Parameters)
        {
            var source = parameter.BindingInfo?.BindingSource;
            if (source == BindingSource.Services || source == BindingSource.Special || parameter.ParameterType == typeof(CancellationToken)
                || inputs.Any(i => i.Source == InputSource.Route && string.Equals(i.Name, parameter.Name, StringComparison.OrdinalIgnoreCase)))
            {
                continue;
            }

            var simple = IsSimple(parameter.ParameterType);
            var prefix = parameter.BindingInfo?.BinderModelName;
            if (source == BindingSource.Body)
            {
                inputs.AddRange(Members(parameter.ParameterType).Select(p => new EndpointInput(Camel(p.Name), InputSource.Body, p.PropertyType)));
            }
            else if (source == BindingSource.Header)
            {
                inputs.Add(new EndpointInput(prefix ?? parameter.Name, InputSource.Header, parameter.ParameterType));
            }
            else
            {
                // Console actions bind form fields on a POST and the query string on a GET.
                var where = source == BindingSource.Query || (!isApi && method == "GET") ? InputSource.Query : isApi ? InputSource.Query : InputSource.Form;
                if (simple)
                {
                    inputs.Add(new EndpointInput(prefix ?? parameter.Name, where, parameter.ParameterType));
                }
                else
                {
                    inputs.AddRange(Members(parameter.ParameterType)
                        .Select(p => new EndpointInput(prefix is null ? p.Name : $"{prefix}.{p.Name}", where, p.PropertyType)));
                }
            }
        }

        return inputs;
    }

    private static IEnumerable<PropertyInfo> Members(Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite || type.GetConstructors().Any(c => c.GetParameters().Any(a => a.Name == p.Name)));

    private static bool IsSimple(Type type) => TypeDescriptor.GetConverter(Nullable.GetUnderlyingType(type) ?? type).CanConvertFrom(typeof(string));

    private static string Camel(string name) => char.ToLowerInvariant(name[0]) + name[1..];
}
