using System.Text.RegularExpressions;
using LicenseConsole.BrowserTests.Infrastructure;

namespace LicenseConsole.BrowserTests.Settings;

/// <summary>
/// The product choice of the sub-accounts page: "every product" or "only the ticked ones", with the products'
/// checkboxes per row. Ticked products limit a sub-account; nothing ticked under "only the ticked" is refused, so a
/// sub-account whose products were all deleted is never widened to every product by saving its role.
/// </summary>
public sealed class SubAccountProductChoiceTests(ConsoleFixture fixture) : ConsoleTest(fixture)
{
    private const string NoneChosen = "Tick at least one product, or choose every product.";

    [Fact]
    public async Task ChangeAccess_ProductLabelClickedInTheSecondRow_TicksAndLimitsThatSubAccountOnly()
    {
        var owner = await SignedInAccountAsync();
        var product = await Api.CreateProductAsync(owner, "Garden Lamp");
        await SubAccountAsync(owner, "operator");
        await SubAccountAsync(owner, "operator");
        await Page.GotoAsync("settings/sub-accounts");
        var rows = Page.Locator("tr[data-sub-account]");
        await Expect(rows).ToHaveCountAsync(2);
        var first = await rows.Nth(0).GetAttributeAsync("data-sub-account") ?? throw new InvalidOperationException("The first row names nobody.");
        var second = await rows.Nth(1).GetAttributeAsync("data-sub-account") ?? throw new InvalidOperationException("The second row names nobody.");
        var firstCheckbox = EditForm(first).GetByTestId("edit-products").Locator($"input[type=checkbox][value='{product}']");
        var secondCheckbox = EditForm(second).GetByTestId("edit-products").Locator($"input[type=checkbox][value='{product}']");

        var edit = await OpenEditAsync(second);
        await edit.GetByTestId("edit-products").Locator("label", new() { HasText = "Garden Lamp" }).ClickAsync();

        await Expect(secondCheckbox).ToBeCheckedAsync();
        await Expect(firstCheckbox).Not.ToBeCheckedAsync();
        await edit.GetByTestId("save-sub-account").ClickAsync();

        await Expect(Page.GetByTestId("success")).ToContainTextAsync($"Saved what {second} may do");
        await Expect(Row(second).GetByTestId("sub-account-products")).ToHaveTextAsync(product);
        await Expect(Row(first).GetByTestId("sub-account-products")).ToHaveTextAsync("All products");
        await Expect(secondCheckbox).ToBeCheckedAsync();
        await Expect(firstCheckbox).Not.ToBeCheckedAsync();
    }

    [Fact]
    public async Task ChangeAccess_LimitedOperatorWhoseProductWasDeleted_SavingOnlyItsRoleIsRefusedAndEveryProductWidensIt()
    {
        var owner = await SignedInAccountAsync();
        var deleted = await Api.CreateProductAsync(owner, "Garden Lamp");
        var other = await Api.CreateProductAsync(owner, "Hall Lamp");
        var limited = await SubAccountAsync(owner, "operator", true, deleted);
        await Page.GotoAsync("settings/sub-accounts");
        await Expect(Row(limited.Email).GetByTestId("sub-account-products")).ToHaveTextAsync(deleted);
        await DeleteProductAsync(deleted, "Garden Lamp");

        await Page.GotoAsync("settings/sub-accounts");
        await Expect(Row(limited.Email).GetByTestId("sub-account-products")).ToHaveTextAsync("None (its products were deleted)");
        var edit = await OpenEditAsync(limited.Email);
        await Expect(edit.GetByTestId("edit-products-chosen")).ToBeCheckedAsync();
        await Expect(edit.GetByTestId("edit-products-all")).Not.ToBeCheckedAsync();
        await Expect(edit.GetByTestId("edit-products").Locator("input[type=checkbox]")).ToHaveCountAsync(1);
        await Expect(edit.GetByTestId("edit-products").Locator($"input[type=checkbox][value='{other}']")).Not.ToBeCheckedAsync();
        await edit.GetByTestId("edit-role").SelectOptionAsync("viewer");
        await edit.GetByTestId("save-sub-account").ClickAsync();

        await Expect(Page.GetByTestId("error-explanation")).ToContainTextAsync(NoneChosen);
        await Page.GotoAsync("settings/sub-accounts");
        await Expect(Row(limited.Email).GetByTestId("sub-account-role")).ToHaveTextAsync("operator");
        await Expect(Row(limited.Email).GetByTestId("sub-account-products")).ToHaveTextAsync("None (its products were deleted)");
        var sub = await NewPageAsync();
        await SignInAsync(sub, limited);
        await sub.GotoAsync("products");
        await Expect(sub.GetByTestId("products")).ToBeVisibleAsync();
        await Expect(sub.GetByTestId("products").Locator("tbody tr[data-product]")).ToHaveCountAsync(0);
        await sub.GotoAsync($"products/{other}");
        await Expect(sub.GetByTestId("error-title")).ToHaveTextAsync("Not found");

        edit = await OpenEditAsync(limited.Email);
        await edit.GetByTestId("edit-products-all").CheckAsync();
        await edit.GetByTestId("save-sub-account").ClickAsync();

        await Expect(Page.GetByTestId("success")).ToContainTextAsync($"Saved what {limited.Email} may do");
        await Expect(Row(limited.Email).GetByTestId("sub-account-products")).ToHaveTextAsync("All products");
        await Expect(Row(limited.Email).GetByTestId("sub-account-role")).ToHaveTextAsync("operator");
        await sub.GotoAsync("products");
        await Expect(sub.GetByTestId("products").Locator("tbody tr[data-product]")).ToHaveAttributeAsync("data-product", other);
        await sub.GotoAsync($"products/{other}");
        await Expect(sub.GetByTestId("product-name")).ToHaveTextAsync("Hall Lamp");
    }

    [Fact]
    public async Task Invite_OnlyTheTickedChosenWithNothingTicked_IsRefusedBesideTheFieldAndInvitesNobody()
    {
        var owner = await SignedInAccountAsync();
        await Api.CreateProductAsync(owner, "Garden Lamp");
        var email = $"sub-{Guid.NewGuid():N}@example.com";
        await Page.GotoAsync("settings/sub-accounts");

        await Page.GetByTestId("sub-account-email").FillAsync(email);
        await Page.GetByTestId("sub-account-password").FillAsync("Sub-Account-2026");
        await Page.GetByTestId("sub-account-role-choice").SelectOptionAsync("operator");
        await Page.GetByTestId("sub-account-products-choice-chosen").CheckAsync();
        await Expect(Page.GetByTestId("sub-account-products-choice").Locator("input[type=checkbox]:checked")).ToHaveCountAsync(0);
        await Page.GetByTestId("invite-sub-account").ClickAsync();

        await Expect(Page.Locator("[data-valmsg-for='Form.ProductKeys']")).ToHaveTextAsync(NoneChosen);
        await Expect(Page.GetByTestId("success")).ToHaveCountAsync(0);
        await Expect(Page.Locator($"tr[data-sub-account='{email}']")).ToHaveCountAsync(0);
        await Page.GotoAsync("settings/sub-accounts");
        await Expect(Page.GetByTestId("sub-accounts")).ToContainTextAsync("No sub-accounts yet.");
        await Expect(Page.Locator("tr[data-sub-account]")).ToHaveCountAsync(0);
    }

    private ILocator Row(string email) => Page.Locator($"tr[data-sub-account='{email}']");

    private ILocator EditForm(string email) => Page.Locator($"tr[data-sub-account='{email}'] + tr").GetByTestId("edit-sub-account");

    /// <summary>Opens the edit form of <paramref name="email"/>'s sub-account (a details element in the row below theirs).</summary>
    private async Task<ILocator> OpenEditAsync(string email)
    {
        var edit = EditForm(email);
        await edit.Locator("summary").ClickAsync();
        await Expect(edit.GetByTestId("save-sub-account")).ToBeVisibleAsync();
        return edit;
    }

    /// <summary>The owner (<see cref="ConsoleTest.Page"/>) deletes a product through the console's delete page.</summary>
    private async Task DeleteProductAsync(string productKey, string name)
    {
        await Page.GotoAsync($"products/{productKey}/delete");
        AcceptDialogs(Page);
        await Page.GetByTestId("delete-confirm").FillAsync(productKey);
        await Page.GetByTestId("delete-submit").ClickAsync();
        await Expect(Page).ToHaveURLAsync(new Regex("/products$"));
        await Expect(Page.GetByTestId("success")).ToContainTextAsync($"Deleted product {name}");
    }
}
