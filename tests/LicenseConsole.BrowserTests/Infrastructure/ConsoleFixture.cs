using System.Globalization;
using System.Reflection;

[assembly: AssemblyFixture(typeof(LicenseConsole.BrowserTests.Infrastructure.ConsoleFixture))]

namespace LicenseConsole.BrowserTests.Infrastructure;

/// <summary>
/// Everything the browser tests share, started once per run: a PostgreSQL database, the web app published
/// and running as a child process on it, Chromium driven by Playwright, and the platform API to set up data.
/// A second app on the same database whose clock runs <see cref="LaterOffset"/> ahead is started when a test
/// first asks for it: it sees today's devices as they will be then.
/// </summary>
public sealed class ConsoleFixture : IAsyncLifetime
{
    public const string PlatformKey = "browser-tests-platform-key";

    /// <summary>How far the later app's clock runs ahead: a one-year license activated today has about 25 days left then.</summary>
    public static readonly TimeSpan LaterOffset = TimeSpan.FromDays(340);

    private static readonly string[] ChromiumArguments =
        ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"];

    private readonly PostgresCluster _postgres = new();
    private readonly SemaphoreSlim _startLock = new(1, 1);
    private readonly string _publishDirectory = Path.Combine(Path.GetTempPath(), $"lc-browser-app-{Guid.NewGuid():N}");
    private string _connectionString = "";
    private ConsoleProcess? _app;
    private ConsoleProcess? _laterApp;
    private ConsoleProcess? _productionApp;
    private IPlaywright? _playwright;
    private IBrowser? _browser;
    private PlatformApi? _api;
    private PlatformApi? _laterApi;

    /// <summary>The app on real time.</summary>
    public ConsoleProcess App => _app ?? throw NotStarted();

    public IBrowser Browser => _browser ?? throw NotStarted();

    /// <summary>The platform API of <see cref="App"/>: accounts, purchases, device connections, products.</summary>
    public PlatformApi Api => _api ?? throw NotStarted();

    /// <summary>The repository's root (the folder of LicenseConsole.sln).</summary>
    public static string RepositoryRoot => AppPublisher.RepositoryRoot;

    public async ValueTask InitializeAsync()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var database = StartDatabaseAsync(cancellationToken);
        var published = PublishAsync(cancellationToken);
        var browser = LaunchBrowserAsync();
        await Task.WhenAll(database, published, browser);

        _app = await ConsoleProcess.StartAsync("app", _publishDirectory, Settings(TimeSpan.Zero), cancellationToken);
        _api = new PlatformApi(_app.BaseAddress, PlatformKey);
    }

    /// <summary>The app whose clock runs <see cref="LaterOffset"/> ahead, on the same database (started on first use).</summary>
    public async Task<ConsoleProcess> LaterAppAsync()
    {
        await _startLock.WaitAsync(TestContext.Current.CancellationToken);
        try
        {
            if (_laterApp is null)
            {
                var name = "app +" + LaterOffset.TotalDays.ToString(CultureInfo.InvariantCulture) + " days";
                _laterApp = await ConsoleProcess.StartAsync(name, _publishDirectory, Settings(LaterOffset), TestContext.Current.CancellationToken);
                _laterApi = new PlatformApi(_laterApp.BaseAddress, PlatformKey);
            }

            return _laterApp;
        }
        finally
        {
            _startLock.Release();
        }
    }

    /// <summary>
    /// The app in the Production environment on the same database, on plain http like the Docker Compose first
    /// run (started on first use): its cookies are Secure, HSTS and the https redirection are on.
    /// </summary>
    public async Task<ConsoleProcess> ProductionAppAsync()
    {
        await _startLock.WaitAsync(TestContext.Current.CancellationToken);
        try
        {
            _productionApp ??= await ConsoleProcess.StartAsync("app (Production)", _publishDirectory, Settings(TimeSpan.Zero), TestContext.Current.CancellationToken, environment: "Production");
            return _productionApp;
        }
        finally
        {
            _startLock.Release();
        }
    }

    /// <summary>The platform API of the later app: a device that connects through it is activated <see cref="LaterOffset"/> from now.</summary>
    public async Task<PlatformApi> LaterApiAsync()
    {
        await LaterAppAsync();
        return _laterApi!;
    }

    /// <summary>A fresh browser context (its own cookies) on <paramref name="app"/>: 1440×900, English unless the user switches.</summary>
    public async Task<IBrowserContext> NewContextAsync(ConsoleProcess app)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = app.BaseAddress.ToString(),
            ViewportSize = new ViewportSize { Width = 1440, Height = 900 },
            Locale = "en-US",
            ReducedMotion = ReducedMotion.Reduce,
            AcceptDownloads = true,
        });

        // Charts draw at once rather than animate, so that what a screenshot catches is the finished chart.
        await context.AddInitScriptAsync("""
            (() => {
              let chart;
              Object.defineProperty(window, 'Chart', {
                configurable: true,
                get() { return chart; },
                set(value) { chart = value; if (value && value.defaults) { value.defaults.animation = false; } },
              });
            })();
            """);
        context.SetDefaultTimeout(15_000);
        return context;
    }

    /// <summary>The last lines of output of every app that runs, for the report of a failed test.</summary>
    public string AppOutput() =>
        string.Join("\n", new[] { _app, _laterApp, _productionApp }.OfType<ConsoleProcess>().Select(a => a.RecentOutput()));

    public async ValueTask DisposeAsync()
    {
        _api?.Dispose();
        _laterApi?.Dispose();
        if (_browser is not null)
        {
            await _browser.CloseAsync();
        }

        _playwright?.Dispose();
        foreach (var app in new[] { _productionApp, _laterApp, _app })
        {
            if (app is not null)
            {
                await app.DisposeAsync();
            }
        }

        await _postgres.DisposeAsync();
        _startLock.Dispose();
        try
        {
            Directory.Delete(_publishDirectory, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
    }

    private Dictionary<string, string> Settings(TimeSpan clockOffset)
    {
        var settings = new Dictionary<string, string>
        {
            ["Database__Provider"] = "Postgres",
            ["ConnectionStrings__LicenseConsole"] = _connectionString,
            ["Seed__Demo"] = "false",
            ["Platform__ApiKeys__0"] = PlatformKey,
        };
        if (clockOffset != TimeSpan.Zero)
        {
            settings["Clock__Offset"] = clockOffset.ToString("c", CultureInfo.InvariantCulture);
        }

        return settings;
    }

    private async Task StartDatabaseAsync(CancellationToken cancellationToken)
    {
        await _postgres.StartAsync(cancellationToken);
        _connectionString = await _postgres.CreateDatabaseAsync("browser", cancellationToken: cancellationToken);
    }

    private async Task LaunchBrowserAsync()
    {
        // The suite shares two cores with the app, PostgreSQL and (under the test command) the other test
        // projects: a page may take a while to come, and waiting longer costs nothing when it comes at once.
        SetDefaultExpectTimeout(10_000);
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Args = ChromiumArguments,
        });
    }

    /// <summary>Publishes the web app as built for this test run (same configuration, no new build).</summary>
    private Task PublishAsync(CancellationToken cancellationToken) =>
        AppPublisher.PublishAsync(
            typeof(ConsoleFixture).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug",
            _publishDirectory,
            cancellationToken);

    private static InvalidOperationException NotStarted() => new("The browser test fixture has not started.");
}
