using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace LicenseConsole.IntegrationTests.Faults;

/// <summary>A product of the fleet under load and the licenses bought for it.</summary>
public sealed record FleetProduct(string ProductKey, int Licenses);

/// <summary>
/// The account and products a fault test loads, made the way the platform makes them: the billing system
/// creates the account and buys licenses for each product, the developer's script creates the products.
/// </summary>
public sealed record FaultFleet(Guid AccountId, string Email, string Password, IReadOnlyList<FleetProduct> Products)
{
    public const string AccountPassword = "Fault-Tests-2026";
    public const string DataCenter = "eu-west";

    /// <summary>An account holding one product per entry of <paramref name="licenses"/>, with that many STD-1Y licenses each.</summary>
    public static async Task<FaultFleet> CreateAsync(Uri app, params int[] licenses)
    {
        using var client = new HttpClient { BaseAddress = app, Timeout = TimeSpan.FromSeconds(30) };
        var email = $"faults-{Guid.NewGuid():N}@example.com";
        var account = await SendAsync(client, PublishedConsole.PlatformKey, "api/v1/accounts", new { email, password = AccountPassword, dataCenter = DataCenter });
        var accountId = account.GetProperty("id").GetGuid();
        var accountKey = (await SendAsync(client, PublishedConsole.PlatformKey, $"api/v1/accounts/{accountId}/api-keys", new { name = "fault tests" }))
            .GetProperty("key").GetString()!;

        var products = new List<FleetProduct>();
        foreach (var (quantity, index) in licenses.Select((q, i) => (q, i)))
        {
            var productKey = $"pk-fault-{index}-{Guid.NewGuid():N}"[..24];
            await SendAsync(client, accountKey, "api/v1/products", new { name = $"Fault product {index}", productKey });
            await SendAsync(client, PublishedConsole.PlatformKey, "api/v1/purchases",
                new { orderId = $"order-{Guid.NewGuid():N}", accountId, specCode = "STD-1Y", quantity, productKey });
            products.Add(new FleetProduct(productKey, quantity));
        }

        return new FaultFleet(accountId, email, AccountPassword, products);
    }

    private static async Task<JsonElement> SendAsync(HttpClient client, string key, string url, object body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = JsonContent.Create(body) };
        request.Headers.Add("X-Api-Key", key);
        using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"POST {url} answered {(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }
}
