using LicenseConsole.BrowserTests.Infrastructure;

namespace LicenseConsole.BrowserTests.Settings;

public sealed class SubAccountsTests(ConsoleFixture fixture) : ConsoleTest(fixture)
{
    private const string SubAccountPassword = "Sub-Account-2026";

    [Fact]
    public async Task Invite_RoleAndOneOfTwoProducts_TheSubAccountHasThatRoleOnThatProductOnly()
    {
        var owner = await SignedInAccountAsync();
        var chosen = await Api.CreateProductAsync(owner, "Garden Lamp");
        await Api.CreateProductAsync(owner, "Hall Lamp");
        var email = $"sub-{Guid.NewGuid():N}@example.com";
        await Page.GotoAsync("settings/sub-accounts");

        await Page.GetByTestId("sub-account-email").FillAsync(email);
        await Page.GetByTestId("sub-account-password").FillAsync(SubAccountPassword);
        await Page.GetByTestId("sub-account-role-choice").SelectOptionAsync("operator");
        await Page.GetByTestId("sub-account-recipients-right-choice").UncheckAsync();
        await Page.GetByTestId("sub-account-products-choice").GetByLabel("Garden Lamp").CheckAsync();
        await Page.GetByTestId("invite-sub-account").ClickAsync();

        await Expect(Page.GetByTestId("success")).ToContainTextAsync($"{email} can now sign in as a sub-account.");
        var row = Page.Locator($"tr[data-sub-account='{email}']");
        await Expect(row.GetByTestId("sub-account-role")).ToHaveTextAsync("operator");
        await Expect(row.GetByTestId("sub-account-products")).ToHaveTextAsync(chosen);
        await Expect(row.GetByTestId("sub-account-recipients-right")).ToHaveTextAsync("May not change");

        var sub = await NewPageAsync();
        await SignInThroughTheFormAsync(sub, email, SubAccountPassword);
        await sub.GetByTestId("user-menu").ClickAsync();
        await Expect(sub.GetByTestId("user-role")).ToHaveTextAsync("Sub-account · operator");
        await sub.GotoAsync("products");
        await Expect(sub.GetByTestId("products").Locator("tbody tr[data-product]")).ToHaveAttributeAsync("data-product", chosen);
    }

    [Fact]
    public async Task Invite_ProductsLeftUnticked_TheSubAccountHasEveryProduct()
    {
        var owner = await SignedInAccountAsync();
        await Api.CreateProductAsync(owner, "Garden Lamp");
        var email = $"sub-{Guid.NewGuid():N}@example.com";
        await Page.GotoAsync("settings/sub-accounts");

        await Page.GetByTestId("sub-account-email").FillAsync(email);
        await Page.GetByTestId("sub-account-password").FillAsync(SubAccountPassword);
        await Page.GetByTestId("sub-account-role-choice").SelectOptionAsync("admin");
        await Page.GetByTestId("invite-sub-account").ClickAsync();

        var row = Page.Locator($"tr[data-sub-account='{email}']");
        await Expect(row.GetByTestId("sub-account-role")).ToHaveTextAsync("admin");
        await Expect(row.GetByTestId("sub-account-products")).ToHaveTextAsync("All products");
        await Expect(row.GetByTestId("sub-account-recipients-right")).ToHaveTextAsync("May change");
    }

    [Fact]
    public async Task ChangeAccess_ViewerMadeAdmin_TheTableSaysAdminAndTheirNextPageOffersAllocation()
    {
        var owner = await SignedInAccountAsync();
        var viewer = await SubAccountAsync(owner, "viewer");
        var sub = await NewPageAsync();
        await SignInAsync(sub, viewer);
        await sub.GotoAsync("");
        await Expect(sub.GetByTestId("open-allocate-refused")).ToBeVisibleAsync();
        await Page.GotoAsync("settings/sub-accounts");

        var edit = await OpenEditAsync(viewer.Email);
        await edit.GetByTestId("edit-role").SelectOptionAsync("admin");
        await edit.GetByTestId("save-sub-account").ClickAsync();

        await Expect(Page.GetByTestId("success")).ToContainTextAsync($"Saved what {viewer.Email} may do; it holds from their next request.");
        await Expect(Page.Locator($"tr[data-sub-account='{viewer.Email}']").GetByTestId("sub-account-role")).ToHaveTextAsync("admin");
        await sub.ReloadAsync();
        await Expect(sub.GetByTestId("open-allocate")).ToBeEnabledAsync();
        await Expect(sub.GetByTestId("open-allocate-refused")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task ChangeAccess_RecipientsRightTakenFromAnOperator_TheirRecipientsPageIsLocked()
    {
        var owner = await SignedInAccountAsync();
        var operatorUser = await SubAccountAsync(owner, "operator");
        var sub = await NewPageAsync();
        await SignInAsync(sub, operatorUser);
        await sub.GotoAsync("alert-recipients");
        await Expect(sub.GetByTestId("add-recipient")).ToBeVisibleAsync();
        await Page.GotoAsync("settings/sub-accounts");
        var row = Page.Locator($"tr[data-sub-account='{operatorUser.Email}']");
        await Expect(row.GetByTestId("sub-account-recipients-right")).ToHaveTextAsync("May change");

        var edit = await OpenEditAsync(operatorUser.Email);
        await Expect(edit.GetByTestId("edit-role")).ToHaveValueAsync("operator");
        await edit.GetByTestId("edit-recipients-right").UncheckAsync();
        await edit.GetByTestId("save-sub-account").ClickAsync();

        await Expect(Page.GetByTestId("success")).ToContainTextAsync($"Saved what {operatorUser.Email} may do");
        await Expect(row.GetByTestId("sub-account-recipients-right")).ToHaveTextAsync("May not change");
        await Expect(row.GetByTestId("sub-account-role")).ToHaveTextAsync("operator");
        await sub.ReloadAsync();
        await Expect(sub.GetByTestId("recipients-locked")).ToHaveTextAsync("Your role (operator) does not allow this: change the alert recipients.");
        await Expect(sub.GetByTestId("add-recipient")).ToHaveCountAsync(0);
    }

    /// <summary>Opens the edit form of <paramref name="email"/>'s sub-account (a details element in the row below theirs).</summary>
    private async Task<ILocator> OpenEditAsync(string email)
    {
        var edit = Page.Locator($"tr[data-sub-account='{email}'] + tr").GetByTestId("edit-sub-account");
        await edit.Locator("summary").ClickAsync();
        await Expect(edit.GetByTestId("save-sub-account")).ToBeVisibleAsync();
        return edit;
    }
}
