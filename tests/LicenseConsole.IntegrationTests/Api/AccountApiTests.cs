using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace LicenseConsole.IntegrationTests.Api;

public sealed class AccountApiTests(ApiApp app) : IClassFixture<ApiApp>
{
    private static readonly TimeSpan AfterExpiry = TimeSpan.FromDays(400);
    private static readonly TimeSpan NearExpiry = TimeSpan.FromDays(340);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Summary_NewAccount_ReturnsZeroesAndItsDataCenter()
    {
        var account = await app.CreateAccountAsync("cn-south");
        using var client = app.ClientOf(account);

        var summary = await client.SummaryAsync();

        ApiCalls.AssertMembers(summary, "dataCenter", "total", "used", "remaining", "unallocated", "unallocatedBySpec", "expiringDevices", "lapsedDevices");
        Assert.Equal("cn-south", summary.Str("dataCenter"));
        Assert.All(new[] { "total", "used", "remaining", "unallocated", "expiringDevices", "lapsedDevices" }, m => Assert.Equal(0, summary.Long(m)));
        Assert.Equal(0, summary.GetProperty("unallocatedBySpec").GetArrayLength());
    }

    [Fact]
    public async Task Summary_PoolsAndConsumption_AddUpAsRuleOneSays()
    {
        var account = await app.CreateAccountAsync();
        await app.BuyAsync(account, 10, "STD-1Y");
        await app.BuyAsync(account, 4, "STD-3Y");
        var productKey = await app.ProductWithLicensesAsync(account, 6, "STD-2Y");
        using var platform = app.PlatformClient();
        await platform.ConnectAsync(productKey, "dk-1");
        await platform.ConnectAsync(productKey, "dk-2");
        using var client = app.ClientOf(account);

        var summary = await client.SummaryAsync();

        Assert.Equal(20, summary.Long("total"));
        Assert.Equal(2, summary.Long("used"));
        Assert.Equal(18, summary.Long("remaining"));
        Assert.Equal(14, summary.Long("unallocated"));
        var bySpec = summary.GetProperty("unallocatedBySpec").EnumerateArray()
            .ToDictionary(s => s.Str("specCode"), s => s.Long("quantity"));
        Assert.Equal(new Dictionary<string, long> { ["STD-1Y"] = 10, ["STD-3Y"] = 4 }, bySpec);
        ApiCalls.AssertMembers(summary.GetProperty("unallocatedBySpec")[0], "specCode", "quantity");
    }

    [Fact]
    public async Task Summary_DeviceWithinTheThreshold_CountsAsExpiring()
    {
        var account = await app.CreateAccountAsync();
        var productKey = await app.ProductWithLicensesAsync(account, 2);
        using var platform = app.PlatformClient();
        await platform.ConnectAsync(productKey, "dk-soon");
        using var later = app.CreateClientLater(NearExpiry, account.Key);

        var summary = await later.SummaryAsync();

        Assert.Equal(1, summary.Long("expiringDevices"));
        Assert.Equal(0, summary.Long("lapsedDevices"));
    }

    [Fact]
    public async Task Specs_Any_ListsTheDefaultCatalog()
    {
        var account = await app.CreateAccountAsync();
        using var client = app.ClientOf(account);

        var specs = await (await client.GetAsync("/api/v1/specs", Ct)).ExpectJsonAsync(HttpStatusCode.OK);

        Assert.Equal(JsonValueKind.Array, specs.ValueKind);
        Assert.All(specs.EnumerateArray(), s => ApiCalls.AssertMembers(s, "code", "name", "chineseName", "validityMonths"));
        var catalog = specs.EnumerateArray().ToDictionary(s => s.Str("code"), s => (s.Str("name"), s.Str("chineseName"), s.GetProperty("validityMonths").GetInt32()));
        Assert.Equal(("Standard, 1 year", "标准版 1 年", 12), catalog["STD-1Y"]);
        Assert.Equal(("Standard, 2 years", "标准版 2 年", 24), catalog["STD-2Y"]);
        Assert.Equal(("Standard, 3 years", "标准版 3 年", 36), catalog["STD-3Y"]);
    }

    [Fact]
    public async Task CreateProduct_WithoutKey_Returns201WithAGeneratedKey()
    {
        var account = await app.CreateAccountAsync();
        using var client = app.ClientOf(account);

        var response = await client.PostJsonAsync("/api/v1/products", new { name = "Smart plug" });

        var product = await response.ExpectJsonAsync(HttpStatusCode.Created);
        ApiCalls.AssertHasMembers(product, "productKey", "name");
        Assert.False(string.IsNullOrWhiteSpace(product.Str("productKey")));
        Assert.Equal("Smart plug", product.Str("name"));
        Assert.Equal("Smart plug", (await client.ProductAsync(product.Str("productKey"))).Str("name"));
    }

    [Fact]
    public async Task CreateProduct_WithKey_Returns201WithThatKey()
    {
        var account = await app.CreateAccountAsync();
        using var client = app.ClientOf(account);
        var productKey = ApiCalls.NewKey("pk-chosen-");

        var response = await client.PostJsonAsync("/api/v1/products", new { name = "Door sensor", productKey });

        var product = await response.ExpectJsonAsync(HttpStatusCode.Created);
        Assert.Equal(productKey, product.Str("productKey"));
    }

    [Fact]
    public async Task GetProduct_WithLicensesAndADevice_ReturnsItsCounts()
    {
        var account = await app.CreateAccountAsync();
        var productKey = await app.ProductWithLicensesAsync(account, 5, "STD-2Y", "Thermostat");
        using var platform = app.PlatformClient();
        await platform.ConnectAsync(productKey, "dk-1");
        using var client = app.ClientOf(account);

        var product = await client.ProductAsync(productKey);

        ApiCalls.AssertMembers(product, "productKey", "name", "specCode", "total", "used", "remaining", "autoRenew");
        Assert.Equal(productKey, product.Str("productKey"));
        Assert.Equal("Thermostat", product.Str("name"));
        Assert.Equal("STD-2Y", product.Str("specCode"));
        Assert.Equal(5, product.Long("total"));
        Assert.Equal(1, product.Long("used"));
        Assert.Equal(4, product.Long("remaining"));
        Assert.True(product.GetProperty("autoRenew").GetBoolean());
    }

    [Fact]
    public async Task GetProduct_Unknown_Returns404ProductNotFound()
    {
        var account = await app.CreateAccountAsync();
        using var client = app.ClientOf(account);

        var response = await client.GetAsync($"/api/v1/products/{ApiCalls.NewKey("pk-none-")}", Ct);

        await response.ExpectProblemAsync(HttpStatusCode.NotFound, "product_not_found");
    }

    [Fact]
    public async Task ListProducts_TwoProducts_ReturnsBothInAPage()
    {
        var account = await app.CreateAccountAsync();
        var first = await app.ProductWithLicensesAsync(account, 3, name: "Alpha");
        var second = await app.ProductWithLicensesAsync(account, 0, name: "Beta");
        using var client = app.ClientOf(account);

        var page = await (await client.GetAsync("/api/v1/products", Ct)).ExpectJsonAsync(HttpStatusCode.OK);

        var items = ApiCalls.AssertPage(page);
        Assert.Equal(2, page.Long("totalCount"));
        Assert.Equal(new[] { first, second }.Order(StringComparer.Ordinal), items.Select(p => p.Str("productKey")).Order(StringComparer.Ordinal));
        Assert.All(items, p => ApiCalls.AssertMembers(p, "productKey", "name", "specCode", "total", "used", "remaining", "autoRenew"));
    }

    [Fact]
    public async Task DeleteProduct_MatchingConfirm_Returns204AndForfeitsItsLicenses()
    {
        var account = await app.CreateAccountAsync();
        await app.BuyAsync(account, 10);
        var productKey = await app.ProductWithLicensesAsync(account, 5);
        using var client = app.ClientOf(account);

        var response = await client.DeleteAsync($"/api/v1/products/{productKey}?confirm={productKey}", Ct);

        await response.ExpectNoContentAsync();
        await (await client.GetAsync($"/api/v1/products/{productKey}", Ct)).ExpectProblemAsync(HttpStatusCode.NotFound, "product_not_found");
        var summary = await client.SummaryAsync();
        Assert.Equal(10, summary.Long("total"));
        Assert.Equal(10, summary.Long("unallocated"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("?confirm=")]
    [InlineData("?confirm=pk-something-else")]
    public async Task DeleteProduct_WithoutTheMatchingConfirm_Returns400AndKeepsTheProduct(string query)
    {
        var account = await app.CreateAccountAsync();
        var productKey = await app.ProductWithLicensesAsync(account, 5);
        using var client = app.ClientOf(account);

        var response = await client.DeleteAsync($"/api/v1/products/{productKey}{query}", Ct);

        await response.ExpectValidationProblemAsync("confirm");
        Assert.Equal(5, (await client.ProductAsync(productKey)).Long("total"));
    }

    [Fact]
    public async Task Allocate_WithinThePool_Returns201AndMovesTheLicenses()
    {
        var account = await app.CreateAccountAsync();
        await app.BuyAsync(account, 10, "STD-1Y");
        using var client = app.ClientOf(account);
        var productKey = await client.CreateProductAsync();
        var before = DateTimeOffset.UtcNow;

        var response = await client.PostJsonAsync("/api/v1/allocations", new { productKey, specCode = "STD-1Y", quantity = 4 });

        var allocation = await response.ExpectJsonAsync(HttpStatusCode.Created);
        ApiCalls.AssertMembers(allocation, "id", "productKey", "specCode", "quantity", "createdAt", "createdBy");
        Assert.Equal(productKey, allocation.Str("productKey"));
        Assert.Equal("STD-1Y", allocation.Str("specCode"));
        Assert.Equal(4, allocation.Long("quantity"));
        Assert.InRange(allocation.Time("createdAt"), before.AddSeconds(-5), DateTimeOffset.UtcNow.AddSeconds(5));
        Assert.False(string.IsNullOrWhiteSpace(allocation.Str("createdBy")));
        var product = await client.ProductAsync(productKey);
        Assert.Equal(4, product.Long("total"));
        Assert.Equal("STD-1Y", product.Str("specCode"));
        var summary = await client.SummaryAsync();
        Assert.Equal(10, summary.Long("total"));
        Assert.Equal(6, summary.Long("unallocated"));
    }

    [Fact]
    public async Task Allocate_TheWholePool_Returns201AndEmptiesIt()
    {
        var account = await app.CreateAccountAsync();
        await app.BuyAsync(account, 3);
        using var client = app.ClientOf(account);
        var productKey = await client.CreateProductAsync();

        var response = await client.PostJsonAsync("/api/v1/allocations", new { productKey, specCode = "STD-1Y", quantity = 3 });

        await response.ExpectJsonAsync(HttpStatusCode.Created);
        Assert.Equal(0, (await client.SummaryAsync()).Long("unallocated"));
    }

    [Fact]
    public async Task Allocate_MoreThanThePoolHolds_Returns409InsufficientLicensesAndChangesNothing()
    {
        var account = await app.CreateAccountAsync();
        await app.BuyAsync(account, 3);
        using var client = app.ClientOf(account);
        var productKey = await client.CreateProductAsync();
        var before = await client.SummaryAsync();

        var response = await client.PostJsonAsync("/api/v1/allocations", new { productKey, specCode = "STD-1Y", quantity = 4 });

        await response.ExpectProblemAsync(HttpStatusCode.Conflict, "insufficient_licenses");
        Assert.Equal(before.GetRawText(), (await client.SummaryAsync()).GetRawText());
        Assert.Equal(0, (await client.ProductAsync(productKey)).Long("total"));
    }

    [Fact]
    public async Task Allocate_SpecOtherThanTheProducts_Returns409SpecMismatchAndChangesNothing()
    {
        var account = await app.CreateAccountAsync();
        await app.BuyAsync(account, 5, "STD-2Y");
        var productKey = await app.ProductWithLicensesAsync(account, 2, "STD-1Y");
        using var client = app.ClientOf(account);
        var before = await client.SummaryAsync();

        var response = await client.PostJsonAsync("/api/v1/allocations", new { productKey, specCode = "STD-2Y", quantity = 1 });

        await response.ExpectProblemAsync(HttpStatusCode.Conflict, "spec_mismatch");
        Assert.Equal(before.GetRawText(), (await client.SummaryAsync()).GetRawText());
        var product = await client.ProductAsync(productKey);
        Assert.Equal("STD-1Y", product.Str("specCode"));
        Assert.Equal(2, product.Long("total"));
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-1")]
    [InlineData("1.5")]
    [InlineData("\"2\"")]
    [InlineData(null)]
    public async Task Allocate_InvalidQuantity_Returns400ValidationFailedAndChangesNothing(string? quantity)
    {
        var account = await app.CreateAccountAsync();
        await app.BuyAsync(account, 5);
        using var client = app.ClientOf(account);
        var productKey = await client.CreateProductAsync();
        var member = quantity is null ? "" : $""","quantity":{quantity}""";

        var response = await client.SendRawAsync(HttpMethod.Post, "/api/v1/allocations",
            $$"""{"productKey":"{{productKey}}","specCode":"STD-1Y"{{member}}}""");

        await response.ExpectValidationProblemAsync("quantity");
        Assert.Equal(5, (await client.SummaryAsync()).Long("unallocated"));
    }

    [Fact]
    public async Task Allocate_SameIdempotencyKeyTwice_AllocatesOnce()
    {
        var account = await app.CreateAccountAsync();
        await app.BuyAsync(account, 10);
        using var client = app.ClientOf(account);
        var productKey = await client.CreateProductAsync();
        var idempotencyKey = Guid.NewGuid().ToString();

        var first = await AllocateWithKeyAsync(client, productKey, idempotencyKey);
        var second = await AllocateWithKeyAsync(client, productKey, idempotencyKey);

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Contains(second.StatusCode, new[] { HttpStatusCode.Created, HttpStatusCode.OK });
        Assert.Equal((await first.ExpectJsonAsync(HttpStatusCode.Created)).Long("id"), (await second.ExpectJsonAsync(second.StatusCode)).Long("id"));
        Assert.Equal(7, (await client.SummaryAsync()).Long("unallocated"));
        Assert.Equal(3, (await client.ProductAsync(productKey)).Long("total"));
        var allocations = await (await client.GetAsync($"/api/v1/allocations?productKey={productKey}", Ct)).ExpectJsonAsync(HttpStatusCode.OK);
        Assert.Single(ApiCalls.AssertPage(allocations));
    }

    [Fact]
    public async Task ListAllocations_ByProduct_ReturnsThatProductsAllocationsNewestFirst()
    {
        var account = await app.CreateAccountAsync();
        await app.BuyAsync(account, 20);
        using var client = app.ClientOf(account);
        var productKey = await client.CreateProductAsync();
        var otherKey = await client.CreateProductAsync();
        foreach (var (key, quantity) in new[] { (productKey, 1), (otherKey, 2), (productKey, 3), (productKey, 4) })
        {
            await (await client.PostJsonAsync("/api/v1/allocations", new { productKey = key, specCode = "STD-1Y", quantity })).ExpectJsonAsync(HttpStatusCode.Created);
        }

        var page = await (await client.GetAsync($"/api/v1/allocations?productKey={productKey}", Ct)).ExpectJsonAsync(HttpStatusCode.OK);

        var items = ApiCalls.AssertPage(page);
        Assert.Equal(3, page.Long("totalCount"));
        Assert.Equal(new long[] { 4, 3, 1 }, items.Select(a => a.Long("quantity")));
        Assert.All(items, a => Assert.Equal(productKey, a.Str("productKey")));
        var times = items.Select(a => a.Time("createdAt")).ToList();
        Assert.Equal(times.OrderDescending(), times);
    }

    [Theory]
    [InlineData("PUT", "/api/v1/allocations")]
    [InlineData("PATCH", "/api/v1/allocations")]
    [InlineData("DELETE", "/api/v1/allocations")]
    [InlineData("PUT", "/api/v1/allocations/{id}")]
    [InlineData("PATCH", "/api/v1/allocations/{id}")]
    [InlineData("DELETE", "/api/v1/allocations/{id}")]
    public async Task Allocations_UpdateOrDelete_IsNotAllowedAndChangesNothing(string method, string url)
    {
        var account = await app.CreateAccountAsync();
        await app.BuyAsync(account, 10);
        using var client = app.ClientOf(account);
        var productKey = await client.CreateProductAsync();
        var allocation = await (await client.PostJsonAsync("/api/v1/allocations", new { productKey, specCode = "STD-1Y", quantity = 4 }))
            .ExpectJsonAsync(HttpStatusCode.Created);
        var id = allocation.Long("id").ToString(CultureInfo.InvariantCulture);

        var response = await client.SendRawAsync(new HttpMethod(method), url.Replace("{id}", id, StringComparison.Ordinal),
            $$"""{"id":{{id}},"productKey":"{{productKey}}","specCode":"STD-1Y","quantity":1}""");

        Assert.Contains(response.StatusCode, new[] { HttpStatusCode.MethodNotAllowed, HttpStatusCode.NotFound });
        Assert.Equal(4, (await client.ProductAsync(productKey)).Long("total"));
        Assert.Equal(6, (await client.SummaryAsync()).Long("unallocated"));
    }

    [Fact]
    public async Task ListDevices_Product_ReturnsItsDevicesWithTheContractsMembers()
    {
        var account = await app.CreateAccountAsync();
        var productKey = await app.ProductWithLicensesAsync(account, 5);
        using var platform = app.PlatformClient();
        var connection = await platform.ConnectAsync(productKey, "dk-listed", "cn-north");
        using var client = app.ClientOf(account);

        var device = Assert.Single(await client.DevicesAsync(productKey));

        ApiCalls.AssertMembers(device, "deviceKey", "status", "activatedAt", "expiresAt", "autoRenew", "activationCount", "lastDataCenter");
        Assert.Equal("dk-listed", device.Str("deviceKey"));
        Assert.Equal("valid", device.Str("status"));
        Assert.Equal(connection.Time("activatedAt"), device.Time("activatedAt"), TimeSpan.FromMilliseconds(1));
        Assert.Equal(connection.Time("expiresAt"), device.Time("expiresAt"), TimeSpan.FromMilliseconds(1));
        Assert.True(device.GetProperty("autoRenew").GetBoolean());
        Assert.Equal(1, device.Long("activationCount"));
        Assert.Equal("cn-north", device.Str("lastDataCenter"));
    }

    [Fact]
    public async Task ListDevices_ByDeviceKey_ReturnsThatDevice()
    {
        var account = await app.CreateAccountAsync();
        var productKey = await app.ProductWithLicensesAsync(account, 5);
        using var platform = app.PlatformClient();
        await platform.ConnectAsync(productKey, "dk-alpha");
        await platform.ConnectAsync(productKey, "dk-beta");
        using var client = app.ClientOf(account);

        var device = Assert.Single(await client.DevicesAsync(productKey, "?deviceKey=dk-beta"));

        Assert.Equal("dk-beta", device.Str("deviceKey"));
    }

    [Fact]
    public async Task ListDevices_Paged_ReturnsTheAskedPageAndTheTotalCount()
    {
        var account = await app.CreateAccountAsync();
        var productKey = await app.ProductWithLicensesAsync(account, 5);
        using var platform = app.PlatformClient();
        foreach (var deviceKey in new[] { "dk-a", "dk-b", "dk-c" })
        {
            await platform.ConnectAsync(productKey, deviceKey);
        }

        using var client = app.ClientOf(account);

        var page = await (await client.GetAsync($"/api/v1/products/{productKey}/devices?page=2&pageSize=2", Ct)).ExpectJsonAsync(HttpStatusCode.OK);

        var items = ApiCalls.AssertPage(page, expectedPage: 2, expectedPageSize: 2);
        Assert.Single(items);
        Assert.Equal(3, page.Long("totalCount"));
    }

    [Fact]
    public async Task ListDevices_ActivationDayFilter_ReadsTheDayInTheAccountsTimeZone()
    {
        // At 20:00 UTC it is already the next day in Shanghai (the cn-east account's zone).
        var account = await app.CreateAccountAsync("cn-east");
        var productKey = await app.ProductWithLicensesAsync(account, 2);
        using var evening = app.CreateClientLater(app.ToUtcEvening, ApiApp.PlatformKey);
        var activatedAt = (await evening.ConnectAsync(productKey, "dk-evening")).Time("activatedAt");
        var shanghai = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");
        var localDay = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(activatedAt, shanghai).DateTime);
        var utcDay = DateOnly.FromDateTime(activatedAt.UtcDateTime);
        Assert.NotEqual(utcDay, localDay);
        using var client = app.ClientOf(account);

        var onLocalDay = await client.DevicesAsync(productKey, $"?activatedFrom={Day(localDay)}&activatedTo={Day(localDay)}");
        var onUtcDay = await client.DevicesAsync(productKey, $"?activatedFrom={Day(utcDay)}&activatedTo={Day(utcDay)}");

        Assert.Equal("dk-evening", Assert.Single(onLocalDay).Str("deviceKey"));
        Assert.Empty(onUtcDay);
    }

    [Fact]
    public async Task ListDevices_ExpiryDayRange_FindsOnlyDevicesExpiringWithinIt()
    {
        var account = await app.CreateAccountAsync("eu-west");
        var productKey = await app.ProductWithLicensesAsync(account, 2);
        using var platform = app.PlatformClient();
        var expiresAt = (await platform.ConnectAsync(productKey, "dk-expiry")).Time("expiresAt");
        var berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");
        var expiryDay = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(expiresAt, berlin).DateTime);
        using var client = app.ClientOf(account);

        var within = await client.DevicesAsync(productKey, $"?expiresFrom={Day(expiryDay.AddDays(-1))}&expiresTo={Day(expiryDay)}");
        var before = await client.DevicesAsync(productKey, $"?expiresTo={Day(expiryDay.AddDays(-1))}");
        var after = await client.DevicesAsync(productKey, $"?expiresFrom={Day(expiryDay.AddDays(1))}");

        Assert.Single(within);
        Assert.Empty(before);
        Assert.Empty(after);
    }

    [Fact]
    public async Task ListDevices_MalformedDate_Returns400ValidationFailed()
    {
        var account = await app.CreateAccountAsync();
        var productKey = await app.ProductWithLicensesAsync(account, 1);
        using var client = app.ClientOf(account);

        var response = await client.GetAsync($"/api/v1/products/{productKey}/devices?activatedFrom=yesterday", Ct);

        await response.ExpectValidationProblemAsync("activatedFrom");
    }

    [Fact]
    public async Task Activations_RenewedDevice_ListsTheRecordsNewestFirst()
    {
        var account = await app.CreateAccountAsync();
        var productKey = await app.ProductWithLicensesAsync(account, 3);
        using var platform = app.PlatformClient();
        var first = await platform.ConnectAsync(productKey, "dk-history", "cn-east");
        using var later = app.CreateClientLater(AfterExpiry, ApiApp.PlatformKey);
        var renewal = await later.ConnectAsync(productKey, "dk-history", "eu-west");
        using var client = app.ClientOf(account);

        var page = await (await client.GetAsync($"/api/v1/products/{productKey}/devices/dk-history/activations", Ct)).ExpectJsonAsync(HttpStatusCode.OK);

        var items = ApiCalls.AssertPage(page);
        Assert.Equal(2, items.Length);
        Assert.Equal(renewal.Time("activatedAt"), items[0].Time("activatedAt"), TimeSpan.FromMilliseconds(1));
        Assert.Equal(first.Time("activatedAt"), items[1].Time("activatedAt"), TimeSpan.FromMilliseconds(1));
        Assert.Equal(renewal.Time("expiresAt"), items[0].Time("expiresAt"), TimeSpan.FromMilliseconds(1));
        ApiCalls.AssertHasMembers(items[0], "activatedAt", "expiresAt");
    }

    [Fact]
    public async Task Activations_UnknownDevice_Returns404()
    {
        var account = await app.CreateAccountAsync();
        var productKey = await app.ProductWithLicensesAsync(account, 1);
        using var client = app.ClientOf(account);

        var response = await client.GetAsync($"/api/v1/products/{productKey}/devices/dk-never-seen/activations", Ct);

        await response.ExpectProblemAsync(HttpStatusCode.NotFound, "device_not_found");
    }

    [Fact]
    public async Task ExpiringDevices_DeviceWithinTheThreshold_IsListed()
    {
        var account = await app.CreateAccountAsync();
        var productKey = await app.ProductWithLicensesAsync(account, 3, name: "Expiring lamp");
        var otherKey = await app.ProductWithLicensesAsync(account, 3, name: "Other lamp");
        using var platform = app.PlatformClient();
        await platform.ConnectAsync(productKey, "dk-soon");
        await platform.ConnectAsync(otherKey, "dk-other");
        using var later = app.CreateClientLater(NearExpiry, account.Key);

        var page = await (await later.GetAsync($"/api/v1/expiring-devices?productKey={productKey}", Ct)).ExpectJsonAsync(HttpStatusCode.OK);

        var device = Assert.Single(ApiCalls.AssertPage(page));
        Assert.Equal("dk-soon", device.Str("deviceKey"));
        Assert.Equal(productKey, device.Str("productKey"));
        Assert.Equal("expiring", device.Str("status"));
    }

    [Fact]
    public async Task ExpiringDevices_ByProductNameAndDeviceKey_FiltersTheList()
    {
        var account = await app.CreateAccountAsync();
        var lampKey = await app.ProductWithLicensesAsync(account, 3, name: "Ceiling lamp");
        var plugKey = await app.ProductWithLicensesAsync(account, 3, name: "Wall plug");
        using var platform = app.PlatformClient();
        await platform.ConnectAsync(lampKey, "dk-lamp-1");
        await platform.ConnectAsync(lampKey, "dk-lamp-2");
        await platform.ConnectAsync(plugKey, "dk-plug-1");
        using var later = app.CreateClientLater(NearExpiry, account.Key);

        var page = await (await later.GetAsync("/api/v1/expiring-devices?productName=lamp&deviceKey=dk-lamp-2", Ct)).ExpectJsonAsync(HttpStatusCode.OK);

        var device = Assert.Single(ApiCalls.AssertPage(page));
        Assert.Equal(lampKey, device.Str("productKey"));
        Assert.Equal("dk-lamp-2", device.Str("deviceKey"));
    }

    [Fact]
    public async Task ExpiringDevices_DayRangesInTheAccountsTimeZone_FilterTheList()
    {
        var account = await app.CreateAccountAsync("us-east");
        var productKey = await app.ProductWithLicensesAsync(account, 2);
        using var platform = app.PlatformClient();
        var connection = await platform.ConnectAsync(productKey, "dk-ranged");
        var newYork = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");
        var activationDay = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(connection.Time("activatedAt"), newYork).DateTime);
        var expiryDay = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(connection.Time("expiresAt"), newYork).DateTime);
        using var later = app.CreateClientLater(NearExpiry, account.Key);

        async Task<int> CountAsync(string query) =>
            ApiCalls.AssertPage(await (await later.GetAsync($"/api/v1/expiring-devices?productKey={productKey}&{query}", Ct)).ExpectJsonAsync(HttpStatusCode.OK)).Length;

        Assert.Equal(1, await CountAsync($"expiresFrom={Day(expiryDay)}&expiresTo={Day(expiryDay)}"));
        Assert.Equal(0, await CountAsync($"expiresTo={Day(expiryDay.AddDays(-1))}"));
        Assert.Equal(1, await CountAsync($"activatedFrom={Day(activationDay)}&activatedTo={Day(activationDay)}"));
        Assert.Equal(0, await CountAsync($"activatedFrom={Day(activationDay.AddDays(1))}"));
    }

    [Fact]
    public async Task ExpiringDevices_EndBeforeStart_Returns400ValidationFailed()
    {
        var account = await app.CreateAccountAsync();
        using var client = app.ClientOf(account);

        var response = await client.GetAsync("/api/v1/expiring-devices?expiresFrom=2026-05-02&expiresTo=2026-05-01", Ct);

        await response.ExpectValidationProblemAsync("expiresTo");
    }

    [Fact]
    public async Task ExpiringDevices_FreshDevice_IsNotListed()
    {
        var account = await app.CreateAccountAsync();
        var productKey = await app.ProductWithLicensesAsync(account, 3);
        using var platform = app.PlatformClient();
        await platform.ConnectAsync(productKey, "dk-fresh");
        using var client = app.ClientOf(account);

        var page = await (await client.GetAsync("/api/v1/expiring-devices", Ct)).ExpectJsonAsync(HttpStatusCode.OK);

        Assert.Empty(ApiCalls.AssertPage(page));
        Assert.Equal(0, page.Long("totalCount"));
    }

    [Fact]
    public async Task ExpiringDevices_StatusLapsed_ListsTheLapsedDevice()
    {
        var account = await app.CreateAccountAsync();
        var productKey = await app.ProductWithLicensesAsync(account, 3);
        using var platform = app.PlatformClient();
        using var client = app.ClientOf(account);
        await platform.ConnectAsync(productKey, "dk-lapsed");
        await platform.ConnectAsync(productKey, "dk-fine");
        await (await client.PutJsonAsync($"/api/v1/products/{productKey}/auto-renew", new { enabled = false })).ExpectNoContentAsync();
        using var laterPlatform = app.CreateClientLater(AfterExpiry, ApiApp.PlatformKey);
        await (await laterPlatform.PostJsonAsync("/api/v1/devices/connect", new { productKey, deviceKey = "dk-lapsed", dataCenter = "cn-east" }))
            .ExpectProblemAsync(HttpStatusCode.Forbidden, "auto_renew_off");
        using var later = app.CreateClientLater(AfterExpiry, account.Key);

        var page = await (await later.GetAsync("/api/v1/expiring-devices?status=lapsed", Ct)).ExpectJsonAsync(HttpStatusCode.OK);

        var device = Assert.Single(ApiCalls.AssertPage(page));
        Assert.Equal("dk-lapsed", device.Str("deviceKey"));
        Assert.Equal("lapsed", device.Str("status"));
        Assert.Equal(1, (await later.SummaryAsync()).Long("lapsedDevices"));
    }

    [Theory]
    [InlineData("expired")]
    [InlineData("all")]
    [InlineData("1")]
    public async Task ExpiringDevices_UnknownStatus_Returns400ValidationFailed(string status)
    {
        var account = await app.CreateAccountAsync();
        using var client = app.ClientOf(account);

        var response = await client.GetAsync($"/api/v1/expiring-devices?status={status}", Ct);

        await response.ExpectValidationProblemAsync("status");
    }

    [Fact]
    public async Task ProductAutoRenew_TurnedOff_Returns204AndShowsOff()
    {
        var account = await app.CreateAccountAsync();
        var productKey = await app.ProductWithLicensesAsync(account, 1);
        using var client = app.ClientOf(account);

        var response = await client.PutJsonAsync($"/api/v1/products/{productKey}/auto-renew", new { enabled = false });

        await response.ExpectNoContentAsync();
        Assert.False((await client.ProductAsync(productKey)).GetProperty("autoRenew").GetBoolean());
    }

    [Fact]
    public async Task DeviceAutoRenew_ProductSwitchOn_Returns204AndShowsTheDeviceOff()
    {
        var account = await app.CreateAccountAsync();
        var productKey = await app.ProductWithLicensesAsync(account, 1);
        using var platform = app.PlatformClient();
        await platform.ConnectAsync(productKey, "dk-switch");
        using var client = app.ClientOf(account);

        var response = await client.PutJsonAsync($"/api/v1/products/{productKey}/devices/dk-switch/auto-renew", new { enabled = false });

        await response.ExpectNoContentAsync();
        Assert.False(Assert.Single(await client.DevicesAsync(productKey)).GetProperty("autoRenew").GetBoolean());
    }

    [Fact]
    public async Task DeviceAutoRenew_ProductSwitchOff_Returns409ProductAutoRenewOffAndChangesNothing()
    {
        var account = await app.CreateAccountAsync();
        var productKey = await app.ProductWithLicensesAsync(account, 1);
        using var platform = app.PlatformClient();
        await platform.ConnectAsync(productKey, "dk-locked");
        using var client = app.ClientOf(account);
        await (await client.PutJsonAsync($"/api/v1/products/{productKey}/auto-renew", new { enabled = false })).ExpectNoContentAsync();

        var response = await client.PutJsonAsync($"/api/v1/products/{productKey}/devices/dk-locked/auto-renew", new { enabled = false });

        await response.ExpectProblemAsync(HttpStatusCode.Conflict, "product_auto_renew_off");
        Assert.True(Assert.Single(await client.DevicesAsync(productKey)).GetProperty("autoRenew").GetBoolean());
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("""{"enabled":"yes"}""")]
    [InlineData("""{"enabled":null}""")]
    public async Task ProductAutoRenew_MalformedBody_Returns400ValidationFailed(string body)
    {
        var account = await app.CreateAccountAsync();
        var productKey = await app.ProductWithLicensesAsync(account, 1);
        using var client = app.ClientOf(account);

        var response = await client.SendRawAsync(HttpMethod.Put, $"/api/v1/products/{productKey}/auto-renew", body);

        await response.ExpectValidationProblemAsync("enabled");
        Assert.True((await client.ProductAsync(productKey)).GetProperty("autoRenew").GetBoolean());
    }

    [Fact]
    public async Task Recipients_NewAccount_ListsTheOwnerAsIdZero()
    {
        var account = await app.CreateAccountAsync();
        using var client = app.ClientOf(account);

        var page = await (await client.GetAsync("/api/v1/alert-recipients", Ct)).ExpectJsonAsync(HttpStatusCode.OK);

        ApiCalls.AssertMembers(page, "items", "page", "pageSize", "totalCount");
        var owner = Assert.Single(page.GetProperty("items").EnumerateArray());
        ApiCalls.AssertHasMembers(owner, "id", "name", "email");
        Assert.Equal(0, owner.Long("id"));
        Assert.Equal(account.Email, owner.Str("email"));
    }

    [Fact]
    public async Task AddRecipient_ValidEmail_Returns201AndIsListed()
    {
        var account = await app.CreateAccountAsync();
        using var client = app.ClientOf(account);

        var response = await client.PostJsonAsync("/api/v1/alert-recipients", new { name = "Ops Desk", email = "ops@example.com" });

        var recipient = await response.ExpectJsonAsync(HttpStatusCode.Created);
        ApiCalls.AssertHasMembers(recipient, "id", "name", "email");
        Assert.NotEqual(0, recipient.Long("id"));
        Assert.Equal("Ops Desk", recipient.Str("name"));
        Assert.Equal("ops@example.com", recipient.Str("email"));
        var page = await (await client.GetAsync("/api/v1/alert-recipients", Ct)).ExpectJsonAsync(HttpStatusCode.OK);
        Assert.Contains(page.GetProperty("items").EnumerateArray(), r => r.Long("id") == recipient.Long("id"));
    }

    [Theory]
    [InlineData("ops@example.com")]
    [InlineData("OPS@Example.COM")]
    public async Task AddRecipient_Duplicate_Returns409(string duplicate)
    {
        var account = await app.CreateAccountAsync();
        using var client = app.ClientOf(account);
        await (await client.PostJsonAsync("/api/v1/alert-recipients", new { name = "Ops", email = "ops@example.com" })).ExpectJsonAsync(HttpStatusCode.Created);

        var response = await client.PostJsonAsync("/api/v1/alert-recipients", new { name = "Ops again", email = duplicate });

        await response.ExpectProblemAsync(HttpStatusCode.Conflict, "recipient_exists");
        var page = await (await client.GetAsync("/api/v1/alert-recipients", Ct)).ExpectJsonAsync(HttpStatusCode.OK);
        Assert.Equal(2, page.Long("totalCount"));
    }

    [Fact]
    public async Task AddRecipient_OwnersAddressInOtherCase_Returns409()
    {
        var account = await app.CreateAccountAsync();
        using var client = app.ClientOf(account);

        var response = await client.PostJsonAsync("/api/v1/alert-recipients", new { name = "Me", email = account.Email.ToUpperInvariant() });

        await response.ExpectProblemAsync(HttpStatusCode.Conflict, "recipient_exists");
    }

    [Theory]
    [InlineData("not-an-email")]
    [InlineData("ops@localhost")]
    [InlineData("Ops <ops@example.com>")]
    public async Task AddRecipient_BadEmail_Returns400WithAnEmailError(string email)
    {
        var account = await app.CreateAccountAsync();
        using var client = app.ClientOf(account);

        var response = await client.PostJsonAsync("/api/v1/alert-recipients", new { name = "Ops", email });

        await response.ExpectValidationProblemAsync("email");
        var page = await (await client.GetAsync("/api/v1/alert-recipients", Ct)).ExpectJsonAsync(HttpStatusCode.OK);
        Assert.Equal(1, page.Long("totalCount"));
    }

    [Fact]
    public async Task RemoveRecipient_Added_Returns204AndIsGone()
    {
        var account = await app.CreateAccountAsync();
        using var client = app.ClientOf(account);
        var recipient = await (await client.PostJsonAsync("/api/v1/alert-recipients", new { name = "Ops", email = "ops@example.com" }))
            .ExpectJsonAsync(HttpStatusCode.Created);

        var response = await client.DeleteAsync($"/api/v1/alert-recipients/{recipient.Long("id")}", Ct);

        await response.ExpectNoContentAsync();
        var page = await (await client.GetAsync("/api/v1/alert-recipients", Ct)).ExpectJsonAsync(HttpStatusCode.OK);
        Assert.DoesNotContain(page.GetProperty("items").EnumerateArray(), r => r.Long("id") == recipient.Long("id"));
    }

    [Fact]
    public async Task RemoveRecipient_Owner_Returns409AndTheOwnerStays()
    {
        var account = await app.CreateAccountAsync();
        using var client = app.ClientOf(account);

        var response = await client.DeleteAsync("/api/v1/alert-recipients/0", Ct);

        await response.ExpectProblemAsync(HttpStatusCode.Conflict, "owner_recipient_fixed");
        var page = await (await client.GetAsync("/api/v1/alert-recipients", Ct)).ExpectJsonAsync(HttpStatusCode.OK);
        Assert.Contains(page.GetProperty("items").EnumerateArray(), r => r.Long("id") == 0 && r.Str("email") == account.Email);
    }

    [Theory]
    [InlineData("/api/v1/products")]
    [InlineData("/api/v1/allocations")]
    [InlineData("/api/v1/expiring-devices")]
    [InlineData("/api/v1/products/{pk}/devices")]
    [InlineData("/api/v1/products/{pk}/devices/dk-1/activations")]
    [InlineData("/api/v1/alert-recipients")]
    public async Task List_DefaultPaging_Answers50PerPageAndAccepts500(string url)
    {
        var (client, path) = await ListAsync(url);
        using (client)
        {
            var byDefault = await (await client.GetAsync(path, Ct)).ExpectJsonAsync(HttpStatusCode.OK);
            var largest = await (await client.GetAsync(path + "?pageSize=500", Ct)).ExpectJsonAsync(HttpStatusCode.OK);

            ApiCalls.AssertPage(byDefault, expectedPage: 1, expectedPageSize: 50);
            ApiCalls.AssertPage(largest, expectedPage: 1, expectedPageSize: 500);
        }
    }

    [Theory]
    [InlineData("/api/v1/products", "pageSize=501", "pageSize")]
    [InlineData("/api/v1/products", "pageSize=0", "pageSize")]
    [InlineData("/api/v1/products", "page=0", "page")]
    [InlineData("/api/v1/allocations", "pageSize=501", "pageSize")]
    [InlineData("/api/v1/allocations", "page=0", "page")]
    [InlineData("/api/v1/expiring-devices", "pageSize=0", "pageSize")]
    [InlineData("/api/v1/expiring-devices", "page=0", "page")]
    [InlineData("/api/v1/products/{pk}/devices", "pageSize=501", "pageSize")]
    [InlineData("/api/v1/products/{pk}/devices", "page=0", "page")]
    [InlineData("/api/v1/products/{pk}/devices/dk-1/activations", "pageSize=0", "pageSize")]
    [InlineData("/api/v1/alert-recipients", "pageSize=501", "pageSize")]
    [InlineData("/api/v1/alert-recipients", "page=0", "page")]
    public async Task List_PagingOutOfRange_Returns400ValidationFailed(string url, string query, string field)
    {
        var (client, path) = await ListAsync(url);
        using (client)
        {
            var response = await client.GetAsync($"{path}?{query}", Ct);

            await response.ExpectValidationProblemAsync(field);
        }
    }

    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static async Task<HttpResponseMessage> AllocateWithKeyAsync(HttpClient client, string productKey, string idempotencyKey)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/allocations")
        {
            Content = JsonContent.Create(new { productKey, specCode = "STD-1Y", quantity = 3 }),
        };
        request.Headers.Add("Idempotency-Key", idempotencyKey);
        return await client.SendAsync(request, Ct);
    }

    /// <summary>An account with a product, one device and one allocation, and the list URL filled in for it.</summary>
    private async Task<(HttpClient Client, string Path)> ListAsync(string url)
    {
        var account = await app.CreateAccountAsync();
        await app.BuyAsync(account, 2);
        var client = app.ClientOf(account);
        var productKey = await client.CreateProductAsync();
        await (await client.PostJsonAsync("/api/v1/allocations", new { productKey, specCode = "STD-1Y", quantity = 2 })).ExpectJsonAsync(HttpStatusCode.Created);
        using var platform = app.PlatformClient();
        await platform.ConnectAsync(productKey, "dk-1");
        return (client, url.Replace("{pk}", productKey, StringComparison.Ordinal));
    }
}
