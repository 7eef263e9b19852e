using System.Net;
using System.Text.Json;

namespace LicenseConsole.IntegrationTests.Api;

/// <summary><c>POST /api/v1/devices/connect-batch</c>: the gateway's bulk call.</summary>
public sealed class ConnectBatchApiTests(ApiApp app) : IClassFixture<ApiApp>
{
    private const string Path = "/api/v1/devices/connect-batch";

    [Fact]
    public async Task ConnectBatch_MixedEntries_AnswersEachInInputOrderAsConnectWould()
    {
        var account = await app.CreateAccountAsync();
        var productKey = await app.ProductWithLicensesAsync(account, 2);
        using var platform = app.PlatformClient();
        using var client = app.ClientOf(account);

        var results = await BatchAsync(platform, $$"""
            {"connections":[
              {"productKey":"{{productKey}}","deviceKey":"dk-a","dataCenter":"cn-east"},
              {"productKey":"{{productKey}}","deviceKey":"dk-a","dataCenter":"cn-east"},
              {"productKey":"pk-nobody-{{Guid.NewGuid():N}}","deviceKey":"dk-a","dataCenter":"cn-east"},
              {"productKey":"{{productKey}}","dataCenter":"cn-east"},
              {"productKey":"{{productKey}}","deviceKey":"dk b!","dataCenter":"cn-east"},
              {"productKey":"{{productKey}}","deviceKey":"dk-b","dataCenter":"eu-west"},
              {"productKey":"{{productKey}}","deviceKey":"dk-c","dataCenter":"cn-east"}
            ]}
            """);

        Assert.Equal(7, results.Length);
        AssertConnected(results[0], "activated", consumed: true);
        AssertConnected(results[1], "valid", consumed: false);
        Assert.Equal(results[0].Time("expiresAt"), results[1].Time("expiresAt"), TimeSpan.FromMilliseconds(1));
        AssertError(results[2], 404, "product_not_found");
        AssertError(results[3], 400, "validation_failed");
        Assert.Contains("deviceKey", results[3].GetProperty("error").Str("detail"), StringComparison.Ordinal);
        AssertError(results[4], 400, "validation_failed");
        AssertConnected(results[5], "activated", consumed: true);
        AssertError(results[6], 403, "no_license_available");
        var product = await client.ProductAsync(productKey);
        Assert.Equal((2L, 0L), (product.Long("used"), product.Long("remaining")));
        Assert.Equal("eu-west", Assert.Single(await client.DevicesAsync(productKey), d => d.Str("deviceKey") == "dk-b").Str("lastDataCenter"));
    }

    [Fact]
    public async Task ConnectBatch_SameStoryAsSingleConnects_GivesTheSameAnswers()
    {
        var account = await app.CreateAccountAsync();
        var single = await app.ProductWithLicensesAsync(account, 3);
        var bulk = await app.ProductWithLicensesAsync(account, 3);
        using var platform = app.PlatformClient();
        string[] story = ["d1", "d2", "d1", "d3", "d4", "d2", "d5"];

        var one = new List<(string Result, int Status, string? Code)>();
        foreach (var device in story)
        {
            var response = await platform.PostJsonAsync("/api/v1/devices/connect", new { productKey = single, deviceKey = device, dataCenter = "cn-east" });
            var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).RootElement;
            one.Add(response.IsSuccessStatusCode ? (body.Str("result"), 200, null) : ("", (int)response.StatusCode, body.Str("code")));
        }

        var results = await BatchAsync(platform, JsonSerializer.Serialize(new
        {
            connections = story.Select(d => new { productKey = bulk, deviceKey = d, dataCenter = "cn-east" }),
        }));

        var many = results.Select(r => r.TryGetProperty("error", out var e)
            ? ("", e.GetProperty("status").GetInt32(), e.Str("code"))
            : (r.Str("result"), 200, (string?)null)).ToList();
        Assert.Equal(one, many);
        Assert.Equal(["activated", "activated", "valid", "activated", "", "valid", ""], many.Select(m => m.Item1));
    }

    [Fact]
    public async Task ConnectBatch_ExpiredDeviceTwiceInOneCall_RenewsOnceThenReconnects()
    {
        var account = await app.CreateAccountAsync();
        var productKey = await app.ProductWithLicensesAsync(account, 5);
        using var platform = app.PlatformClient();
        var first = await platform.ConnectAsync(productKey, "dk-old");
        using var later = app.CreateClientLater(TimeSpan.FromDays(400), ApiApp.PlatformKey);

        var results = await BatchAsync(later, JsonSerializer.Serialize(new
        {
            connections = new[] { "dk-old", "dk-old" }.Select(d => new { productKey, deviceKey = d, dataCenter = "cn-east" }),
        }));

        AssertConnected(results[0], "renewed", consumed: true);
        Assert.Equal(first.Time("expiresAt"), results[0].Time("activatedAt"), TimeSpan.FromMilliseconds(1));
        AssertConnected(results[1], "valid", consumed: false);
        using var client = app.ClientOf(account);
        Assert.Equal(2, (await client.ProductAsync(productKey)).Long("used"));
    }

    [Theory]
    [InlineData("""{"connections":[]}""")]
    [InlineData("""{"connections":{}}""")]
    [InlineData("""{"connections":"all"}""")]
    [InlineData("""{}""")]
    [InlineData("""[]""")]
    [InlineData("""{"connections":[{"productKey":"pk","deviceKey":"dk","dataCenter":"cn-east"}],"more":1}""")]
    [InlineData("""{"connections":[{"productKey":"pk","deviceKey":"dk","dataCenter":"cn-east"}""")]
    public async Task ConnectBatch_BodyNotOfTheShape_Returns400ValidationFailed(string body)
    {
        using var platform = app.PlatformClient();

        var response = await platform.SendRawAsync(HttpMethod.Post, Path, body);

        await response.ExpectProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
    }

    [Fact]
    public async Task ConnectBatch_MoreThanAThousand_Returns400AndConsumesNothing()
    {
        var account = await app.CreateAccountAsync();
        var productKey = await app.ProductWithLicensesAsync(account, 2000);
        using var platform = app.PlatformClient();

        var response = await platform.SendRawAsync(HttpMethod.Post, Path, JsonSerializer.Serialize(new
        {
            connections = Enumerable.Range(0, 1001).Select(i => new { productKey, deviceKey = $"d{i}", dataCenter = "cn-east" }),
        }));

        await response.ExpectProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
        using var client = app.ClientOf(account);
        Assert.Equal(0, (await client.ProductAsync(productKey)).Long("used"));
        Assert.Empty(await client.DevicesAsync(productKey));
    }

    [Fact]
    public async Task ConnectBatch_AThousand_AreAllAnswered()
    {
        var account = await app.CreateAccountAsync();
        var productKey = await app.ProductWithLicensesAsync(account, 900);
        using var platform = app.PlatformClient();

        var results = await BatchAsync(platform, JsonSerializer.Serialize(new
        {
            connections = Enumerable.Range(0, 1000).Select(i => new { productKey, deviceKey = $"d{i:D4}", dataCenter = "cn-east" }),
        }));

        Assert.Equal(900, results.Count(r => r.TryGetProperty("result", out _)));
        Assert.All(results.Skip(900), r => AssertError(r, 403, "no_license_available"));
        using var client = app.ClientOf(account);
        Assert.Equal(900, (await client.ProductAsync(productKey)).Long("used"));
    }

    [Fact]
    public async Task ConnectBatch_AccountKey_Returns403()
    {
        var account = await app.CreateAccountAsync();
        using var client = app.ClientOf(account);

        var response = await client.SendRawAsync(HttpMethod.Post, Path, """{"connections":[{"productKey":"pk","deviceKey":"dk","dataCenter":"cn-east"}]}""");

        await response.ExpectProblemAsync(HttpStatusCode.Forbidden, "forbidden");
    }

    private static async Task<JsonElement[]> BatchAsync(HttpClient platform, string body)
    {
        var answer = await (await platform.SendRawAsync(HttpMethod.Post, Path, body)).ExpectJsonAsync(HttpStatusCode.OK);
        ApiCalls.AssertMembers(answer, "results");
        return [.. answer.GetProperty("results").EnumerateArray()];
    }

    private static void AssertConnected(JsonElement result, string outcome, bool consumed)
    {
        ApiCalls.AssertMembers(result, "result", "consumed", "activatedAt", "expiresAt");
        Assert.Equal(outcome, result.Str("result"));
        Assert.Equal(consumed, result.GetProperty("consumed").GetBoolean());
    }

    private static void AssertError(JsonElement result, int status, string code)
    {
        ApiCalls.AssertMembers(result, "error");
        var error = result.GetProperty("error");
        ApiCalls.AssertMembers(error, "status", "code", "detail");
        Assert.Equal((status, code), (error.GetProperty("status").GetInt32(), error.Str("code")));
        Assert.False(string.IsNullOrWhiteSpace(error.Str("detail")));
    }
}
