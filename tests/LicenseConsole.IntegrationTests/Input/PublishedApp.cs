using System.Net;
using System.Reflection;
using System.Text.RegularExpressions;
using LicenseConsole.Data;
using LicenseConsole.IntegrationTests.Api;
using LicenseConsole.IntegrationTests.Infrastructure;
using LicenseConsole.TestSupport;

namespace LicenseConsole.IntegrationTests.Input;

[CollectionDefinition(Name)]
public sealed class PublishedAppCollection : ICollectionFixture<PublishedApp>
{
    public const string Name = "Published app";
}

/// <summary>
/// The web app published and running as a process of its own (Kestrel, real HTTP on loopback) on a fresh
/// PostgreSQL database, beside an in-process host on the same database that lends its route table and its
/// services (the ledger's figures). Shared by the bad-input run and the tenancy matrix, which run one after
/// the other on it.
/// </summary>
public sealed partial class PublishedApp(PostgresServer server) : IAsyncLifetime
{
    public const string PlatformKey = "input-tests-platform-key";

    private readonly ExistingDatabase _database = new();
    private ConsoleProcess? _process;
    private ConsoleAppFactory? _factory;
    private Task<(AccountSeed A, AccountSeed B)>? _accounts;

    public ConsoleProcess Process => _process ?? throw NotStarted();

    /// <summary>An in-process host on the same database, for its route table and services (no requests go to it).</summary>
    public ConsoleAppFactory Factory => _factory ?? throw NotStarted();

    public TestDatabase Database => _database;

    public Uri BaseAddress => Process.BaseAddress;

    public async ValueTask InitializeAsync()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var database = server.CreateDatabaseAsync("input");
        var configuration = typeof(PublishedApp).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
        var published = AppPublisher.PublishedOnceAsync(configuration);
        await Task.WhenAll(database, published);
        _database.Use(await database);

        _process = await ConsoleProcess.StartAsync("input-app", await published, new Dictionary<string, string>
        {
            ["Database__Provider"] = "Postgres",
            ["ConnectionStrings__LicenseConsole"] = _database.ConnectionString,
            ["Seed__Demo"] = "false",
            ["Renewal__Enabled"] = "false",
            ["Platform__ApiKeys__0"] = PlatformKey,

            // Thousands of requests: keep the app's output to what went wrong, for the report of a failed run.
            ["Serilog__MinimumLevel__Default"] = "Warning",
            ["Serilog__MinimumLevel__Override__Microsoft.Hosting.Lifetime"] = "Information",
        }, cancellationToken);
        _factory = new ConsoleAppFactory(_database, new Dictionary<string, string?> { ["Platform:ApiKeys:0"] = PlatformKey });
        _ = _factory.Server;
    }

    /// <summary>Two accounts with something of everything (made once, on first use): A sends the cases, B is the other tenant.</summary>
    public Task<(AccountSeed A, AccountSeed B)> AccountsAsync() => LazyInitializer.EnsureInitialized(ref _accounts, CreateAccountsAsync);

    /// <summary>A client of the published app that keeps cookies and shows redirects, sending <paramref name="apiKey"/> when given.</summary>
    public HttpClient CreateClient(string? apiKey = null)
    {
        var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = true, CookieContainer = new CookieContainer() })
        {
            BaseAddress = BaseAddress,
            Timeout = TimeSpan.FromSeconds(30),
        };
        if (apiKey is not null)
        {
            client.DefaultRequestHeaders.Add(ApiApp.ApiKeyHeader, apiKey);
        }

        return client;
    }

    /// <summary>A client signed in to the console as <paramref name="email"/>, and the antiforgery token of its session.</summary>
    public async Task<(HttpClient Client, string Token)> SignedInAsync(string email, string password)
    {
        var client = CreateClient();
        var response = await client.SignInAsync(email, password);
        Assert.True(response.StatusCode == HttpStatusCode.Redirect, $"Sign-in of {email} answered {(int)response.StatusCode}");
        var html = await (await client.GetAsync("/alert-recipients")).Content.ReadAsStringAsync();
        var token = TokenPattern().Match(html);
        Assert.True(token.Success, "No antiforgery token on /alert-recipients");
        return (client, token.Groups[1].Value);
    }

    public async ValueTask DisposeAsync()
    {
        if (_factory is not null)
        {
            await _factory.DisposeAsync();
        }

        if (_process is not null)
        {
            await _process.DisposeAsync();
        }
    }

    private async Task<(AccountSeed A, AccountSeed B)> CreateAccountsAsync() =>
        (await AccountSeed.CreateAsync(this, "account-a"), await AccountSeed.CreateAsync(this, "account-b"));

    private static InvalidOperationException NotStarted() => new("The published app has not started.");

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();

    /// <summary>A database made elsewhere (by the fixture), described the way the test hosts read it.</summary>
    private sealed class ExistingDatabase : TestDatabase
    {
        public override DatabaseProvider Provider => DatabaseProvider.Postgres;

        public void Use(string connectionString) => ConnectionString = connectionString;

        public override ValueTask InitializeAsync() => ValueTask.CompletedTask;
    }
}
