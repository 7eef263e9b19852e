using System.Net;

namespace LicenseConsole.IntegrationTests.Api;

/// <summary>Malformed input answers 400 validation_failed with the fields at fault, and changes nothing.</summary>
public sealed class ApiValidationTests(ApiApp app) : IClassFixture<ApiApp>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("{}", "name")]
    [InlineData("""{"name":null}""", "name")]
    [InlineData("""{"name":"   "}""", "name")]
    [InlineData("""{"name":42}""", "name")]
    [InlineData("""{"name":["a"]}""", "name")]
    [InlineData("""{"name":"Lamp","colour":"red"}""", "colour")]
    [InlineData("""{"name":"Lamp","productKey":"has spaces"}""", "productKey")]
    public async Task CreateProduct_MalformedBody_Returns400WithTheFieldAtFaultAndCreatesNothing(string body, string field)
    {
        var account = await app.CreateAccountAsync();
        using var client = app.ClientOf(account);

        var response = await client.SendRawAsync(HttpMethod.Post, "/api/v1/products", body);

        await response.ExpectValidationProblemAsync(field);
        var products = await (await client.GetAsync("/api/v1/products", Ct)).ExpectJsonAsync(HttpStatusCode.OK);
        Assert.Equal(0, products.Long("totalCount"));
    }

    [Theory]
    [InlineData("""{"name":""")]
    [InlineData("""{"name":"Lamp",}""")]
    [InlineData("not json at all")]
    [InlineData("")]
    public async Task CreateProduct_BodyNotJson_Returns400ValidationFailedAndCreatesNothing(string body)
    {
        var account = await app.CreateAccountAsync();
        using var client = app.ClientOf(account);

        var response = await client.SendRawAsync(HttpMethod.Post, "/api/v1/products", body);

        await response.ExpectValidationProblemAsync(null);
        var products = await (await client.GetAsync("/api/v1/products", Ct)).ExpectJsonAsync(HttpStatusCode.OK);
        Assert.Equal(0, products.Long("totalCount"));
    }

    [Theory]
    [InlineData("""{"productKey":"{pk}",""")]
    [InlineData("""[{"productKey":"{pk}","specCode":"STD-1Y","quantity":1}]""")]
    public async Task Allocate_BodyNotTheExpectedJson_Returns400ValidationFailedAndChangesNothing(string body)
    {
        var account = await app.CreateAccountAsync();
        await app.BuyAsync(account, 5);
        using var client = app.ClientOf(account);
        var productKey = await client.CreateProductAsync();
        var before = await client.SummaryAsync();

        var response = await client.SendRawAsync(HttpMethod.Post, "/api/v1/allocations", body.Replace("{pk}", productKey, StringComparison.Ordinal));

        await response.ExpectValidationProblemAsync(null);
        Assert.Equal(before.GetRawText(), (await client.SummaryAsync()).GetRawText());
    }

    [Theory]
    [InlineData("""{"specCode":"STD-1Y","quantity":1}""", "productKey")]
    [InlineData("""{"productKey":"{pk}","quantity":1}""", "specCode")]
    [InlineData("""{"productKey":"{pk}","specCode":"STD-9Y","quantity":1}""", "specCode")]
    [InlineData("""{"productKey":"{pk}","specCode":"STD-1Y","quantity":1,"note":"x"}""", "note")]
    [InlineData("""{"productKey":"{pk}","specCode":"STD-1Y","quantity":true}""", "quantity")]
    [InlineData("""{"productKey":"{pk}","specCode":"STD-1Y","quantity":99999999999}""", "quantity")]
    public async Task Allocate_MalformedBody_Returns400WithTheFieldAtFaultAndChangesNothing(string body, string field)
    {
        var account = await app.CreateAccountAsync();
        await app.BuyAsync(account, 5);
        using var client = app.ClientOf(account);
        var productKey = await client.CreateProductAsync();
        var before = await client.SummaryAsync();

        var response = await client.SendRawAsync(HttpMethod.Post, "/api/v1/allocations", body.Replace("{pk}", productKey, StringComparison.Ordinal));

        await response.ExpectValidationProblemAsync(field);
        Assert.Equal(before.GetRawText(), (await client.SummaryAsync()).GetRawText());
    }

    [Theory]
    [InlineData("""{"email":"ops@example.com"}""", "name")]
    [InlineData("""{"name":"Ops"}""", "email")]
    [InlineData("""{"name":"Ops","email":17}""", "email")]
    [InlineData("""{"name":"Ops","email":"ops@example.com","phone":"123"}""", "phone")]
    public async Task AddRecipient_MalformedBody_Returns400WithTheFieldAtFaultAndAddsNothing(string body, string field)
    {
        var account = await app.CreateAccountAsync();
        using var client = app.ClientOf(account);

        var response = await client.SendRawAsync(HttpMethod.Post, "/api/v1/alert-recipients", body);

        await response.ExpectValidationProblemAsync(field);
        var page = await (await client.GetAsync("/api/v1/alert-recipients", Ct)).ExpectJsonAsync(HttpStatusCode.OK);
        Assert.Equal(1, page.Long("totalCount"));
    }

    [Theory]
    [InlineData("""{"password":"Test-Password-2026","dataCenter":"cn-east"}""", "email")]
    [InlineData("""{"email":"{email}","password":"Test-Password-2026"}""", "dataCenter")]
    [InlineData("""{"email":"{email}","password":"Test-Password-2026","dataCenter":"cn-east","plan":"gold"}""", "plan")]
    [InlineData("""{"email":"{email}","password":"Test-Password-2026","dataCenter":["cn-east"]}""", "dataCenter")]
    public async Task CreateAccount_MalformedBody_Returns400WithTheFieldAtFaultAndCreatesNothing(string body, string field)
    {
        using var platform = app.PlatformClient();
        var email = $"malformed-{Guid.NewGuid():N}@example.com";

        var response = await platform.SendRawAsync(HttpMethod.Post, "/api/v1/accounts", body.Replace("{email}", email, StringComparison.Ordinal));

        await response.ExpectValidationProblemAsync(field);
        var retry = await platform.PostJsonAsync("/api/v1/accounts", new { email, password = "Test-Password-2026", dataCenter = "cn-east" });
        await retry.ExpectJsonAsync(HttpStatusCode.Created);
    }

    [Theory]
    [InlineData("""{"accountId":"{account}","specCode":"STD-1Y","quantity":1}""", "orderId")]
    [InlineData("""{"orderId":"{order}","specCode":"STD-1Y","quantity":1}""", "accountId")]
    [InlineData("""{"orderId":"{order}","accountId":"not-a-guid","specCode":"STD-1Y","quantity":1}""", "accountId")]
    [InlineData("""{"orderId":"{order}","accountId":"{account}","quantity":1}""", "specCode")]
    [InlineData("""{"orderId":"{order}","accountId":"{account}","specCode":"GOLD","quantity":1}""", "specCode")]
    [InlineData("""{"orderId":"{order}","accountId":"{account}","specCode":"STD-1Y","quantity":1,"currency":"EUR"}""", "currency")]
    public async Task Purchase_MalformedBody_Returns400WithTheFieldAtFaultAndAddsNothing(string body, string field)
    {
        var account = await app.CreateAccountAsync();
        using var platform = app.PlatformClient();
        using var client = app.ClientOf(account);
        var json = body.Replace("{account}", account.Id.ToString(), StringComparison.Ordinal)
            .Replace("{order}", ApiCalls.NewKey("order-"), StringComparison.Ordinal);

        var response = await platform.SendRawAsync(HttpMethod.Post, "/api/v1/purchases", json);

        await response.ExpectValidationProblemAsync(field);
        Assert.Equal(0, (await client.SummaryAsync()).Long("total"));
    }

    [Fact]
    public async Task Purchase_UnknownAccount_Returns404()
    {
        using var platform = app.PlatformClient();

        var response = await platform.PostJsonAsync("/api/v1/purchases",
            new { orderId = ApiCalls.NewKey("order-"), accountId = Guid.NewGuid(), specCode = "STD-1Y", quantity = 1 });

        await response.ExpectProblemAsync(HttpStatusCode.NotFound, "account_not_found");
    }
}
