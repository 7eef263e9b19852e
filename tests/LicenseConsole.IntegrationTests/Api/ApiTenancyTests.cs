using System.Net;

namespace LicenseConsole.IntegrationTests.Api;

/// <summary>Anything outside the caller's account answers 404, never 403, and stays as it was.</summary>
public sealed class ApiTenancyTests(ApiApp app) : IClassFixture<ApiApp>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("GET", "/api/v1/products/{pk}", null)]
    [InlineData("GET", "/api/v1/products/{pk}/devices", null)]
    [InlineData("GET", "/api/v1/products/{pk}/devices/dk-theirs/activations", null)]
    [InlineData("POST", "/api/v1/allocations", """{"productKey":"{pk}","specCode":"STD-1Y","quantity":1}""")]
    [InlineData("PUT", "/api/v1/products/{pk}/auto-renew", """{"enabled":false}""")]
    [InlineData("PUT", "/api/v1/products/{pk}/devices/dk-theirs/auto-renew", """{"enabled":false}""")]
    [InlineData("DELETE", "/api/v1/products/{pk}?confirm={pk}", null)]
    public async Task OtherAccountsProduct_AnyCall_Returns404ProductNotFoundAndChangesNothing(string method, string url, string? body)
    {
        var (mine, theirs, theirProduct) = await TwoAccountsAsync();
        using var myClient = app.ClientOf(mine);
        using var theirClient = app.ClientOf(theirs);
        var myBefore = await myClient.SummaryAsync();
        var theirBefore = await theirClient.SummaryAsync();
        var theirProductBefore = await theirClient.ProductAsync(theirProduct);
        var theirDevicesBefore = await theirClient.DevicesAsync(theirProduct);

        var response = await myClient.SendRawAsync(new HttpMethod(method), url.Replace("{pk}", theirProduct, StringComparison.Ordinal),
            body?.Replace("{pk}", theirProduct, StringComparison.Ordinal));

        await response.ExpectProblemAsync(HttpStatusCode.NotFound, "product_not_found");
        Assert.Equal(myBefore.GetRawText(), (await myClient.SummaryAsync()).GetRawText());
        Assert.Equal(theirBefore.GetRawText(), (await theirClient.SummaryAsync()).GetRawText());
        Assert.Equal(theirProductBefore.GetRawText(), (await theirClient.ProductAsync(theirProduct)).GetRawText());
        Assert.Equal(theirDevicesBefore.Single().GetRawText(), (await theirClient.DevicesAsync(theirProduct)).Single().GetRawText());
    }

    [Fact]
    public async Task OtherAccountsRecipient_Delete_Returns404AndTheRecipientStays()
    {
        var mine = await app.CreateAccountAsync();
        var theirs = await app.CreateAccountAsync();
        using var myClient = app.ClientOf(mine);
        using var theirClient = app.ClientOf(theirs);
        var recipient = await (await theirClient.PostJsonAsync("/api/v1/alert-recipients", new { name = "Their ops", email = "their-ops@example.com" }))
            .ExpectJsonAsync(HttpStatusCode.Created);

        var response = await myClient.DeleteAsync($"/api/v1/alert-recipients/{recipient.Long("id")}", Ct);

        await response.ExpectProblemAsync(HttpStatusCode.NotFound, "recipient_not_found");
        var theirList = await (await theirClient.GetAsync("/api/v1/alert-recipients", Ct)).ExpectJsonAsync(HttpStatusCode.OK);
        Assert.Contains(theirList.GetProperty("items").EnumerateArray(), r => r.Long("id") == recipient.Long("id"));
    }

    [Fact]
    public async Task Recipients_SameAddressAsAnotherAccountsRecipient_IsAccepted()
    {
        var mine = await app.CreateAccountAsync();
        var theirs = await app.CreateAccountAsync();
        using var myClient = app.ClientOf(mine);
        using var theirClient = app.ClientOf(theirs);
        await (await theirClient.PostJsonAsync("/api/v1/alert-recipients", new { name = "Shared ops", email = "shared-ops@example.com" }))
            .ExpectJsonAsync(HttpStatusCode.Created);

        var response = await myClient.PostJsonAsync("/api/v1/alert-recipients", new { name = "Shared ops", email = "shared-ops@example.com" });

        await response.ExpectJsonAsync(HttpStatusCode.Created);
    }

    [Fact]
    public async Task Recipients_List_ShowsOnlyTheCallersRecipients()
    {
        var mine = await app.CreateAccountAsync();
        var theirs = await app.CreateAccountAsync();
        using var myClient = app.ClientOf(mine);
        using var theirClient = app.ClientOf(theirs);
        await (await theirClient.PostJsonAsync("/api/v1/alert-recipients", new { name = "Their ops", email = "their-ops@example.com" }))
            .ExpectJsonAsync(HttpStatusCode.Created);

        var page = await (await myClient.GetAsync("/api/v1/alert-recipients", Ct)).ExpectJsonAsync(HttpStatusCode.OK);

        var only = Assert.Single(page.GetProperty("items").EnumerateArray());
        Assert.Equal(mine.Email, only.Str("email"));
    }

    [Fact]
    public async Task Lists_AnotherAccountsData_AreNotShown()
    {
        var (mine, _, theirProduct) = await TwoAccountsAsync();
        using var myClient = app.ClientOf(mine);

        var products = await (await myClient.GetAsync($"/api/v1/products?search={theirProduct}", Ct)).ExpectJsonAsync(HttpStatusCode.OK);
        var allocations = await (await myClient.GetAsync($"/api/v1/allocations?productKey={theirProduct}", Ct)).ExpectJsonAsync(HttpStatusCode.OK);
        var everything = await (await myClient.GetAsync("/api/v1/products", Ct)).ExpectJsonAsync(HttpStatusCode.OK);

        Assert.Empty(ApiCalls.AssertPage(products));
        Assert.Empty(ApiCalls.AssertPage(allocations));
        Assert.DoesNotContain(ApiCalls.AssertPage(everything), p => p.Str("productKey") == theirProduct);
    }

    [Fact]
    public async Task ExpiringDevices_AnotherAccountsDevices_AreNotShown()
    {
        var (mine, _, theirProduct) = await TwoAccountsAsync();
        using var myLater = app.CreateClientLater(TimeSpan.FromDays(340), mine.Key);

        var page = await (await myLater.GetAsync($"/api/v1/expiring-devices?productKey={theirProduct}", Ct)).ExpectJsonAsync(HttpStatusCode.OK);
        var all = await (await myLater.GetAsync("/api/v1/expiring-devices", Ct)).ExpectJsonAsync(HttpStatusCode.OK);

        Assert.Empty(ApiCalls.AssertPage(page));
        Assert.DoesNotContain(ApiCalls.AssertPage(all), d => d.Str("productKey") == theirProduct);
    }

    [Fact]
    public async Task Purchase_NamingAnotherAccountsProduct_Returns404ProductNotFoundAndAddsNothing()
    {
        var (mine, theirs, theirProduct) = await TwoAccountsAsync();
        using var platform = app.PlatformClient();
        using var myClient = app.ClientOf(mine);
        using var theirClient = app.ClientOf(theirs);
        var myBefore = await myClient.SummaryAsync();

        var response = await platform.PostJsonAsync("/api/v1/purchases",
            new { orderId = ApiCalls.NewKey("order-"), accountId = mine.Id, specCode = "STD-1Y", quantity = 5, productKey = theirProduct });

        await response.ExpectProblemAsync(HttpStatusCode.NotFound, "product_not_found");
        Assert.Equal(myBefore.GetRawText(), (await myClient.SummaryAsync()).GetRawText());
        Assert.Equal(3, (await theirClient.ProductAsync(theirProduct)).Long("total"));
    }

    [Fact]
    public async Task Summary_TwoAccounts_EachSeesOnlyItsOwnLicenses()
    {
        var (mine, theirs, _) = await TwoAccountsAsync();
        using var myClient = app.ClientOf(mine);
        using var theirClient = app.ClientOf(theirs);

        var my = await myClient.SummaryAsync();
        var their = await theirClient.SummaryAsync();

        Assert.Equal(10, my.Long("total"));
        Assert.Equal(0, my.Long("used"));
        Assert.Equal(3, their.Long("total"));
        Assert.Equal(1, their.Long("used"));
    }

    /// <summary>Mine: 10 unallocated STD-1Y licenses and a product with none. Theirs: a product with 3 licenses and one device.</summary>
    private async Task<(ApiAccount Mine, ApiAccount Theirs, string TheirProduct)> TwoAccountsAsync()
    {
        var mine = await app.CreateAccountAsync();
        var theirs = await app.CreateAccountAsync();
        await app.BuyAsync(mine, 10);
        await app.ProductWithLicensesAsync(mine, 0);
        var theirProduct = await app.ProductWithLicensesAsync(theirs, 3);
        using var platform = app.PlatformClient();
        await platform.ConnectAsync(theirProduct, "dk-theirs");
        return (mine, theirs, theirProduct);
    }
}
