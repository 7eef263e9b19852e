using System.Net;
using LicenseConsole.Accounts;
using LicenseConsole.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace LicenseConsole.IntegrationTests.Security;

/// <summary>
/// A PostgreSQL database of its own for one test class, and hosts of the app on it started on demand in the
/// environment and with the settings a test needs (Production, low rate limits, a captured log).
/// </summary>
public sealed class SecurityHosts(PostgresServer server) : IAsyncLifetime
{
    public const string PlatformKey = "security-tests-platform-key";

    /// <summary>A public https address: HSTS is never sent to localhost.</summary>
    public static readonly Uri Https = new("https://console.example.com");

    public static readonly Uri Http = new("http://console.example.com");

    private readonly PostgresDatabase _database = new(server);
    private readonly List<ConsoleAppFactory> _factories = [];
    private readonly Dictionary<string, WebApplicationFactory<Program>> _shared = [];
    private readonly Lock _lock = new();

    public TestDatabase Database => _database;

    public ValueTask InitializeAsync() => _database.InitializeAsync();

    /// <summary>Starts a host of the app in <paramref name="environment"/> with the platform key and these settings.</summary>
    public WebApplicationFactory<Program> Start(string environment, IDictionary<string, string?>? settings = null, Action<IWebHostBuilder>? configure = null)
    {
        var all = new Dictionary<string, string?> { ["Platform:ApiKeys:0"] = PlatformKey };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }

        var factory = new ConsoleAppFactory(_database, all, environment);
        WebApplicationFactory<Program> host = configure is null ? factory : factory.WithWebHostBuilder(configure);
        try
        {
            _ = host.Server;
        }
        catch
        {
            factory.Dispose();
            throw;
        }

        lock (_lock)
        {
            _factories.Add(factory);
        }

        return host;
    }

    /// <summary>The host started under <paramref name="name"/> by an earlier test of the class, or a new one.</summary>
    public WebApplicationFactory<Program> Shared(string name, Func<SecurityHosts, WebApplicationFactory<Program>> start)
    {
        lock (_lock)
        {
            if (!_shared.TryGetValue(name, out var host))
            {
                host = start(this);
                _shared[name] = host;
            }

            return host;
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var factory in _factories)
        {
            await factory.DisposeAsync();
        }

        await _database.DisposeAsync();
    }

    /// <summary>Mints an account key for <paramref name="accountId"/>, as the platform does.</summary>
    public static async Task<string> MintKeyAsync(WebApplicationFactory<Program> host, Guid accountId, string name = "script")
    {
        await using var scope = host.Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<TenantContext>().ActForPlatform("test");
        return (await scope.ServiceProvider.GetRequiredService<ApiKeyService>().CreateAsync(accountId, name)).Key;
    }

    /// <summary>A client that keeps cookies and shows redirects, on <paramref name="baseAddress"/> (http://localhost by default).</summary>
    public static HttpClient Client(WebApplicationFactory<Program> host, Uri? baseAddress = null, string? apiKey = null)
    {
        var client = host.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, BaseAddress = baseAddress ?? new Uri("http://localhost") });
        if (apiKey is not null)
        {
            client.DefaultRequestHeaders.Add("X-Api-Key", apiKey);
        }

        return client;
    }
}

/// <summary>
/// Test-only: lets a request name the client address it comes from (header <see cref="Header"/>), as a request
/// through the network would have its own. The test server gives every request the same (no) address.
/// </summary>
public sealed class ClientAddresses : IStartupFilter
{
    public const string Header = "X-Test-Client-Address";

    public static void AddTo(IWebHostBuilder builder) =>
        builder.ConfigureServices(services => services.AddSingleton<IStartupFilter, ClientAddresses>());

    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use((context, nextMiddleware) =>
        {
            if (context.Request.Headers.TryGetValue(Header, out var value) && IPAddress.TryParse(value, out var address))
            {
                context.Connection.RemoteIpAddress = address;
            }

            return nextMiddleware(context);
        });
        next(app);
    };
}

/// <summary>
/// Test-only: requests to <see cref="PagePath"/> or <see cref="ApiPath"/> throw, past every middleware of the app,
/// the way a bug in a controller would.
/// </summary>
public sealed class FailingEndpoints : IStartupFilter
{
    public const string PagePath = "/test-only/fail";
    public const string ApiPath = "/api/test-only/fail";
    public const string Message = "Connection string Host=db-secret;Password=hunter2 rejected";

    public static void AddTo(IWebHostBuilder builder) =>
        builder.ConfigureServices(services => services.AddSingleton<IStartupFilter, FailingEndpoints>());

    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        next(app);

        // Appended after the app's own pipeline: reached by the requests no endpoint of the app answered.
        app.Use((context, nextMiddleware) =>
            context.Request.Path.StartsWithSegments(PagePath) || context.Request.Path.StartsWithSegments(ApiPath)
                ? throw new InvalidOperationException(Message)
                : nextMiddleware(context));
    };
}
