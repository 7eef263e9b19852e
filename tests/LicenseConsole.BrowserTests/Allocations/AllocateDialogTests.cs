using System.Text.RegularExpressions;
using LicenseConsole.BrowserTests.Infrastructure;

namespace LicenseConsole.BrowserTests.Allocations;

public sealed class AllocateDialogTests(ConsoleFixture fixture) : ConsoleTest(fixture)
{
    private ILocator Dialog => Page.Locator("#allocate-dialog");

    [Fact]
    public async Task Allocate_ThroughTheDialog_ConfirmStepWarnsAndTheTotalsChangeOnTheOverview()
    {
        var (account, productKey) = await AccountWithPoolAndProductAsync();
        await SignInAsync(Page, account);
        await Page.GotoAsync("");
        await Expect(Page.GetByTestId("unallocated")).ToHaveTextAsync("100");

        await Page.GetByTestId("open-allocate").ClickAsync();
        await Page.GetByTestId("allocate-product").SelectOptionAsync(productKey);
        await Expect(Page.GetByTestId("allocate-max")).ToHaveTextAsync("Maximum allocatable: 100");
        await Expect(Page.GetByTestId("allocate-spec")).ToHaveValueAsync("STD-1Y");
        await Page.GetByTestId("allocate-quantity").FillAsync("30");
        await Page.GetByTestId("allocate-next").ClickAsync();

        await Expect(Page.GetByTestId("allocate-summary")).ToHaveTextAsync("Allocate 30 STD-1Y licenses to Gateway.");
        await Expect(Dialog).ToContainTextAsync("An allocation cannot be undone.");
        await Expect(Dialog).ToContainTextAsync("Gateway will hold 40 licenses (now 10).");
        await Expect(Dialog).ToContainTextAsync("Unallocated STD-1Y licenses left: 70 (now 100).");
        await Screenshots.SaveAsync(Page, "allocate-dialog.png");
        await Page.GetByTestId("allocate-confirm").ClickAsync();

        await Expect(Page.GetByTestId("success")).ToContainTextAsync("Allocated 30 STD-1Y licenses to Gateway.");
        await Expect(Page.GetByTestId("unallocated")).ToHaveTextAsync("70");
        await Expect(Page.GetByTestId("total")).ToHaveTextAsync("110");
        var row = Page.GetByTestId("dashboard-products").Locator("tbody tr", new() { HasText = "Gateway" });
        await Expect(row.Locator("td").Nth(2)).ToHaveTextAsync("40");
    }

    [Fact]
    public async Task AllocateDialog_QuantityAboveTheMaximum_RefusesWithAMessageAndStaysOnTheFirstStep()
    {
        var (account, productKey) = await AccountWithPoolAndProductAsync();
        await SignInAsync(Page, account);
        await Page.GotoAsync("");

        await Page.GetByTestId("open-allocate").ClickAsync();
        await Page.GetByTestId("allocate-product").SelectOptionAsync(productKey);
        await Expect(Page.GetByTestId("allocate-max")).ToHaveTextAsync("Maximum allocatable: 100");
        await Page.GetByTestId("allocate-quantity").FillAsync("101");
        await Page.GetByTestId("allocate-next").ClickAsync();

        await Expect(Page.GetByTestId("allocate-quantity-error")).ToBeVisibleAsync();
        await Expect(Page.GetByTestId("allocate-quantity-error")).ToHaveTextAsync("Enter a whole number from 1 to 100.");
        await Expect(Page.GetByTestId("allocate-quantity")).ToHaveClassAsync(new Regex("is-invalid"));
        await Expect(Page.GetByTestId("allocate-confirm")).ToBeHiddenAsync();
        await Expect(Page.GetByTestId("allocate-summary")).ToBeHiddenAsync();
    }

    [Fact]
    public async Task AllocateDialog_ConfirmDoubleClicked_AllocatesOnce()
    {
        var (account, productKey) = await AccountWithPoolAndProductAsync();
        await SignInAsync(Page, account);
        await Page.GotoAsync("");
        await Page.GetByTestId("open-allocate").ClickAsync();
        await Page.GetByTestId("allocate-product").SelectOptionAsync(productKey);
        await Expect(Page.GetByTestId("allocate-max")).ToHaveTextAsync("Maximum allocatable: 100");
        await Page.GetByTestId("allocate-quantity").FillAsync("25");
        await Page.GetByTestId("allocate-next").ClickAsync();

        await Page.GetByTestId("allocate-confirm").DblClickAsync();

        await Expect(Page.GetByTestId("success")).ToContainTextAsync("Allocated 25 STD-1Y licenses to Gateway.");
        await Expect(Page.GetByTestId("unallocated")).ToHaveTextAsync("75");
        await Page.GotoAsync("allocations");
        await Expect(Page.GetByTestId("allocations").Locator("tbody tr")).ToHaveCountAsync(1);
        await Expect(Page.GetByTestId("allocations").Locator("tbody tr td").Nth(4)).ToHaveTextAsync("25");
    }

    /// <summary>An account with 100 unallocated STD-1Y licenses and a product "Gateway" holding 10 of that spec.</summary>
    private async Task<(TestAccount Account, string ProductKey)> AccountWithPoolAndProductAsync()
    {
        var account = await Api.CreateAccountAsync();
        await Api.BuyAsync(account, "STD-1Y", 100);
        var productKey = await Api.ProductWithLicensesAsync(account, "Gateway", 10);
        return (account, productKey);
    }
}
