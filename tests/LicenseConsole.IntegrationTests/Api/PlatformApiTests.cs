using System.Net;
using System.Text.Json;
using LicenseConsole.IntegrationTests.Infrastructure;

namespace LicenseConsole.IntegrationTests.Api;

public sealed class PlatformApiTests(ApiApp app) : IClassFixture<ApiApp>
{
    private static readonly TimeSpan AfterExpiry = TimeSpan.FromDays(400);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task CreateAccount_ValidBody_Returns201WithIdEmailAndDataCenter()
    {
        using var platform = app.PlatformClient();
        var email = $"new-{Guid.NewGuid():N}@example.com";

        var response = await platform.PostJsonAsync("/api/v1/accounts", new { email, password = TestAccounts.Password, dataCenter = "eu-west" });

        var account = await response.ExpectJsonAsync(HttpStatusCode.Created);
        ApiCalls.AssertMembers(account, "id", "email", "dataCenter");
        Assert.NotEqual(Guid.Empty, account.GetProperty("id").GetGuid());
        Assert.Equal(email, account.Str("email"));
        Assert.Equal("eu-west", account.Str("dataCenter"));
    }

    [Fact]
    public async Task CreateAccount_EmailTaken_Returns409AccountExists()
    {
        var existing = await app.CreateAccountAsync();
        using var platform = app.PlatformClient();

        var response = await platform.PostJsonAsync("/api/v1/accounts", new { email = existing.Email, password = TestAccounts.Password, dataCenter = "cn-north" });

        await response.ExpectProblemAsync(HttpStatusCode.Conflict, "account_exists");
    }

    [Theory]
    [InlineData("not-an-email")]
    [InlineData("two@@example.com")]
    [InlineData("Someone <someone@example.com>")]
    [InlineData("")]
    [InlineData("o'brien@example.com")]
    public async Task CreateAccount_BadEmail_Returns400WithAnEmailError(string email)
    {
        using var platform = app.PlatformClient();

        var response = await platform.PostJsonAsync("/api/v1/accounts", new { email, password = TestAccounts.Password, dataCenter = "cn-east" });

        await response.ExpectValidationProblemAsync("email");
    }

    [Fact]
    public async Task CreateAccount_UnknownDataCenter_Returns400WithADataCenterError()
    {
        using var platform = app.PlatformClient();
        var email = $"new-{Guid.NewGuid():N}@example.com";

        var response = await platform.PostJsonAsync("/api/v1/accounts", new { email, password = TestAccounts.Password, dataCenter = "mars-north" });

        await response.ExpectValidationProblemAsync("dataCenter");
        var retry = await platform.PostJsonAsync("/api/v1/accounts", new { email, password = TestAccounts.Password, dataCenter = "cn-east" });
        await retry.ExpectJsonAsync(HttpStatusCode.Created);
    }

    [Fact]
    public async Task CreateApiKey_KnownAccount_Returns201WithAKeyThatWorks()
    {
        var account = await app.CreateAccountAsync();
        using var platform = app.PlatformClient();

        var response = await platform.PostJsonAsync($"/api/v1/accounts/{account.Id}/api-keys", new { name = "second key" });

        var minted = await response.ExpectJsonAsync(HttpStatusCode.Created);
        ApiCalls.AssertMembers(minted, "id", "name", "role", "productKeys", "key");
        Assert.Equal(("second key", "admin", JsonValueKind.Null), (minted.Str("name"), minted.Str("role"), minted.GetProperty("productKeys").ValueKind));
        Assert.NotEqual(account.Key, minted.Str("key"));
        using var client = app.CreateClient(minted.Str("key"));
        Assert.Equal("cn-east", (await client.SummaryAsync()).Str("dataCenter"));
    }

    [Fact]
    public async Task CreateApiKey_UnknownAccount_Returns404()
    {
        using var platform = app.PlatformClient();

        var response = await platform.PostJsonAsync($"/api/v1/accounts/{Guid.NewGuid()}/api-keys", new { name = "orphan" });

        await response.ExpectProblemAsync(HttpStatusCode.NotFound, "account_not_found");
    }

    [Fact]
    public async Task Purchase_WithoutProductKey_Returns201AndFillsTheUnallocatedPool()
    {
        var account = await app.CreateAccountAsync();
        using var platform = app.PlatformClient();
        using var client = app.ClientOf(account);

        var response = await platform.PostJsonAsync("/api/v1/purchases",
            new { orderId = ApiCalls.NewKey("order-"), accountId = account.Id, specCode = "STD-2Y", quantity = 25 });

        await response.ExpectJsonAsync(HttpStatusCode.Created);
        var summary = await client.SummaryAsync();
        Assert.Equal(25, summary.Long("total"));
        Assert.Equal(25, summary.Long("unallocated"));
        Assert.Equal(25, summary.Long("remaining"));
        var bySpec = Assert.Single(summary.GetProperty("unallocatedBySpec").EnumerateArray());
        Assert.Equal("STD-2Y", bySpec.Str("specCode"));
        Assert.Equal(25, bySpec.Long("quantity"));
    }

    [Fact]
    public async Task Purchase_SameOrderIdSameBody_Returns200AndAddsNothing()
    {
        var account = await app.CreateAccountAsync();
        using var platform = app.PlatformClient();
        using var client = app.ClientOf(account);
        var order = new { orderId = ApiCalls.NewKey("order-"), accountId = account.Id, specCode = "STD-1Y", quantity = 10 };
        await (await platform.PostJsonAsync("/api/v1/purchases", order)).ExpectJsonAsync(HttpStatusCode.Created);

        var repeat = await platform.PostJsonAsync("/api/v1/purchases", order);

        await repeat.ExpectJsonAsync(HttpStatusCode.OK);
        var summary = await client.SummaryAsync();
        Assert.Equal(10, summary.Long("total"));
        Assert.Equal(10, summary.Long("unallocated"));
    }

    [Fact]
    public async Task Purchase_SameOrderIdOtherBody_Returns409OrderConflictAndAddsNothing()
    {
        var account = await app.CreateAccountAsync();
        using var platform = app.PlatformClient();
        using var client = app.ClientOf(account);
        var orderId = ApiCalls.NewKey("order-");
        await (await platform.PostJsonAsync("/api/v1/purchases", new { orderId, accountId = account.Id, specCode = "STD-1Y", quantity = 10 }))
            .ExpectJsonAsync(HttpStatusCode.Created);

        var conflicting = await platform.PostJsonAsync("/api/v1/purchases", new { orderId, accountId = account.Id, specCode = "STD-1Y", quantity = 11 });

        await conflicting.ExpectProblemAsync(HttpStatusCode.Conflict, "order_conflict");
        Assert.Equal(10, (await client.SummaryAsync()).Long("total"));
    }

    [Fact]
    public async Task Purchase_WithProductKey_LandsInTheProductsPool()
    {
        var account = await app.CreateAccountAsync();
        using var client = app.ClientOf(account);
        var productKey = await client.CreateProductAsync();
        using var platform = app.PlatformClient();

        var response = await platform.PostJsonAsync("/api/v1/purchases",
            new { orderId = ApiCalls.NewKey("order-"), accountId = account.Id, specCode = "STD-3Y", quantity = 7, productKey });

        await response.ExpectJsonAsync(HttpStatusCode.Created);
        var product = await client.ProductAsync(productKey);
        Assert.Equal("STD-3Y", product.Str("specCode"));
        Assert.Equal(7, product.Long("total"));
        Assert.Equal(7, product.Long("remaining"));
        var summary = await client.SummaryAsync();
        Assert.Equal(7, summary.Long("total"));
        Assert.Equal(0, summary.Long("unallocated"));
    }

    [Fact]
    public async Task Purchase_WithProductKeyOfAnotherSpec_Returns409SpecMismatchAndAddsNothing()
    {
        var account = await app.CreateAccountAsync();
        var productKey = await app.ProductWithLicensesAsync(account, 3, "STD-1Y");
        using var platform = app.PlatformClient();
        using var client = app.ClientOf(account);

        var response = await platform.PostJsonAsync("/api/v1/purchases",
            new { orderId = ApiCalls.NewKey("order-"), accountId = account.Id, specCode = "STD-2Y", quantity = 4, productKey });

        await response.ExpectProblemAsync(HttpStatusCode.Conflict, "spec_mismatch");
        var product = await client.ProductAsync(productKey);
        Assert.Equal("STD-1Y", product.Str("specCode"));
        Assert.Equal(3, product.Long("total"));
        Assert.Equal(3, (await client.SummaryAsync()).Long("total"));
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-5")]
    [InlineData("1.5")]
    [InlineData("\"10\"")]
    [InlineData(null)]
    public async Task Purchase_InvalidQuantity_Returns400ValidationFailedAndAddsNothing(string? quantity)
    {
        var account = await app.CreateAccountAsync();
        using var platform = app.PlatformClient();
        using var client = app.ClientOf(account);
        var member = quantity is null ? "" : $""","quantity":{quantity}""";
        var body = $$"""{"orderId":"{{ApiCalls.NewKey("order-")}}","accountId":"{{account.Id}}","specCode":"STD-1Y"{{member}}}""";

        var response = await platform.SendRawAsync(HttpMethod.Post, "/api/v1/purchases", body);

        await response.ExpectValidationProblemAsync("quantity");
        Assert.Equal(0, (await client.SummaryAsync()).Long("total"));
    }

    [Fact]
    public async Task Connect_FirstConnection_ActivatesAndConsumesOneLicense()
    {
        var account = await app.CreateAccountAsync();
        var productKey = await app.ProductWithLicensesAsync(account, 2);
        using var platform = app.PlatformClient();
        using var client = app.ClientOf(account);
        var before = DateTimeOffset.UtcNow;

        var connection = await platform.ConnectAsync(productKey, "dk-first");

        ApiCalls.AssertMembers(connection, "result", "consumed", "activatedAt", "expiresAt");
        Assert.Equal("activated", connection.Str("result"));
        Assert.True(connection.GetProperty("consumed").GetBoolean());
        var activatedAt = connection.Time("activatedAt");
        Assert.InRange(activatedAt, before.AddSeconds(-5), DateTimeOffset.UtcNow.AddSeconds(5));
        Assert.Equal(activatedAt.AddMonths(12), connection.Time("expiresAt"), TimeSpan.FromMilliseconds(1));
        var product = await client.ProductAsync(productKey);
        Assert.Equal(1, product.Long("used"));
        Assert.Equal(1, product.Long("remaining"));
    }

    [Fact]
    public async Task Connect_Reconnection_IsValidAndConsumesNothing()
    {
        var account = await app.CreateAccountAsync();
        var productKey = await app.ProductWithLicensesAsync(account, 2);
        using var platform = app.PlatformClient();
        using var client = app.ClientOf(account);
        var first = await platform.ConnectAsync(productKey, "dk-again");

        var again = await platform.ConnectAsync(productKey, "dk-again");

        Assert.Equal("valid", again.Str("result"));
        Assert.False(again.GetProperty("consumed").GetBoolean());
        Assert.Equal(first.Time("expiresAt"), again.Time("expiresAt"), TimeSpan.FromMilliseconds(1));
        Assert.Equal(1, (await client.ProductAsync(productKey)).Long("used"));
    }

    [Fact]
    public async Task Connect_NewDeviceThroughAnotherDataCenter_IsCreatedOnFirstSightAndRecordsTheDataCenter()
    {
        var account = await app.CreateAccountAsync();
        var productKey = await app.ProductWithLicensesAsync(account, 1);
        using var platform = app.PlatformClient();
        using var client = app.ClientOf(account);

        await platform.ConnectAsync(productKey, "dk-travel", "eu-west");

        var device = Assert.Single(await client.DevicesAsync(productKey));
        Assert.Equal("dk-travel", device.Str("deviceKey"));
        Assert.Equal("eu-west", device.Str("lastDataCenter"));
        Assert.Equal(1, device.Long("activationCount"));
        Assert.Equal(1, (await client.SummaryAsync()).Long("used"));
    }

    [Fact]
    public async Task Connect_EmptyPool_Returns403NoLicenseAvailable()
    {
        var account = await app.CreateAccountAsync();
        var productKey = await app.ProductWithLicensesAsync(account, 1);
        using var platform = app.PlatformClient();
        using var client = app.ClientOf(account);
        await platform.ConnectAsync(productKey, "dk-lucky");

        var response = await platform.PostJsonAsync("/api/v1/devices/connect", new { productKey, deviceKey = "dk-unlucky", dataCenter = "cn-east" });

        await response.ExpectProblemAsync(HttpStatusCode.Forbidden, "no_license_available");
        var product = await client.ProductAsync(productKey);
        Assert.Equal(1, product.Long("used"));
        Assert.Equal(0, product.Long("remaining"));
        var refused = Assert.Single(await client.DevicesAsync(productKey), d => d.Str("deviceKey") == "dk-unlucky");
        Assert.Equal(0, refused.Long("activationCount"));
    }

    [Fact]
    public async Task Connect_ProductWithoutLicenses_Returns403NoLicenseAvailable()
    {
        var account = await app.CreateAccountAsync();
        var productKey = await app.ProductWithLicensesAsync(account, 0);
        using var platform = app.PlatformClient();
        using var client = app.ClientOf(account);

        var response = await platform.PostJsonAsync("/api/v1/devices/connect", new { productKey, deviceKey = "dk-1", dataCenter = "cn-east" });

        await response.ExpectProblemAsync(HttpStatusCode.Forbidden, "no_license_available");
        var refused = Assert.Single(await client.DevicesAsync(productKey));
        Assert.Equal("dk-1", refused.Str("deviceKey"));
        Assert.Equal(0, refused.Long("activationCount"));
    }

    [Fact]
    public async Task Connect_UnknownProduct_Returns404ProductNotFound()
    {
        using var platform = app.PlatformClient();

        var response = await platform.PostJsonAsync("/api/v1/devices/connect",
            new { productKey = ApiCalls.NewKey("pk-none-"), deviceKey = "dk-1", dataCenter = "cn-east" });

        await response.ExpectProblemAsync(HttpStatusCode.NotFound, "product_not_found");
    }

    [Fact]
    public async Task Connect_DeletedProduct_Returns403ProductDeleted()
    {
        var account = await app.CreateAccountAsync();
        var productKey = await app.ProductWithLicensesAsync(account, 5);
        using var platform = app.PlatformClient();
        using var client = app.ClientOf(account);
        await platform.ConnectAsync(productKey, "dk-orphan");
        await (await client.DeleteAsync($"/api/v1/products/{productKey}?confirm={productKey}", Ct)).ExpectNoContentAsync();

        var response = await platform.PostJsonAsync("/api/v1/devices/connect", new { productKey, deviceKey = "dk-orphan", dataCenter = "cn-east" });

        await response.ExpectProblemAsync(HttpStatusCode.Forbidden, "product_deleted");
    }

    [Fact]
    public async Task Connect_ExpiredWithProductAutoRenewOff_Returns403AutoRenewOffAndConsumesNothing()
    {
        var account = await app.CreateAccountAsync();
        var productKey = await app.ProductWithLicensesAsync(account, 3);
        using var platform = app.PlatformClient();
        using var client = app.ClientOf(account);
        await platform.ConnectAsync(productKey, "dk-expired");
        await (await client.PutJsonAsync($"/api/v1/products/{productKey}/auto-renew", new { enabled = false })).ExpectNoContentAsync();
        using var later = app.CreateClientLater(AfterExpiry, ApiApp.PlatformKey);

        var response = await later.PostJsonAsync("/api/v1/devices/connect", new { productKey, deviceKey = "dk-expired", dataCenter = "cn-east" });

        await response.ExpectProblemAsync(HttpStatusCode.Forbidden, "auto_renew_off");
        Assert.Equal(1, (await client.ProductAsync(productKey)).Long("used"));
    }

    [Fact]
    public async Task Connect_ExpiredDeviceOnTheBlacklist_Returns403AutoRenewOff()
    {
        var account = await app.CreateAccountAsync();
        var productKey = await app.ProductWithLicensesAsync(account, 3);
        using var platform = app.PlatformClient();
        using var client = app.ClientOf(account);
        await platform.ConnectAsync(productKey, "dk-blacklisted");
        await (await client.PutJsonAsync($"/api/v1/products/{productKey}/devices/dk-blacklisted/auto-renew", new { enabled = false })).ExpectNoContentAsync();
        using var later = app.CreateClientLater(AfterExpiry, ApiApp.PlatformKey);

        var response = await later.PostJsonAsync("/api/v1/devices/connect", new { productKey, deviceKey = "dk-blacklisted", dataCenter = "cn-east" });

        await response.ExpectProblemAsync(HttpStatusCode.Forbidden, "auto_renew_off");
        Assert.Equal(1, (await client.ProductAsync(productKey)).Long("used"));
    }

    [Fact]
    public async Task Connect_AfterAutoRenewOffIsTurnedBackOn_ConsumesALicense()
    {
        var account = await app.CreateAccountAsync();
        var productKey = await app.ProductWithLicensesAsync(account, 3);
        using var platform = app.PlatformClient();
        using var client = app.ClientOf(account);
        await platform.ConnectAsync(productKey, "dk-back");
        await (await client.PutJsonAsync($"/api/v1/products/{productKey}/auto-renew", new { enabled = false })).ExpectNoContentAsync();
        using var later = app.CreateClientLater(AfterExpiry, ApiApp.PlatformKey);
        await (await later.PostJsonAsync("/api/v1/devices/connect", new { productKey, deviceKey = "dk-back", dataCenter = "cn-east" }))
            .ExpectProblemAsync(HttpStatusCode.Forbidden, "auto_renew_off");
        await (await client.PutJsonAsync($"/api/v1/products/{productKey}/auto-renew", new { enabled = true })).ExpectNoContentAsync();

        var connection = await later.ConnectAsync(productKey, "dk-back");

        Assert.True(connection.GetProperty("consumed").GetBoolean());
        Assert.Equal(2, (await client.ProductAsync(productKey)).Long("used"));
    }

    [Fact]
    public async Task Connect_ExpiredWithAutoRenew_RenewsFromWhereTheLastPeriodEnded()
    {
        var account = await app.CreateAccountAsync();
        var productKey = await app.ProductWithLicensesAsync(account, 2);
        using var platform = app.PlatformClient();
        using var client = app.ClientOf(account);
        var first = await platform.ConnectAsync(productKey, "dk-renew");
        using var later = app.CreateClientLater(AfterExpiry, ApiApp.PlatformKey);

        var renewal = await later.ConnectAsync(productKey, "dk-renew");

        Assert.Equal("renewed", renewal.Str("result"));
        Assert.True(renewal.GetProperty("consumed").GetBoolean());
        Assert.Equal(first.Time("expiresAt"), renewal.Time("activatedAt"), TimeSpan.FromMilliseconds(1));
        Assert.Equal(2, (await client.ProductAsync(productKey)).Long("used"));
    }

    [Fact]
    public async Task Connect_DeletedDeviceWithinItsValidity_IsRestoredWithoutConsuming()
    {
        var account = await app.CreateAccountAsync();
        var productKey = await app.ProductWithLicensesAsync(account, 2);
        using var platform = app.PlatformClient();
        using var client = app.ClientOf(account);
        var first = await platform.ConnectAsync(productKey, "dk-phoenix");
        await (await platform.DeleteAsync($"/api/v1/products/{productKey}/devices/dk-phoenix", Ct)).ExpectNoContentAsync();

        var restored = await platform.ConnectAsync(productKey, "dk-phoenix");

        Assert.Equal("restored", restored.Str("result"));
        Assert.False(restored.GetProperty("consumed").GetBoolean());
        Assert.Equal(first.Time("expiresAt"), restored.Time("expiresAt"), TimeSpan.FromMilliseconds(1));
        Assert.Equal(1, (await client.ProductAsync(productKey)).Long("used"));
    }

    [Fact]
    public async Task DeleteDevice_Existing_Returns204AndReturnsNoLicense()
    {
        var account = await app.CreateAccountAsync();
        var productKey = await app.ProductWithLicensesAsync(account, 2);
        using var platform = app.PlatformClient();
        using var client = app.ClientOf(account);
        await platform.ConnectAsync(productKey, "dk-gone");

        var response = await platform.DeleteAsync($"/api/v1/products/{productKey}/devices/dk-gone", Ct);

        await response.ExpectNoContentAsync();
        var product = await client.ProductAsync(productKey);
        Assert.Equal(1, product.Long("used"));
        Assert.Equal(1, product.Long("remaining"));
    }

    [Theory]
    [InlineData("""{"deviceKey":"dk-1","dataCenter":"cn-east"}""", "productKey")]
    [InlineData("""{"productKey":"pk-1","dataCenter":"cn-east"}""", "deviceKey")]
    [InlineData("""{"productKey":"pk-1","deviceKey":"dk-1"}""", "dataCenter")]
    [InlineData("""{"productKey":"pk-1","deviceKey":"dk-1","dataCenter":"moon-1"}""", "dataCenter")]
    [InlineData("""{"productKey":"pk-1","deviceKey":"dk 1!","dataCenter":"cn-east"}""", "deviceKey")]
    [InlineData("""{"productKey":"pk-1","deviceKey":"dk-1","dataCenter":"cn-east","firmware":"1.2"}""", "firmware")]
    [InlineData("""{"productKey":42,"deviceKey":"dk-1","dataCenter":"cn-east"}""", "productKey")]
    public async Task Connect_MalformedBody_Returns400WithTheFieldAtFault(string body, string field)
    {
        using var platform = app.PlatformClient();

        var response = await platform.SendRawAsync(HttpMethod.Post, "/api/v1/devices/connect", body);

        await response.ExpectValidationProblemAsync(field);
    }
}
