using System.Globalization;
using System.Net;
using LicenseConsole.BrowserTests.Infrastructure;

namespace LicenseConsole.BrowserTests.Security;

/// <summary>
/// What each role sees: the controls it may use enabled, the others hidden or disabled with the reason, as the
/// role table has it. "limited operator" is an operator limited to the first of the account's two products.
/// </summary>
public sealed class RoleControlsTests(ConsoleFixture fixture) : ConsoleTest(fixture)
{
    private const string Device = "lamp-001";
    private const string OtherDevice = "hall-001";
    private const int ProductLicenses = 5;

    [Theory]
    [InlineData("owner", true, true)]
    [InlineData("admin", false, true)]
    [InlineData("operator", false, false)]
    [InlineData("viewer", false, false)]
    [InlineData("limited operator", false, false)]
    public async Task Navigation_Role_LinksOnlyThePagesTheRoleMayOpen(string who, bool managesAccount, bool readsAudit)
    {
        await SignedInAsAsync(who);
        await Page.GotoAsync("");

        string[] links =
        [
            "LicenseConsole", "Overview", "Product licenses", "Allocation records", "Devices expiring soon", "Alert recipients",
            .. managesAccount ? new[] { "Sub-accounts", "API keys" } : [],
            .. readsAudit ? new[] { "Audit log" } : [],
        ];
        await Expect(Page.GetByRole(AriaRole.Navigation, new() { Name = "Main menu" }).GetByRole(AriaRole.Link)).ToHaveTextAsync(links);
    }

    [Theory]
    [InlineData("owner", "Developer account (owner)")]
    [InlineData("admin", "Sub-account · admin")]
    [InlineData("operator", "Sub-account · operator")]
    [InlineData("viewer", "Sub-account · viewer")]
    public async Task UserMenu_Role_NamesTheRoleAndOffersThePasswordChange(string who, string roleText)
    {
        await SignedInAsAsync(who);
        await Page.GotoAsync("");

        await Page.GetByTestId("user-menu").ClickAsync();

        await Expect(Page.GetByTestId("user-role")).ToHaveTextAsync(roleText);
        await Expect(Page.GetByTestId("user-scope")).ToHaveCountAsync(0);
        await Expect(Page.GetByTestId("change-password-link")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task UserMenu_LimitedOperator_SaysItIsLimitedToOneProduct()
    {
        await SignedInAsAsync("limited operator");
        await Page.GotoAsync("");

        await Page.GetByTestId("user-menu").ClickAsync();

        await Expect(Page.GetByTestId("user-role")).ToHaveTextAsync("Sub-account · operator");
        await Expect(Page.GetByTestId("user-scope")).ToHaveTextAsync("Limited to chosen products");
    }

    [Theory]
    [InlineData("owner", true)]
    [InlineData("admin", true)]
    [InlineData("operator", false)]
    [InlineData("viewer", false)]
    [InlineData("limited operator", false)]
    public async Task Overview_Role_OffersAllocationOnlyToThoseWhoMay(string who, bool allocates)
    {
        await SignedInAsAsync(who);
        await Page.GotoAsync("");

        await ExpectOfferedAsync("open-allocate", allocates, Reason(who, "allocate licenses"));
    }

    [Theory]
    [InlineData("owner", true)]
    [InlineData("admin", true)]
    [InlineData("operator", true)]
    [InlineData("viewer", false)]
    [InlineData("limited operator", true)]
    public async Task ProductList_Role_OffersTheNewProductFormOnlyToThoseWhoMay(string who, bool createsProducts)
    {
        await SignedInAsAsync(who);
        await Page.GotoAsync("products");

        if (createsProducts)
        {
            await Expect(Page.GetByTestId("new-product-name")).ToBeEditableAsync();
            await Expect(Page.GetByTestId("create-product-refused")).ToHaveCountAsync(0);
        }
        else
        {
            await Expect(Page.GetByTestId("new-product-name")).ToHaveCountAsync(0);
            await Expect(Page.GetByTestId("create-product-refused")).ToHaveTextAsync(Reason(who, "create products and switch auto-renew"));
        }
    }

    [Theory]
    [InlineData("owner", true, true)]
    [InlineData("admin", true, true)]
    [InlineData("operator", false, false)]
    [InlineData("viewer", false, false)]
    [InlineData("limited operator", false, false)]
    public async Task ProductPage_Role_OffersAllocationAndDeletionOnlyToThoseWhoMay(string who, bool allocates, bool deletes)
    {
        var setup = await SignedInAsAsync(who);
        await Page.GotoAsync($"products/{setup.Product}");

        await ExpectOfferedAsync("open-allocate", allocates, Reason(who, "allocate licenses"));
        await ExpectOfferedAsync("delete-product", deletes, Reason(who, "delete products"));
    }

    [Theory]
    [InlineData("owner", true)]
    [InlineData("admin", true)]
    [InlineData("operator", true)]
    [InlineData("viewer", false)]
    [InlineData("limited operator", true)]
    public async Task ProductPage_Role_EnablesAutoRenewAndBlacklistOnlyForThoseWhoMay(string who, bool managesProducts)
    {
        var setup = await SignedInAsAsync(who);
        await Page.GotoAsync($"products/{setup.Product}");
        await Expect(Page.GetByTestId("product-auto-renew")).ToHaveTextAsync("On");

        foreach (var control in new[] { "toggle-product-auto-renew", "blacklist-dk", "blacklist-add" })
        {
            await (managesProducts ? Expect(Page.GetByTestId(control)).ToBeEnabledAsync() : Expect(Page.GetByTestId(control)).ToBeDisabledAsync());
        }

        if (managesProducts)
        {
            await Expect(Page.GetByTestId("configuration-refused")).ToHaveCountAsync(0);
        }
        else
        {
            await Expect(Page.GetByTestId("configuration-refused")).ToHaveTextAsync(Reason(who, "create products and switch auto-renew"));
        }
    }

    [Theory]
    [InlineData("owner", true)]
    [InlineData("admin", true)]
    [InlineData("operator", true)]
    [InlineData("viewer", false)]
    [InlineData("limited operator", true)]
    public async Task DevicePage_Role_EnablesTheAutoRenewSwitchOnlyForThoseWhoMay(string who, bool managesProducts)
    {
        var setup = await SignedInAsAsync(who);
        await Page.GotoAsync($"products/{setup.Product}/devices/{Device}");

        var deviceSwitch = Page.GetByTestId("device-auto-renew");
        await Expect(deviceSwitch).ToBeCheckedAsync();
        if (managesProducts)
        {
            await Expect(deviceSwitch).ToBeEnabledAsync();
            await Expect(Page.GetByTestId("auto-renew-reason")).ToHaveCountAsync(0);
        }
        else
        {
            await Expect(deviceSwitch).ToBeDisabledAsync();
            await Expect(Page.GetByTestId("auto-renew-reason")).ToHaveTextAsync(Reason(who, "create products and switch auto-renew"));
        }
    }

    [Theory]
    [InlineData("owner", true, true)]
    [InlineData("admin", false, true)]
    [InlineData("operator", true, true)]
    [InlineData("operator", false, false)]
    [InlineData("viewer", true, true)]
    [InlineData("viewer", false, false)]
    public async Task AlertRecipients_RoleAndRecipientsRight_OfferChangesOnlyToThoseWhoMay(string who, bool maintainsRecipients, bool changesRecipients)
    {
        var setup = await SignedInAsAsync(who, maintainsRecipients);
        await Api.AddRecipientAsync(setup.Owner, "Ops", "ops@example.com");
        await Page.GotoAsync("alert-recipients");
        var listed = Page.Locator("tr[data-recipient='ops@example.com']");
        await Expect(listed).ToBeVisibleAsync();

        if (changesRecipients)
        {
            await Expect(Page.GetByTestId("add-recipient")).ToBeEnabledAsync();
            await Expect(listed.GetByTestId("remove-recipient")).ToBeEnabledAsync();
            await Expect(Page.GetByTestId("send-test-email")).ToBeEnabledAsync();
            await Expect(Page.GetByTestId("recipients-locked")).ToHaveCountAsync(0);
        }
        else
        {
            await Expect(Page.GetByTestId("add-recipient")).ToHaveCountAsync(0);
            await Expect(listed.GetByTestId("remove-recipient")).ToHaveCountAsync(0);
            await Expect(Page.GetByTestId("send-test-email")).ToHaveCountAsync(0);
            await Expect(Page.GetByTestId("recipients-locked")).ToHaveTextAsync(Reason(who, "change the alert recipients"));
        }
    }

    [Fact]
    public async Task ProductList_LimitedOperator_ListsOnlyItsProduct()
    {
        var setup = await SignedInAsAsync("limited operator");

        await Page.GotoAsync("products");

        var rows = Page.GetByTestId("products").Locator("tbody tr[data-product]");
        await Expect(rows).ToHaveCountAsync(1);
        await Expect(rows).ToHaveAttributeAsync("data-product", setup.Product);
    }

    [Theory]
    [InlineData("products/{0}")]
    [InlineData("products/{0}/devices/" + OtherDevice)]
    public async Task OtherProductsPages_LimitedOperator_AreNotFound(string page)
    {
        var setup = await SignedInAsAsync("limited operator");

        var response = await Page.GotoAsync(string.Format(CultureInfo.InvariantCulture, page, setup.OtherProduct));

        Assert.Equal((int)HttpStatusCode.NotFound, response!.Status);
        await Expect(Page.GetByTestId("error-title")).ToHaveTextAsync("Not found");
        await Expect(Page.Locator("main")).Not.ToContainTextAsync("Hall Lamp");
    }

    [Theory]
    [InlineData("operator")]
    [InlineData("viewer")]
    public async Task ForgedAllocation_RoleWithoutTheRight_AnswersTheReasonAndAllocatesNothing(string who)
    {
        var setup = await SignedInAsAsync(who);
        await Page.GotoAsync($"products/{setup.Product}");
        await Expect(Page.GetByTestId("open-allocate-refused")).ToBeVisibleAsync();

        // The dialog's form is on the page, hidden: filled and sent by script, as a forger would.
        var response = await Page.RunAndWaitForResponseAsync(() => Page.EvaluateAsync("""
            () => {
              const form = document.getElementById('allocate-form');
              const spec = form.querySelector('[name="SpecCode"]');
              spec.disabled = false;
              spec.add(new Option('STD-1Y', 'STD-1Y', true, true));
              const quantity = form.querySelector('[name="Quantity"]');
              quantity.disabled = false;
              quantity.value = '3';
              form.querySelector('[name="Confirmed"]').value = 'true';
              form.submit();
            }
            """), r => r.Request.Method == "POST" && r.Url.EndsWith("/allocations/new", StringComparison.Ordinal));

        Assert.Equal((int)HttpStatusCode.Forbidden, response.Status);
        await Expect(Page.GetByTestId("error-title")).ToHaveTextAsync("Not allowed");
        await Expect(Page.GetByTestId("error-explanation")).ToContainTextAsync(Reason(who, "allocate licenses"));
        await Page.GotoAsync($"products/{setup.Product}");
        await Expect(Page.GetByTestId("total")).ToHaveTextAsync(ProductLicenses.ToString(CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task ForgedAutoRenewSwitch_Viewer_AnswersTheReasonAndChangesNothing()
    {
        var setup = await SignedInAsAsync("viewer");
        await Page.GotoAsync($"products/{setup.Product}");
        var toggle = Page.GetByTestId("toggle-product-auto-renew");
        await Expect(toggle).ToBeDisabledAsync();

        await toggle.EvaluateAsync("button => button.disabled = false");
        var response = await Page.RunAndWaitForResponseAsync(() => toggle.ClickAsync(), r => r.Request.Method == "POST" && r.Url.EndsWith("/auto-renew", StringComparison.Ordinal));

        Assert.Equal((int)HttpStatusCode.Forbidden, response.Status);
        await Expect(Page.GetByTestId("error-title")).ToHaveTextAsync("Not allowed");
        await Expect(Page.GetByTestId("error-explanation")).ToContainTextAsync(Reason("viewer", "create products and switch auto-renew"));
        await Page.GotoAsync($"products/{setup.Product}");
        await Expect(Page.GetByTestId("product-auto-renew")).ToHaveTextAsync("On");
    }

    private static string Reason(string who, string right) => $"Your role ({who.Split(' ')[^1]}) does not allow this: {right}.";

    /// <summary>
    /// <paramref name="testId"/> offered (visible, enabled, the refused stand-in absent), or not: only its disabled
    /// stand-in <c>{testId}-refused</c>, whose title gives <paramref name="reason"/>.
    /// </summary>
    private async Task ExpectOfferedAsync(string testId, bool offered, string reason)
    {
        var control = Page.GetByTestId(testId);
        var refused = Page.GetByTestId(testId + "-refused");
        if (offered)
        {
            await Expect(control).ToBeVisibleAsync();
            await Expect(control).ToBeEnabledAsync();
            await Expect(refused).ToHaveCountAsync(0);
        }
        else
        {
            await Expect(control).ToHaveCountAsync(0);
            await Expect(refused).ToHaveAttributeAsync("title", reason);
            await Expect(refused.GetByRole(AriaRole.Button)).ToBeDisabledAsync();
        }
    }

    /// <summary>
    /// An account with unallocated licenses and two products of <see cref="ProductLicenses"/> licenses and a device
    /// each, and <see cref="ConsoleTest.Page"/> signed in as <paramref name="who"/>: the owner, or a sub-account of
    /// that role ("limited operator": an operator limited to the first product).
    /// </summary>
    private async Task<Setup> SignedInAsAsync(string who, bool maintainsRecipients = true)
    {
        var owner = await Api.CreateAccountAsync();
        await Api.BuyAsync(owner, "STD-1Y", 20);
        var product = await Api.ProductWithLicensesAsync(owner, "Garden Lamp", ProductLicenses);
        var otherProduct = await Api.ProductWithLicensesAsync(owner, "Hall Lamp", ProductLicenses);
        await Api.ConnectAsync(product, Device);
        await Api.ConnectAsync(otherProduct, OtherDevice);

        var user = who switch
        {
            "owner" => owner.User,
            "limited operator" => await SubAccountAsync(owner, "operator", maintainsRecipients, product),
            _ => await SubAccountAsync(owner, who, maintainsRecipients),
        };
        await SignInAsync(Page, user);
        return new Setup(owner, product, otherProduct);
    }

    private sealed record Setup(TestAccount Owner, string Product, string OtherProduct);
}
