using System.Net;
using LicenseConsole.Accounts;
using LicenseConsole.IntegrationTests.Infrastructure;
using LicenseConsole.Licensing;
using LicenseConsole.Products;
using Microsoft.Extensions.DependencyInjection;

namespace LicenseConsole.IntegrationTests.Console;

/// <summary>
/// The console's forms in-process: Post-Redirect-Get with a success note, errors beside the field, refusals
/// that change nothing, and a double submit that allocates once.
/// </summary>
public sealed class ConsoleFormsTests(PostgresApp app) : IClassFixture<PostgresApp>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task EveryPage_OwnerWithData_RendersWithoutError()
    {
        var (account, client) = await SignedInAsync();
        var product = await ProductWithLicensesAsync(account, 5);
        await ConnectAsync(product, "dev-1");

        string[] pages =
        [
            "/", "/products", "/products?search=prod", $"/products/{product}", $"/products/{product}/devices/dev-1", $"/products/{product}/delete",
            "/allocations", $"/allocations?productKey={product}", "/allocations/new", $"/allocations/new?productKey={product}",
            "/devices/expiring", "/devices/expiring?status=lapsed", "/alert-recipients", "/settings/sub-accounts", "/settings/api-keys", "/audit",
        ];
        foreach (var page in pages)
        {
            var response = await client.GetAsync(page, Ct);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{page} answered {(int)response.StatusCode}");
        }
    }

    [Fact]
    public async Task AllocateForm_NotYetConfirmed_ShowsTheConfirmStepAndAllocatesNothing()
    {
        var (account, client) = await SignedInAsync();
        await BuyAsync(account, 10);
        var product = await CreateProductAsync(account);

        var response = await client.PostFormAsync("/", "/allocations/new", Allocation(product, 4, confirmed: false, "req-1"));
        var html = await response.Content.ReadAsStringAsync(Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("An allocation cannot be undone.", html, StringComparison.Ordinal);
        Assert.Contains("Unallocated STD-1Y licenses left: 6 (now 10).", html, StringComparison.Ordinal);
        Assert.Equal(10, (await SummaryAsync(account)).Unallocated);
    }

    [Fact]
    public async Task AllocateForm_ConfirmedTwiceWithOneRequestId_AllocatesOnceAndRedirectsWithANote()
    {
        var (account, client) = await SignedInAsync();
        await BuyAsync(account, 10);
        var product = await CreateProductAsync(account);

        var first = await client.PostFormAsync("/", "/allocations/new", Allocation(product, 4, confirmed: true, "req-twice"));
        var second = await client.PostFormAsync("/", "/allocations/new", Allocation(product, 4, confirmed: true, "req-twice"));
        var landing = await client.GetAsync(first.Headers.Location, Ct);

        Assert.Equal(HttpStatusCode.Redirect, first.StatusCode);
        Assert.Equal($"/products/{product}", first.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.Redirect, second.StatusCode);
        Assert.Equal(6, (await SummaryAsync(account)).Unallocated);
        Assert.Contains("Allocated 4 STD-1Y licenses to", await landing.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AllocateForm_MoreThanThePool_ShowsTheMessageBesideTheQuantityAndChangesNothing()
    {
        var (account, client) = await SignedInAsync();
        await BuyAsync(account, 10);
        var product = await CreateProductAsync(account);

        var response = await client.PostFormAsync("/", "/allocations/new", Allocation(product, 11, confirmed: true, "req-over"));
        var html = await response.Content.ReadAsStringAsync(Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("Only 10 unallocated STD-1Y licenses are left; you asked for 11.", ConsoleClient.TestIdText(html, "allocate-quantity-error"), StringComparison.Ordinal);
        Assert.Equal(10, (await SummaryAsync(account)).Unallocated);
    }

    [Fact]
    public async Task AllocateForm_SpecTheProductDoesNotHold_IsRefusedWithTheSpecMismatchMessage()
    {
        var (account, client) = await SignedInAsync();
        await BuyAsync(account, 10, "STD-2Y");
        var product = await ProductWithLicensesAsync(account, 2, "STD-1Y");

        var response = await client.PostFormAsync("/", "/allocations/new", new Dictionary<string, string>(Allocation(product, 1, true, "req-spec")) { ["SpecCode"] = "STD-2Y" });
        var html = await response.Content.ReadAsStringAsync(Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("This product takes STD-1Y licenses only, not STD-2Y: a product holds one license spec.", html, StringComparison.Ordinal);
        Assert.Equal(10, (await SummaryAsync(account)).Unallocated);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-1")]
    [InlineData("1.5")]
    [InlineData("abc")]
    [InlineData("99999999999999")]
    public async Task AllocateForm_MalformedQuantity_IsRefusedBesideTheFieldWithoutA500(string quantity)
    {
        var (account, client) = await SignedInAsync();
        await BuyAsync(account, 10);
        var product = await CreateProductAsync(account);

        var response = await client.PostFormAsync("/", "/allocations/new",
            new Dictionary<string, string>(Allocation(product, 1, true, "req-bad-" + quantity)) { ["Quantity"] = quantity });
        var html = await response.Content.ReadAsStringAsync(Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.NotEqual("", ConsoleClient.TestIdText(html, "allocate-quantity-error"));
        Assert.Equal(10, (await SummaryAsync(account)).Unallocated);
    }

    [Fact]
    public async Task AllocateForm_WithoutAntiforgeryToken_IsRefused()
    {
        var (account, client) = await SignedInAsync();
        await BuyAsync(account, 10);
        var product = await CreateProductAsync(account);

        var response = await client.PostAsync("/allocations/new", new FormUrlEncodedContent(Allocation(product, 1, true, "req-csrf")), Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(10, (await SummaryAsync(account)).Unallocated);
    }

    [Fact]
    public async Task NewProductForm_EmptyNameAndBadKey_ShowsBothMessages()
    {
        var (_, client) = await SignedInAsync();

        var response = await client.PostFormAsync("/products", "/products", new Dictionary<string, string> { ["NewProduct.Name"] = " ", ["NewProduct.ProductKey"] = "bad key!" });
        var html = await response.Content.ReadAsStringAsync(Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("Enter a product name.", html, StringComparison.Ordinal);
        Assert.Contains("Use letters, digits", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NewProductForm_KeyTakenAlready_IsRefusedBesideTheKey()
    {
        var (account, client) = await SignedInAsync();
        var taken = await CreateProductAsync(account);

        var response = await client.PostFormAsync("/products", "/products", new Dictionary<string, string> { ["NewProduct.Name"] = "Twin", ["NewProduct.ProductKey"] = taken });
        var html = await response.Content.ReadAsStringAsync(Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("A product with this key exists already.", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DeleteProduct_WrongConfirmationThenTheKey_RefusesThenDeletes()
    {
        var (account, client) = await SignedInAsync();
        var product = await ProductWithLicensesAsync(account, 3);

        var wrong = await client.PostFormAsync($"/products/{product}/delete", $"/products/{product}/delete", new Dictionary<string, string> { ["confirm"] = "nope" });
        var stillThere = await client.GetAsync($"/products/{product}", Ct);
        var right = await client.PostFormAsync($"/products/{product}/delete", $"/products/{product}/delete", new Dictionary<string, string> { ["confirm"] = product });
        var gone = await client.GetAsync($"/products/{product}", Ct);

        Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
        Assert.Contains("Type the product key exactly as shown to confirm the deletion.", await wrong.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, stillThere.StatusCode);
        Assert.Equal((HttpStatusCode.Redirect, "/products"), (right.StatusCode, right.Headers.Location!.OriginalString));
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
    }

    [Fact]
    public async Task Blacklist_DeviceTheProductDoesNotHave_ShowsTheProductPageWithTheMessageBesideTheFieldAndChangesNothing()
    {
        var (account, client) = await SignedInAsync();
        var product = await ProductWithLicensesAsync(account, 3);
        await ConnectAsync(product, "dev-1");

        var response = await client.PostFormAsync($"/products/{product}", $"/products/{product}/blacklist",
            new Dictionary<string, string> { ["deviceKey"] = "no-such-device", ["listed"] = "true" });
        var html = await response.Content.ReadAsStringAsync(Ct);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("The product has no device with this key.", ConsoleClient.TestIdText(html, "blacklist-error"), StringComparison.Ordinal);
        Assert.Empty(await app.RunAsync(account.Id, s => s.GetRequiredService<LicenseConsole.Devices.DeviceService>().BlacklistAsync(product)));
    }

    [Fact]
    public async Task DeviceAutoRenew_WhileTheProductSwitchIsOff_IsRefusedWithTheReason()
    {
        var (account, client) = await SignedInAsync();
        var product = await ProductWithLicensesAsync(account, 3);
        await ConnectAsync(product, "dev-1");
        await app.RunAsync(account.Id, async s => { await s.GetRequiredService<ProductService>().SetAutoRenewAsync(product, false); return 0; });

        var response = await client.PostFormAsync($"/products/{product}/devices/dev-1", $"/products/{product}/devices/dev-1/auto-renew",
            new Dictionary<string, string> { ["enabled"] = "false" });
        var html = await response.Content.ReadAsStringAsync(Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("Auto-renew is off for the whole product; turn it on for the product before changing single devices.",
            ConsoleClient.TestIdText(html, "error-explanation"), StringComparison.Ordinal);
        var device = await app.RunAsync(account.Id, s => s.GetRequiredService<LicenseConsole.Devices.DeviceService>().RequireAsync(product, "dev-1"));
        Assert.True(device.AutoRenew);
    }

    [Theory]
    [InlineData("", "ops@example.com", "Enter a name.")]
    [InlineData("Ops", "not-an-email", "Enter a valid email address.")]
    [InlineData("Ops", "", "Enter an email address.")]
    public async Task RecipientForm_BadInput_ShowsTheMessageBesideTheField(string name, string email, string message)
    {
        var (_, client) = await SignedInAsync();

        var response = await client.PostFormAsync("/alert-recipients", "/alert-recipients", new Dictionary<string, string> { ["Form.Name"] = name, ["Form.Email"] = email });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(message, await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RecipientForm_AddThenDuplicate_AddsOnceWithANote()
    {
        var (_, client) = await SignedInAsync();
        var fields = new Dictionary<string, string> { ["Form.Name"] = "Ops", ["Form.Email"] = "ops@example.com" };

        var added = await client.PostFormAsync("/alert-recipients", "/alert-recipients", fields);
        var landing = await (await client.GetAsync("/alert-recipients", Ct)).Content.ReadAsStringAsync(Ct);
        var duplicate = await client.PostFormAsync("/alert-recipients", "/alert-recipients", new Dictionary<string, string>(fields) { ["Form.Email"] = "OPS@example.com" });

        Assert.Equal(HttpStatusCode.Redirect, added.StatusCode);
        Assert.Contains("Ops (ops@example.com) will receive resource alerts.", landing, StringComparison.Ordinal);
        Assert.Contains("This email address receives alerts already.", await duplicate.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TestEmail_NoSmtpServerConfigured_QueuesOneEmailForTheOwnerAndEachRecipientAndSaysTheyWait()
    {
        var (account, client) = await SignedInAsync();
        await client.PostFormAsync("/alert-recipients", "/alert-recipients", new Dictionary<string, string> { ["Form.Name"] = "Ops", ["Form.Email"] = "ops@example.com" });

        var response = await client.PostFormAsync("/alert-recipients", "/alert-recipients/test-email", new Dictionary<string, string>());
        var landing = await (await client.GetAsync("/alert-recipients", Ct)).Content.ReadAsStringAsync(Ct);
        var dashboard = await (await client.GetAsync("/", Ct)).Content.ReadAsStringAsync(Ct);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains("No SMTP server is configured: the 2 test emails wait in the outbox until one is.", landing, StringComparison.Ordinal);
        Assert.Contains("Alert emails: 2 waiting, 0 failing", dashboard, StringComparison.Ordinal);
        await using var db = app.Database.CreatePlatformContext();
        var queued = db.OutboxEmails.Where(e => e.AccountId == account.Id).Select(e => e.ToAddress).ToList();
        Assert.Equal(new[] { account.OwnerEmail, "ops@example.com" }.Order(), queued.Order());
    }

    [Fact]
    public async Task Filters_MalformedDatesAndPages_Answer400WithTheFiltersAndAMessageNotAnError()
    {
        var (account, client) = await SignedInAsync();
        var product = await ProductWithLicensesAsync(account, 1);

        var badDate = await client.GetAsync($"/products/{product}?ActivatedFrom=yesterday", Ct);
        var reversed = await client.GetAsync($"/products/{product}?ActivatedFrom=2026-05-02&ActivatedTo=2026-05-01", Ct);
        var badPage = await client.GetAsync("/devices/expiring?Page=0", Ct);
        var hugePage = await client.GetAsync("/audit?Page=99999999999", Ct);

        Assert.Equal(HttpStatusCode.BadRequest, badDate.StatusCode);
        Assert.Contains("is not valid", await badDate.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, reversed.StatusCode);
        Assert.Contains("The end date is before the start date.", await reversed.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, badPage.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, hugePage.StatusCode);
    }

    [Fact]
    public async Task CultureSwitch_Chinese_IsRememberedAcrossPages()
    {
        var (_, client) = await SignedInAsync();

        var switched = await client.PostFormAsync("/", "/culture", new Dictionary<string, string> { ["culture"] = "zh-CN", ["returnUrl"] = "/products" });
        var products = await (await client.GetAsync("/products", Ct)).Content.ReadAsStringAsync(Ct);
        var dashboard = await (await client.GetAsync("/", Ct)).Content.ReadAsStringAsync(Ct);
        await client.PostFormAsync("/", "/culture", new Dictionary<string, string> { ["culture"] = "en", ["returnUrl"] = "/" });
        var english = await (await client.GetAsync("/", Ct)).Content.ReadAsStringAsync(Ct);

        Assert.Equal(("/products", HttpStatusCode.Redirect), (switched.Headers.Location!.OriginalString, switched.StatusCode));
        Assert.Contains("产品激活码列表", products, StringComparison.Ordinal);
        Assert.Contains("未分配激活码", dashboard, StringComparison.Ordinal);
        Assert.Contains("Unallocated licenses", english, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CultureSwitch_ReturnUrlElsewhere_StaysOnTheSite()
    {
        var (_, client) = await SignedInAsync();

        var switched = await client.PostFormAsync("/", "/culture", new Dictionary<string, string> { ["culture"] = "zh-CN", ["returnUrl"] = "https://evil.example/" });

        Assert.Equal("/", switched.Headers.Location!.OriginalString);
    }

    private async Task<(Account Account, HttpClient Client)> SignedInAsync()
    {
        var account = await TestAccounts.CreateAsync(app.Factory.Services);
        var client = app.CreateClient();
        await client.SignInAsync(account.OwnerEmail, TestAccounts.Password);
        return (account, client);
    }

    private static Dictionary<string, string> Allocation(string product, int quantity, bool confirmed, string requestId) => new()
    {
        ["ProductKey"] = product,
        ["SpecCode"] = "STD-1Y",
        ["Quantity"] = quantity.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Confirmed"] = confirmed ? "true" : "false",
        ["RequestId"] = requestId,
    };

    private Task<PurchaseOutcome> BuyAsync(Account account, int quantity, string spec = "STD-1Y", string? productKey = null) =>
        app.RunAsync(null, s => s.GetRequiredService<PurchaseService>().RecordAsync(new PurchaseRequest("o-" + Guid.NewGuid().ToString("N"), account.Id, spec, quantity, productKey)));

    private async Task<string> CreateProductAsync(Account account) =>
        (await app.RunAsync(account.Id, s => s.GetRequiredService<ProductService>().CreateAsync("Product " + Guid.NewGuid().ToString("N")[..6], null))).ProductKey;

    private async Task<string> ProductWithLicensesAsync(Account account, int licenses, string spec = "STD-1Y")
    {
        var product = await CreateProductAsync(account);
        await BuyAsync(account, licenses, spec, product);
        return product;
    }

    private Task<LicenseConsole.Devices.ConnectionOutcome> ConnectAsync(string product, string device) =>
        app.RunAsync(null, s => s.GetRequiredService<LicenseConsole.Devices.IDeviceConnections>().ConnectAsync(product, device, "cn-east"));

    private Task<LicenseSummary> SummaryAsync(Account account) =>
        app.RunAsync(account.Id, s => s.GetRequiredService<LicenseSummaryService>().GetSummaryAsync());
}
