using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using LicenseConsole.IntegrationTests.Infrastructure;

namespace LicenseConsole.IntegrationTests.Api;

public sealed class ApiAuthenticationTests(ApiApp app) : IClassFixture<ApiApp>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AccountEndpoint_NoKey_Returns401Unauthorized()
    {
        using var client = app.CreateClient();

        var response = await client.GetAsync("/api/v1/summary", Ct);

        await response.ExpectProblemAsync(HttpStatusCode.Unauthorized, "unauthorized");
    }

    [Theory]
    [InlineData("wrong-key")]
    [InlineData("lck_0123456789abcdef0123456789abcdef")]
    [InlineData("test-platform-key-but-longer")]
    public async Task AccountEndpoint_WrongKey_Returns401Unauthorized(string key)
    {
        using var client = app.CreateClient(key);

        var response = await client.GetAsync("/api/v1/summary", Ct);

        await response.ExpectProblemAsync(HttpStatusCode.Unauthorized, "unauthorized");
    }

    [Theory]
    [InlineData("text/html")]
    [InlineData("application/json")]
    public async Task ConsolePage_WrongKey_Is401WithoutAProblemBodyWhateverItAccepts(string accept)
    {
        using var client = app.CreateClient("wrong-key");
        using var request = new HttpRequestMessage(HttpMethod.Get, "/products");
        request.Headers.Accept.ParseAdd(accept);

        using var response = await client.SendAsync(request, Ct);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.NotEqual("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task PlatformEndpoint_NoKey_Returns401Unauthorized()
    {
        using var client = app.CreateClient();

        var response = await client.PostJsonAsync("/api/v1/devices/connect", new { productKey = "pk-x", deviceKey = "dk-x", dataCenter = "cn-east" });

        await response.ExpectProblemAsync(HttpStatusCode.Unauthorized, "unauthorized");
    }

    [Fact]
    public async Task PlatformEndpoint_WrongKey_Returns401AndCreatesNoAccount()
    {
        using var client = app.CreateClient(ApiCalls.UnknownAccountKey);
        var email = $"nobody-{Guid.NewGuid():N}@example.com";

        var response = await client.PostJsonAsync("/api/v1/accounts", new { email, password = TestAccounts.Password, dataCenter = "cn-east" });

        await response.ExpectProblemAsync(HttpStatusCode.Unauthorized, "unauthorized");
        using var platform = app.PlatformClient();
        var again = await platform.PostJsonAsync("/api/v1/accounts", new { email, password = TestAccounts.Password, dataCenter = "cn-east" });
        await again.ExpectJsonAsync(HttpStatusCode.Created);
    }

    [Theory]
    [InlineData("POST", "/api/v1/accounts", """{"email":"x@example.com","password":"Test-Password-2026","dataCenter":"cn-east"}""")]
    [InlineData("POST", "/api/v1/accounts/{account}/api-keys", """{"name":"sneaky"}""")]
    [InlineData("POST", "/api/v1/purchases", """{"orderId":"o-{account}","accountId":"{account}","specCode":"STD-1Y","quantity":5}""")]
    [InlineData("POST", "/api/v1/devices/connect", """{"productKey":"pk-x","deviceKey":"dk-x","dataCenter":"cn-east"}""")]
    [InlineData("DELETE", "/api/v1/products/pk-x/devices/dk-x", null)]
    public async Task PlatformEndpoint_AccountKey_Returns403(string method, string url, string? body)
    {
        var account = await app.CreateAccountAsync();
        using var client = app.ClientOf(account);

        var response = await client.SendRawAsync(new HttpMethod(method), url.Replace("{account}", account.Id.ToString(), StringComparison.Ordinal),
            body?.Replace("{account}", account.Id.ToString(), StringComparison.Ordinal));

        await response.ExpectProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        Assert.Equal(0, (await client.SummaryAsync()).Long("total"));
    }

    [Fact]
    public async Task AccountKey_Minted_SeesItsOwnAccount()
    {
        var account = await app.CreateAccountAsync("eu-west");
        using var client = app.ClientOf(account);

        var summary = await client.SummaryAsync();

        Assert.StartsWith("lck_", account.Key, StringComparison.Ordinal);
        Assert.Equal("eu-west", summary.Str("dataCenter"));
    }

    [Fact]
    public async Task Summary_SignedInConsoleUser_Returns200WithTheAccountsSummary()
    {
        var account = await TestAccounts.CreateAsync(app.Factory.Services, "us-east");
        using var client = app.CreateClient();
        await client.SignInAsync(account.OwnerEmail, TestAccounts.Password);

        var summary = await client.SummaryAsync();

        Assert.Equal("us-east", summary.Str("dataCenter"));
        Assert.Equal(0, summary.Long("total"));
    }

    [Fact]
    public async Task Summary_OwnerOfAnAccountCreatedThroughTheApi_SignsInWithThePasswordSent()
    {
        var account = await app.CreateAccountAsync("ap-southeast");
        using var client = app.CreateClient();
        await client.SignInAsync(account.Email, TestAccounts.Password);

        var summary = await client.SummaryAsync();

        Assert.Equal("ap-southeast", summary.Str("dataCenter"));
    }

    [Fact]
    public async Task Post_CookieWithoutAntiforgeryHeader_Returns400AntiforgeryFailedAndChangesNothing()
    {
        var account = await TestAccounts.CreateAsync(app.Factory.Services);
        using var client = app.CreateClient();
        await client.SignInAsync(account.OwnerEmail, TestAccounts.Password);

        var response = await client.PostJsonAsync("/api/v1/products", new { name = "Forged" });

        await response.ExpectProblemAsync(HttpStatusCode.BadRequest, "antiforgery_failed");
        var products = await (await client.GetAsync("/api/v1/products", Ct)).ExpectJsonAsync(HttpStatusCode.OK);
        Assert.Equal(0, products.Long("totalCount"));
    }

    [Fact]
    public async Task Post_CookieWithAntiforgeryTokenOfAConsolePage_Succeeds()
    {
        var account = await TestAccounts.CreateAsync(app.Factory.Services);
        using var client = app.CreateClient();
        await client.SignInAsync(account.OwnerEmail, TestAccounts.Password);
        var token = await client.AntiforgeryTokenAsync("/");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/products") { Content = JsonContent.Create(new { name = "From the console" }) };
        request.Headers.Add("RequestVerificationToken", token);

        var response = await client.SendAsync(request, Ct);

        var product = await response.ExpectJsonAsync(HttpStatusCode.Created);
        Assert.Equal("From the console", product.Str("name"));
    }

    [Fact]
    public async Task OpenApi_Anonymous_Returns200WithTheApiPaths()
    {
        using var client = app.CreateClient();

        var response = await client.GetAsync("/openapi/v1.json", Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
        var paths = document.RootElement.GetProperty("paths");
        Assert.True(paths.TryGetProperty("/api/v1/devices/connect", out _));
        Assert.True(paths.TryGetProperty("/api/v1/allocations", out _));
    }
}
