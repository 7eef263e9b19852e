using System.Net;
using LicenseConsole.Accounts;
using LicenseConsole.IntegrationTests.Api;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Serilog.Core;
using Serilog.Events;

namespace LicenseConsole.IntegrationTests.Security;

/// <summary>API keys are stored as hashes, stop working when revoked, and never reach the log.</summary>
public sealed class ApiKeySecrecyTests(SecurityHosts hosts) : IClassFixture<SecurityHosts>
{
    private readonly CapturedLog _log = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Requests_WithKeysAtEveryLogLevel_NeverLogAKey()
    {
        var host = hosts.Start("Testing", new Dictionary<string, string?>
        {
            ["Serilog:MinimumLevel:Default"] = "Verbose",
            ["Serilog:MinimumLevel:Override:Microsoft.AspNetCore"] = "Verbose",
            ["Serilog:MinimumLevel:Override:Microsoft.EntityFrameworkCore"] = "Verbose",
        }, b => b.ConfigureServices(s => s.AddSingleton<ILogEventSink>(_log)));
        var wrongKey = ApiCalls.UnknownAccountKey;

        var (accountKey, productKey) = await UseKeysAsync(host, wrongKey);

        var logged = _log.Texts();
        Assert.Contains(logged, t => t.Contains("/api/v1/products", StringComparison.Ordinal));
        Assert.Contains(logged, t => t.Contains(productKey, StringComparison.Ordinal));
        Assert.True(logged.Count > 100, $"Only {logged.Count} log events: the log is not captured at Verbose.");
        foreach (var key in new[] { SecurityHosts.PlatformKey, accountKey, wrongKey })
        {
            Assert.DoesNotContain(logged, t => t.Contains(key, StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task MintedKey_IsStoredOnlyAsAHashAndAPrefix()
    {
        var host = hosts.Shared("testing", h => h.Start("Testing"));
        using var platform = SecurityHosts.Client(host, apiKey: SecurityHosts.PlatformKey);
        var account = await CreateAccountAsync(platform);

        var key = await MintAsync(platform, account);

        await using var db = hosts.Database.CreatePlatformContext();
        var stored = await db.ApiKeys.IgnoreQueryFilters().AsNoTracking().SingleAsync(k => k.AccountId == account, Ct);
        var texts = typeof(ApiKey).GetProperties().Where(p => p.PropertyType == typeof(string)).Select(p => (string?)p.GetValue(stored) ?? "").ToList();
        Assert.DoesNotContain(texts, t => t.Contains(key, StringComparison.Ordinal));
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(key))), stored.Hash);
        Assert.Equal(key[..12], stored.Prefix);
    }

    [Fact]
    public async Task RevokedKey_Returns401()
    {
        var host = hosts.Shared("testing", h => h.Start("Testing"));
        using var platform = SecurityHosts.Client(host, apiKey: SecurityHosts.PlatformKey);
        var account = await CreateAccountAsync(platform);
        var key = await MintAsync(platform, account);
        using var script = SecurityHosts.Client(host, apiKey: key);
        Assert.Equal(HttpStatusCode.OK, (await script.GetAsync("/api/v1/summary", Ct)).StatusCode);

        await using (var scope = host.Services.CreateAsyncScope())
        {
            scope.ServiceProvider.GetRequiredService<TenantContext>().ActForOwner(account, "owner@example.com");
            var keys = scope.ServiceProvider.GetRequiredService<ApiKeyService>();
            await keys.RevokeAsync((await keys.ListAsync(Ct)).Single().Id, Ct);
        }

        await (await script.GetAsync("/api/v1/summary", Ct)).ExpectProblemAsync(HttpStatusCode.Unauthorized, "unauthorized");
    }

    /// <summary>What a day of the platform and a script looks like: good calls, refused ones, a wrong key.</summary>
    private static async Task<(string AccountKey, string ProductKey)> UseKeysAsync(WebApplicationFactory<Program> host, string wrongKey)
    {
        using var platform = SecurityHosts.Client(host, apiKey: SecurityHosts.PlatformKey);
        var account = await CreateAccountAsync(platform);
        var accountKey = await MintAsync(platform, account);
        using var script = SecurityHosts.Client(host, apiKey: accountKey);
        var productKey = ApiCalls.NewKey("pk");
        await (await script.PostJsonAsync("/api/v1/products", new { name = "Thermostat", productKey })).ExpectJsonAsync(HttpStatusCode.Created);
        await (await platform.PostJsonAsync("/api/v1/purchases", new { orderId = ApiCalls.NewKey("o-"), accountId = account, specCode = "STD-1Y", quantity = 2, productKey })).ExpectJsonAsync(HttpStatusCode.Created);
        await (await platform.PostJsonAsync("/api/v1/devices/connect", new { productKey, deviceKey = "dev-1", dataCenter = "eu-west" })).ExpectJsonAsync(HttpStatusCode.OK);
        await (await script.GetAsync($"/api/v1/products/{productKey}/devices", Ct)).ExpectJsonAsync(HttpStatusCode.OK);
        await (await script.SendRawAsync(HttpMethod.Post, "/api/v1/products", "{ not json")).ExpectValidationProblemAsync(null);
        await (await script.GetAsync("/api/v1/products/pk-nothing-here", Ct)).ExpectProblemAsync(HttpStatusCode.NotFound, "product_not_found");
        using var guesser = SecurityHosts.Client(host, apiKey: wrongKey);
        await (await guesser.GetAsync("/api/v1/summary", Ct)).ExpectProblemAsync(HttpStatusCode.Unauthorized, "unauthorized");
        return (accountKey, productKey);
    }

    private static async Task<Guid> CreateAccountAsync(HttpClient platform)
    {
        var created = await (await platform.PostJsonAsync("/api/v1/accounts", new { email = $"owner-{Guid.NewGuid():N}@example.com", password = "Secret-Password-1", dataCenter = "eu-west" }))
            .ExpectJsonAsync(HttpStatusCode.Created);
        return created.GetProperty("id").GetGuid();
    }

    private static async Task<string> MintAsync(HttpClient platform, Guid account)
    {
        var minted = await (await platform.PostJsonAsync($"/api/v1/accounts/{account}/api-keys", new { name = "script" })).ExpectJsonAsync(HttpStatusCode.Created);
        return minted.GetProperty("key").GetString()!;
    }

    /// <summary>The app's log events as text: message, every property, and any exception.</summary>
    private sealed class CapturedLog : ILogEventSink
    {
        private readonly List<string> _texts = [];
        private readonly Lock _lock = new();

        public void Emit(LogEvent logEvent)
        {
            var text = logEvent.RenderMessage(System.Globalization.CultureInfo.InvariantCulture) + " "
                + string.Join(" ", logEvent.Properties.Select(p => $"{p.Key}={p.Value}")) + " " + logEvent.Exception;
            lock (_lock)
            {
                _texts.Add(text);
            }
        }

        public List<string> Texts()
        {
            lock (_lock)
            {
                return [.. _texts];
            }
        }
    }
}
