using System.Globalization;
using LicenseConsole.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing;

namespace LicenseConsole.IntegrationTests.Api;

/// <summary>
/// The web app with a platform API key, started once per test class on a fresh PostgreSQL database. Hosts
/// whose clock runs ahead (<see cref="CreateClientLater"/>) share that database, so a device activated today
/// can be seen, renewed or refused months later.
/// </summary>
public sealed class ApiApp(PostgresServer server) : IAsyncLifetime
{
    public const string PlatformKey = "test-platform-key";
    public const string ApiKeyHeader = "X-Api-Key";

    private readonly PostgresDatabase _database = new(server);
    private readonly Dictionary<TimeSpan, ConsoleAppFactory> _factories = [];
    private readonly Lock _factoriesLock = new();

    /// <summary>How far a host's clock must run ahead to stand at the next 20:00 UTC, when the account's Shanghai day is already tomorrow.</summary>
    public TimeSpan ToUtcEvening { get; } = UntilNextUtcEvening();

    public ConsoleAppFactory Factory => FactoryAt(TimeSpan.Zero);

    public async ValueTask InitializeAsync()
    {
        await _database.InitializeAsync();
        _ = Factory.Server;
    }

    /// <summary>A client of the app (cookies kept, redirects shown), sending <paramref name="apiKey"/> when one is given.</summary>
    public HttpClient CreateClient(string? apiKey = null) => CreateClient(Factory, apiKey);

    /// <summary>A client of a host on the same database whose clock runs <paramref name="offset"/> ahead of real time.</summary>
    public HttpClient CreateClientLater(TimeSpan offset, string? apiKey = null) => CreateClient(FactoryAt(offset), apiKey);

    public async ValueTask DisposeAsync()
    {
        List<ConsoleAppFactory> factories;
        lock (_factoriesLock)
        {
            factories = [.. _factories.Values];
            _factories.Clear();
        }

        foreach (var factory in factories)
        {
            await factory.DisposeAsync();
        }

        await _database.DisposeAsync();
    }

    private static HttpClient CreateClient(ConsoleAppFactory factory, string? apiKey)
    {
        var client = factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        if (apiKey is not null)
        {
            client.DefaultRequestHeaders.Add(ApiKeyHeader, apiKey);
        }

        return client;
    }

    private ConsoleAppFactory FactoryAt(TimeSpan offset)
    {
        lock (_factoriesLock)
        {
            if (!_factories.TryGetValue(offset, out var factory))
            {
                factory = new ConsoleAppFactory(_database, new Dictionary<string, string?>
                {
                    ["Platform:ApiKeys:0"] = PlatformKey,
                    ["Clock:Offset"] = offset.ToString("c", CultureInfo.InvariantCulture),
                });
                _factories[offset] = factory;
            }

            return factory;
        }
    }

    private static TimeSpan UntilNextUtcEvening()
    {
        var now = DateTime.UtcNow;
        var evening = now.Date.AddHours(20);
        return (evening > now.AddMinutes(10) ? evening : evening.AddDays(1)) - now;
    }
}
