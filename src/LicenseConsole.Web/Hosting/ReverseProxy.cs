using System.Net;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;

namespace LicenseConsole.Web.Hosting;

/// <summary>
/// Configuration section <c>ReverseProxy</c>: the proxies in front of the app (a TLS terminator, a load
/// balancer) whose <c>X-Forwarded-For</c> and <c>X-Forwarded-Proto</c> it believes. Behind such a proxy every
/// request comes from the proxy's address over plain http; with the proxy named here the rate limits count the
/// real client and the https redirection and HSTS see https. The headers of any other sender are ignored, since
/// anybody can send them.
/// </summary>
public sealed class ReverseProxyOptions
{
    public const string Section = "ReverseProxy";

    /// <summary>Addresses of the proxies, e.g. <c>10.0.0.5</c>.</summary>
    public List<string> KnownProxies { get; set; } = [];

    /// <summary>Networks the proxies are in, in CIDR notation, e.g. <c>172.18.0.0/16</c> (a Docker network).</summary>
    public List<string> KnownNetworks { get; set; } = [];

    public bool Any => KnownProxies.Count > 0 || KnownNetworks.Count > 0;
}

public static class ReverseProxy
{
    public static IServiceCollection AddReverseProxySupport(this IServiceCollection services)
    {
        services.AddOptions<ReverseProxyOptions>().BindConfiguration(ReverseProxyOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ReverseProxyOptions>, ReverseProxyOptionsValidator>();
        services.AddOptions<ForwardedHeadersOptions>().Configure<IOptions<ReverseProxyOptions>>((o, proxies) =>
        {
            o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;

            // Through a chain of named proxies (a CDN, then a load balancer) the client is the first address
            // that is not one of them; what the client itself put in the header, before that, is not believed.
            o.ForwardLimit = null;

            // Only the proxies configured: not even loopback, which ASP.NET Core trusts by default.
            o.KnownProxies.Clear();
            o.KnownIPNetworks.Clear();
            foreach (var proxy in proxies.Value.KnownProxies)
            {
                o.KnownProxies.Add(IPAddress.Parse(proxy));
            }

            foreach (var network in proxies.Value.KnownNetworks)
            {
                o.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(network));
            }
        });
        return services;
    }

    /// <summary>First in the pipeline, so that everything after it (HSTS, the redirection, rate limits, the request log) sees the client.</summary>
    public static WebApplication UseReverseProxySupport(this WebApplication app)
    {
        if (app.Services.GetRequiredService<IOptions<ReverseProxyOptions>>().Value.Any)
        {
            app.UseForwardedHeaders();
        }

        return app;
    }

    private sealed class ReverseProxyOptionsValidator : IValidateOptions<ReverseProxyOptions>
    {
        public ValidateOptionsResult Validate(string? name, ReverseProxyOptions options)
        {
            var failures = options.KnownProxies
                .Where(p => !IPAddress.TryParse(p, out _))
                .Select(p => $"{ReverseProxyOptions.Section}:{nameof(ReverseProxyOptions.KnownProxies)}: '{p}' is not an IP address.")
                .Concat(options.KnownNetworks
                    .Where(n => !System.Net.IPNetwork.TryParse(n, out _))
                    .Select(n => $"{ReverseProxyOptions.Section}:{nameof(ReverseProxyOptions.KnownNetworks)}: '{n}' is not a network in CIDR notation (e.g. 10.0.0.0/8)."))
                .ToList();
            return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
        }
    }
}
