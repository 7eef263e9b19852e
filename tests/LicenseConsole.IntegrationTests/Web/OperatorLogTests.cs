using System.Net;
using LicenseConsole.IntegrationTests.Api;
using LicenseConsole.IntegrationTests.Infrastructure;
using LicenseConsole.IntegrationTests.Security;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Serilog.Core;
using Serilog.Events;

namespace LicenseConsole.IntegrationTests.Web;

/// <summary>The log at its shipped levels is for operators: one line per request people make, no error for a handled refusal.</summary>
public sealed class OperatorLogTests(SecurityHosts hosts) : IClassFixture<SecurityHosts>
{
    private readonly CapturedLog _log = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ConsoleAndApiUse_AtTheShippedLevels_LogOneLinePerRequestAndNoWarningOrError()
    {
        var host = Host();
        var account = await TestAccounts.CreateAsync(host.Services);
        using var browser = SecurityHosts.Client(host);
        await browser.SignInAsync(account.OwnerEmail, TestAccounts.Password);
        using var scripts = SecurityHosts.Client(host, apiKey: await SecurityHosts.MintKeyAsync(host, account.Id));
        var product = (await (await scripts.PostJsonAsync("/api/v1/products", new { name = "Lamp" })).ExpectJsonAsync(HttpStatusCode.Created)).Str("productKey");
        _log.Clear();

        await (await scripts.PostJsonAsync("/api/v1/products", new { name = "Lamp again", productKey = product })).ExpectProblemAsync(HttpStatusCode.Conflict, "product_exists");
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync($"/products/{product}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/favicon.ico", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/health", Ct)).StatusCode);

        var events = _log.Events();
        Assert.Empty(events.Where(e => e.Level >= LogEventLevel.Warning).Select(e => e.Text));
        Assert.Equal(
            ["HTTP GET /products/" + product, "HTTP POST /api/v1/products"],
            events.Where(e => e.Level == LogEventLevel.Information && e.Text.StartsWith("HTTP ", StringComparison.Ordinal))
                .Select(e => string.Join(' ', e.Text.Replace("\"", "", StringComparison.Ordinal).Split(' ').Take(3))).Order(StringComparer.Ordinal));
    }

    private WebApplicationFactory<Program> Host() => hosts.Start("Testing", new Dictionary<string, string?>
    {
        ["Serilog:MinimumLevel:Default"] = "Information",
        ["Renewal:Enabled"] = "false",
    }, b => b.ConfigureServices(s => s.AddSingleton<ILogEventSink>(_log)));

    private sealed record Captured(LogEventLevel Level, string Text);

    private sealed class CapturedLog : ILogEventSink
    {
        private readonly List<Captured> _events = [];
        private readonly Lock _lock = new();

        public void Emit(LogEvent logEvent)
        {
            lock (_lock)
            {
                _events.Add(new Captured(logEvent.Level, logEvent.RenderMessage(System.Globalization.CultureInfo.InvariantCulture) + " " + logEvent.Exception));
            }
        }

        public void Clear()
        {
            lock (_lock)
            {
                _events.Clear();
            }
        }

        public List<Captured> Events()
        {
            lock (_lock)
            {
                return [.. _events];
            }
        }
    }
}
