using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using LicenseConsole.IntegrationTests.Infrastructure;

namespace LicenseConsole.IntegrationTests.Api;

/// <summary>An account created through the platform API, with an account key minted for it.</summary>
public sealed record ApiAccount(Guid Id, string Email, string Key, string DataCenter);

/// <summary>JSON calls to the API and the assertions every test makes on their answers.</summary>
public static class ApiCalls
{
    public const string ProblemJson = "application/problem+json";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A key that no one has configured or minted, but that has the shape of an account key.</summary>
    public static string UnknownAccountKey => "lck_" + Guid.NewGuid().ToString("N");

    public static string NewKey(string prefix) => prefix + Guid.NewGuid().ToString("N")[..12];

    public static Task<HttpResponseMessage> PostJsonAsync(this HttpClient client, string url, object body) =>
        client.PostAsJsonAsync(url, body, Ct);

    public static Task<HttpResponseMessage> PutJsonAsync(this HttpClient client, string url, object body) =>
        client.PutAsJsonAsync(url, body, Ct);

    /// <summary>A call with the sign-in cookie, carrying the antiforgery <paramref name="token"/> as the console's script does.</summary>
    public static Task<HttpResponseMessage> PostJsonAsync(this HttpClient client, string url, object body, string token) =>
        client.SendAsync(WithToken(new HttpRequestMessage(HttpMethod.Post, url) { Content = JsonContent.Create(body) }, token), Ct);

    public static Task<HttpResponseMessage> PutJsonAsync(this HttpClient client, string url, object body, string token) =>
        client.SendAsync(WithToken(new HttpRequestMessage(HttpMethod.Put, url) { Content = JsonContent.Create(body) }, token), Ct);

    private static HttpRequestMessage WithToken(HttpRequestMessage request, string token)
    {
        request.Headers.Add("RequestVerificationToken", token);
        return request;
    }

    /// <summary>Sends <paramref name="json"/> as it is written, for bodies a serializer would not produce.</summary>
    public static async Task<HttpResponseMessage> SendRawAsync(this HttpClient client, HttpMethod method, string url, string? json = null)
    {
        using var request = new HttpRequestMessage(method, url);
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        return await client.SendAsync(request, Ct);
    }

    /// <summary>Asserts the status and the JSON content type of a successful answer and returns its body.</summary>
    public static async Task<JsonElement> ExpectJsonAsync(this HttpResponseMessage response, HttpStatusCode status)
    {
        var body = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.StatusCode == status, $"Expected {(int)status}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        return Parse(body);
    }

    /// <summary>Asserts a problem+json answer with this status and stable code and returns its body.</summary>
    public static async Task<JsonElement> ExpectProblemAsync(this HttpResponseMessage response, HttpStatusCode status, string code)
    {
        var problem = await ReadProblemAsync(response, status, code);
        AssertProblemContentType(response);
        return problem;
    }

    /// <summary>
    /// Asserts a 400 validation_failed problem whose <c>errors</c> name <paramref name="field"/> (or, without one,
    /// name some field: a body that is not JSON has no field of its own).
    /// </summary>
    public static async Task<JsonElement> ExpectValidationProblemAsync(this HttpResponseMessage response, string? field)
    {
        var problem = await ReadProblemAsync(response, HttpStatusCode.BadRequest, "validation_failed");
        Assert.True(problem.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Object,
            $"No errors object in {problem.GetRawText()}");
        if (field is null)
        {
            Assert.NotEmpty(errors.EnumerateObject());
        }
        else
        {
            Assert.True(errors.TryGetProperty(field, out var messages), $"No error for '{field}' in {errors.GetRawText()}");
            Assert.NotEqual(0, messages.GetArrayLength());
        }

        // Checked last, so that a failure here means the rest of the problem was right.
        AssertProblemContentType(response);
        return problem;
    }

    public static async Task ExpectNoContentAsync(this HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.StatusCode == HttpStatusCode.NoContent, $"Expected 204, got {(int)response.StatusCode}: {body}");
    }

    /// <summary>Asserts that the object has exactly these members (the contract's names, camelCase).</summary>
    public static void AssertMembers(JsonElement element, params string[] names) =>
        Assert.Equal(names.Order(StringComparer.Ordinal), element.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));

    /// <summary>Asserts that the object has at least these members.</summary>
    public static void AssertHasMembers(JsonElement element, params string[] names)
    {
        var present = element.EnumerateObject().Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
        Assert.All(names, name => Assert.Contains(name, present));
    }

    /// <summary>Asserts the list envelope {items, page, pageSize, totalCount} and returns the items.</summary>
    public static JsonElement[] AssertPage(JsonElement page, int expectedPage = 1, int expectedPageSize = 50)
    {
        AssertMembers(page, "items", "page", "pageSize", "totalCount");
        Assert.Equal(expectedPage, page.GetProperty("page").GetInt32());
        Assert.Equal(expectedPageSize, page.GetProperty("pageSize").GetInt32());
        return [.. page.GetProperty("items").EnumerateArray()];
    }

    public static string Str(this JsonElement element, string name) => element.GetProperty(name).GetString()!;

    public static long Long(this JsonElement element, string name) => element.GetProperty(name).GetInt64();

    public static DateTimeOffset Time(this JsonElement element, string name) => element.GetProperty(name).GetDateTimeOffset();

    /// <summary>Creates an account through the platform API and mints an account key for it.</summary>
    public static async Task<ApiAccount> CreateAccountAsync(this ApiApp app, string dataCenter = "cn-east")
    {
        using var platform = app.CreateClient(ApiApp.PlatformKey);
        var email = $"api-{Guid.NewGuid():N}@example.com";
        var account = await (await platform.PostJsonAsync("/api/v1/accounts", new { email, password = TestAccounts.Password, dataCenter }))
            .ExpectJsonAsync(HttpStatusCode.Created);
        var id = account.GetProperty("id").GetGuid();
        var key = await (await platform.PostJsonAsync($"/api/v1/accounts/{id}/api-keys", new { name = "tests" }))
            .ExpectJsonAsync(HttpStatusCode.Created);
        return new ApiAccount(id, email, key.Str("key"), dataCenter);
    }

    public static HttpClient ClientOf(this ApiApp app, ApiAccount account) => app.CreateClient(account.Key);

    public static HttpClient PlatformClient(this ApiApp app) => app.CreateClient(ApiApp.PlatformKey);

    /// <summary>Records a purchase under a fresh order id; with a product key the licenses land in that product's pool.</summary>
    public static async Task BuyAsync(this ApiApp app, ApiAccount account, int quantity, string specCode = "STD-1Y", string? productKey = null)
    {
        using var platform = app.PlatformClient();
        var response = await platform.PostJsonAsync("/api/v1/purchases",
            new { orderId = NewKey("order-"), accountId = account.Id, specCode, quantity, productKey });
        await response.ExpectJsonAsync(HttpStatusCode.Created);
    }

    /// <summary>Creates a product of the account (with a chosen key) and returns its key.</summary>
    public static async Task<string> CreateProductAsync(this HttpClient accountClient, string? name = null)
    {
        var productKey = NewKey("pk-");
        var product = await (await accountClient.PostJsonAsync("/api/v1/products", new { name = name ?? "Product " + productKey, productKey }))
            .ExpectJsonAsync(HttpStatusCode.Created);
        return product.Str("productKey");
    }

    /// <summary>A product of the account holding <paramref name="licenses"/> licenses of <paramref name="specCode"/> (none: no spec yet).</summary>
    public static async Task<string> ProductWithLicensesAsync(this ApiApp app, ApiAccount account, int licenses, string specCode = "STD-1Y", string? name = null)
    {
        using var client = app.ClientOf(account);
        var productKey = await client.CreateProductAsync(name);
        if (licenses > 0)
        {
            await app.BuyAsync(account, licenses, specCode, productKey);
        }

        return productKey;
    }

    /// <summary>The gateway's connect, expected to let the device in.</summary>
    public static async Task<JsonElement> ConnectAsync(this HttpClient platform, string productKey, string deviceKey, string dataCenter = "cn-east") =>
        await (await platform.PostJsonAsync("/api/v1/devices/connect", new { productKey, deviceKey, dataCenter })).ExpectJsonAsync(HttpStatusCode.OK);

    public static async Task<JsonElement> SummaryAsync(this HttpClient accountClient) =>
        await (await accountClient.GetAsync("/api/v1/summary", Ct)).ExpectJsonAsync(HttpStatusCode.OK);

    public static async Task<JsonElement> ProductAsync(this HttpClient accountClient, string productKey) =>
        await (await accountClient.GetAsync($"/api/v1/products/{productKey}", Ct)).ExpectJsonAsync(HttpStatusCode.OK);

    /// <summary>The devices of a product (first page).</summary>
    public static async Task<JsonElement[]> DevicesAsync(this HttpClient accountClient, string productKey, string query = "") =>
        AssertPage(await (await accountClient.GetAsync($"/api/v1/products/{productKey}/devices{query}", Ct)).ExpectJsonAsync(HttpStatusCode.OK));

    private static async Task<JsonElement> ReadProblemAsync(HttpResponseMessage response, HttpStatusCode status, string code)
    {
        var body = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.StatusCode == status, $"Expected {(int)status} {code}, got {(int)response.StatusCode}: {body}");
        var problem = Parse(body);
        Assert.Equal(code, problem.GetProperty("code").GetString());
        Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
        return problem;
    }

    private static void AssertProblemContentType(HttpResponseMessage response) =>
        Assert.Equal(ProblemJson, response.Content.Headers.ContentType?.MediaType);

    private static JsonElement Parse(string body)
    {
        using var document = JsonDocument.Parse(body);
        return document.RootElement.Clone();
    }
}
