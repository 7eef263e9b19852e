using System.Net;

namespace LicenseConsole.IntegrationTests.Api;

/// <summary>
/// What the caller's lists show of other accounts (nothing), and purchases naming another account's product. Every
/// endpoint that takes an id or a key is asked with another account's in <see cref="Tenancy.TenancyMatrixTests"/>.
/// </summary>
public sealed class ApiTenancyTests(ApiApp app) : IClassFixture<ApiApp>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

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
        var everything = await (await myClient.GetAsync("/api/v1/products", Ct)).ExpectJsonAsync(HttpStatusCode.OK);
        var allocations = await (await myClient.GetAsync("/api/v1/allocations", Ct)).ExpectJsonAsync(HttpStatusCode.OK);

        Assert.Empty(ApiCalls.AssertPage(products));
        Assert.DoesNotContain(ApiCalls.AssertPage(everything), p => p.Str("productKey") == theirProduct);
        Assert.DoesNotContain(ApiCalls.AssertPage(allocations), a => a.Str("productKey") == theirProduct);
    }

    [Theory]
    [InlineData("/api/v1/allocations?productKey={pk}")]
    [InlineData("/api/v1/expiring-devices?productKey={pk}")]
    public async Task ListFilter_NamingAnotherAccountsProduct_Returns404ProductNotFound(string url)
    {
        var (mine, _, theirProduct) = await TwoAccountsAsync();
        using var myClient = app.ClientOf(mine);

        var response = await myClient.GetAsync(url.Replace("{pk}", theirProduct, StringComparison.Ordinal), Ct);

        await response.ExpectProblemAsync(HttpStatusCode.NotFound, "product_not_found");
    }

    [Fact]
    public async Task ExpiringDevices_AnotherAccountsDevices_AreNotShown()
    {
        var (mine, _, theirProduct) = await TwoAccountsAsync();
        using var myLater = app.CreateClientLater(TimeSpan.FromDays(340), mine.Key);

        var all = await (await myLater.GetAsync("/api/v1/expiring-devices", Ct)).ExpectJsonAsync(HttpStatusCode.OK);

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
