using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace LicenseConsole.BrowserTests.Infrastructure;

/// <summary>An account made for one test (or test class) through the platform API, with a minted account key.</summary>
public sealed record TestAccount(Guid Id, string Email, string Password, string DataCenter, string Key)
{
    /// <summary>The account's time zone (the one of its data center): dates on the pages and in filters are days in it.</summary>
    public TimeZoneInfo TimeZone => TimeZoneInfo.FindSystemTimeZoneById(DataCenter switch
    {
        "eu-west" => "Europe/Berlin",
        "us-east" => "America/New_York",
        "ap-southeast" => "Asia/Singapore",
        _ => "Asia/Shanghai",
    });

    /// <summary>The owner, as a person who signs in.</summary>
    public TestUser User => new(Email, Password);

    /// <summary>The day of an instant in the account's time zone.</summary>
    public DateOnly DayOf(DateTime utc) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(utc, TimeZone));
}

/// <summary>What the gateway is told when a device connects.</summary>
public sealed record Connection(string Result, DateTime ActivatedAt, DateTime ExpiresAt);

/// <summary>
/// Test data the way the platform makes it: the billing system's accounts and purchases, the gateway's device
/// connections (platform key), and a developer's script creating products (account key).
/// </summary>
public sealed class PlatformApi(Uri baseAddress, string platformKey) : IDisposable
{
    public const string Password = "Browser-Tests-2026";
    private const string ApiKeyHeader = "X-Api-Key";
    private readonly HttpClient _client = new() { BaseAddress = baseAddress };

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A key that will not collide with another test's, in the app's normal (lower-case) form.</summary>
    public static string NewKey(string prefix) => prefix + Guid.NewGuid().ToString("N")[..10];

    public async Task<TestAccount> CreateAccountAsync(string dataCenter = "eu-west", string emailPrefix = "owner")
    {
        var email = $"{emailPrefix}-{Guid.NewGuid():N}@example.com";
        var account = await SendAsync(platformKey, HttpMethod.Post, "api/v1/accounts", new { email, password = Password, dataCenter }, HttpStatusCode.Created);
        var id = account.GetProperty("id").GetGuid();
        var key = await SendAsync(platformKey, HttpMethod.Post, $"api/v1/accounts/{id}/api-keys", new { name = "browser tests" }, HttpStatusCode.Created);
        return new TestAccount(id, email, Password, dataCenter, key.GetProperty("key").GetString()!);
    }

    /// <summary>Another API key of the account, minted by the platform.</summary>
    public Task CreateApiKeyAsync(TestAccount account, string name) =>
        SendAsync(platformKey, HttpMethod.Post, $"api/v1/accounts/{account.Id}/api-keys", new { name }, HttpStatusCode.Created);

    /// <summary>Billing records a purchase: unallocated, or (with a product key) straight into that product's pool.</summary>
    public Task BuyAsync(TestAccount account, string specCode, int quantity, string? productKey = null) =>
        SendAsync(platformKey, HttpMethod.Post, "api/v1/purchases",
            new { orderId = NewKey("order-"), accountId = account.Id, specCode, quantity, productKey }, HttpStatusCode.Created);

    /// <summary>Creates a product with the account's key and returns its product key.</summary>
    public async Task<string> CreateProductAsync(TestAccount account, string name, string? productKey = null)
    {
        var product = await SendAsync(account.Key, HttpMethod.Post, "api/v1/products", new { name, productKey = productKey ?? NewKey("pk") }, HttpStatusCode.Created);
        return product.GetProperty("productKey").GetString()!;
    }

    /// <summary>A product holding <paramref name="licenses"/> licenses of <paramref name="specCode"/>, bought for it.</summary>
    public async Task<string> ProductWithLicensesAsync(TestAccount account, string name, int licenses, string specCode = "STD-1Y")
    {
        var productKey = await CreateProductAsync(account, name);
        await BuyAsync(account, specCode, licenses, productKey);
        return productKey;
    }

    /// <summary>The gateway connects a device; it must be let in.</summary>
    public async Task<Connection> ConnectAsync(string productKey, string deviceKey, string dataCenter = "eu-west")
    {
        var answer = await SendAsync(platformKey, HttpMethod.Post, "api/v1/devices/connect", new { productKey, deviceKey, dataCenter }, HttpStatusCode.OK);
        return new Connection(
            answer.GetProperty("result").GetString()!,
            answer.GetProperty("activatedAt").GetDateTime().ToUniversalTime(),
            answer.GetProperty("expiresAt").GetDateTime().ToUniversalTime());
    }

    /// <summary>Connects <paramref name="count"/> devices named <paramref name="prefix"/>001, 002, … and returns their keys.</summary>
    public async Task<IReadOnlyList<string>> ConnectManyAsync(string productKey, string prefix, int count, string dataCenter = "eu-west")
    {
        var keys = Enumerable.Range(1, count).Select(i => $"{prefix}{i:000}").ToList();
        foreach (var key in keys)
        {
            await ConnectAsync(productKey, key, dataCenter);
        }

        return keys;
    }

    /// <summary>A developer's script allocates licenses with the account's key.</summary>
    public Task AllocateAsync(TestAccount account, string productKey, string specCode, int quantity) =>
        SendAsync(account.Key, HttpMethod.Post, "api/v1/allocations", new { productKey, specCode, quantity }, HttpStatusCode.Created);

    /// <summary>A developer's script adds an alert recipient with the account's key.</summary>
    public Task AddRecipientAsync(TestAccount account, string name, string email) =>
        SendAsync(account.Key, HttpMethod.Post, "api/v1/alert-recipients", new { name, email }, HttpStatusCode.Created);

    /// <summary>A developer's script turns a product's auto-renew switch with the account's key.</summary>
    public Task SetProductAutoRenewAsync(TestAccount account, string productKey, bool enabled) =>
        SendAsync(account.Key, HttpMethod.Put, $"api/v1/products/{productKey}/auto-renew", new { enabled }, HttpStatusCode.NoContent);

    /// <summary>What the API answers a script that reads the summary with <paramref name="apiKey"/>.</summary>
    public async Task<HttpStatusCode> SummaryStatusAsync(string apiKey)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "api/v1/summary");
        request.Headers.Add(ApiKeyHeader, apiKey);
        using var response = await _client.SendAsync(request, Ct);
        return response.StatusCode;
    }

    public void Dispose() => _client.Dispose();

    private async Task<JsonElement> SendAsync(string key, HttpMethod method, string url, object body, HttpStatusCode expected)
    {
        using var request = new HttpRequestMessage(method, url) { Content = JsonContent.Create(body) };
        request.Headers.Add(ApiKeyHeader, key);
        using var response = await _client.SendAsync(request, Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        if (response.StatusCode != expected)
        {
            throw new InvalidOperationException($"{method} {url} answered {(int)response.StatusCode}, expected {(int)expected}: {text}");
        }

        if (text.Length == 0)
        {
            return default;
        }

        using var document = JsonDocument.Parse(text);
        return document.RootElement.Clone();
    }
}
