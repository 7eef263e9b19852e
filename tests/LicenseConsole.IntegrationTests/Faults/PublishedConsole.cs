using System.Reflection;
using LicenseConsole.TestSupport;

namespace LicenseConsole.IntegrationTests.Faults;

/// <summary>The fault tests run one after another (each loads both cores) and share one published app.</summary>
[CollectionDefinition(Name)]
public sealed class FaultsCollection : ICollectionFixture<PublishedConsole>
{
    public const string Name = "Faults";
}

/// <summary>
/// The web app published once for the fault tests, started as child processes on the databases they choose,
/// as production runs it: Kestrel, PostgreSQL, its own configuration, killed for real.
/// </summary>
public sealed class PublishedConsole : IAsyncLifetime
{
    public const string PlatformKey = "fault-tests-platform-key";

    public string PublishDirectory { get; private set; } = "";

    public async ValueTask InitializeAsync() => PublishDirectory = await AppPublisher.PublishedOnceAsync(
        typeof(PublishedConsole).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug");

    /// <summary>The settings of an app on <paramref name="connectionString"/>: PostgreSQL, the platform key, no demo data, no request log lines.</summary>
    public static Dictionary<string, string> Settings(string connectionString, IReadOnlyDictionary<string, string>? extra = null)
    {
        var settings = new Dictionary<string, string>
        {
            ["Database__Provider"] = "Postgres",
            ["ConnectionStrings__LicenseConsole"] = connectionString,
            ["Seed__Demo"] = "false",
            ["Platform__ApiKeys__0"] = PlatformKey,
            ["Renewal__Enabled"] = "false",

            // A line per request costs the load more than it tells: errors are still logged.
            ["Serilog__MinimumLevel__Override__Serilog.AspNetCore.RequestLoggingMiddleware"] = "Warning",
        };
        foreach (var (key, value) in extra ?? new Dictionary<string, string>())
        {
            settings[key] = value;
        }

        return settings;
    }

    public Task<ConsoleProcess> StartAsync(string name, string connectionString, IReadOnlyDictionary<string, string>? extra = null) =>
        ConsoleProcess.StartAsync(name, PublishDirectory, Settings(connectionString, extra), TestContext.Current.CancellationToken);

    /// <summary>The operator's <c>verify</c> on <paramref name="connectionString"/>, as an operator runs it.</summary>
    public Task<CommandResult> VerifyAsync(string connectionString) =>
        ConsoleCommand.RunAsync(PublishDirectory, ["verify"], Settings(connectionString), TestContext.Current.CancellationToken);

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
