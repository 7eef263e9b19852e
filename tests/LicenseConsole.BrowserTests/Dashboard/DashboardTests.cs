using System.Globalization;
using LicenseConsole.BrowserTests.Infrastructure;

namespace LicenseConsole.BrowserTests.Dashboard;

public sealed class DashboardTests(ConsoleFixture fixture) : ConsoleTest(fixture)
{
    [Fact]
    public async Task Dashboard_AccountWithProductsAndDevices_ShowsTotalsThatMatchTheData()
    {
        var sample = await SampleAccount.CreateAsync(Api);

        await SignInAsync(Page, sample.Account);

        await Page.GotoAsync("");

        await Expect(Page.GetByTestId("total")).ToHaveTextAsync(Number(sample.Total));
        await Expect(Page.GetByTestId("used")).ToHaveTextAsync(Number(sample.Used));
        await Expect(Page.GetByTestId("remaining")).ToHaveTextAsync(Number(sample.Remaining));
        await Expect(Page.GetByTestId("unallocated")).ToHaveTextAsync(Number(sample.UnallocatedTotal));
        await Expect(Page.GetByTestId("expiring")).ToHaveTextAsync("0");
        await Expect(Page.GetByTestId("data-center")).ToContainTextAsync("eu-west");
        foreach (var product in sample.Products)
        {
            var row = Page.GetByTestId("dashboard-products").Locator("tbody tr", new() { HasText = product.Name });
            await Expect(row.Locator("td")).ToHaveTextAsync([
                product.Name, product.SpecCode, Number(product.Licenses), Number(product.Devices), Number(product.Licenses - product.Devices), "Details"]);
        }
    }

    [Fact]
    public async Task ViewUnallocated_TwoSpecsBought_ListsEachSpecWithItsQuantity()
    {
        var sample = await SampleAccount.CreateAsync(Api);
        await SignInAsync(Page, sample.Account);
        await Page.GotoAsync("");

        await Page.GetByTestId("view-unallocated").ClickAsync();

        var table = Page.GetByTestId("unallocated-by-spec");
        await Expect(table).ToBeVisibleAsync();
        await Expect(table.Locator("tbody tr")).ToHaveCountAsync(2);
        await Expect(table.Locator("tbody tr").Nth(0).Locator("td")).ToHaveTextAsync(["Standard, 1 year (STD-1Y)", "12 months", Number(sample.Unallocated["STD-1Y"])]);
        await Expect(table.Locator("tbody tr").Nth(1).Locator("td")).ToHaveTextAsync(["Standard, 2 years (STD-2Y)", "24 months", Number(sample.Unallocated["STD-2Y"])]);
    }

    [Fact]
    public async Task ViewUnallocated_NothingBought_SaysThereAreNone()
    {
        await SignedInAccountAsync();
        await Page.GotoAsync("");

        await Expect(Page.GetByTestId("total")).ToHaveTextAsync("0");
        await Page.GetByTestId("view-unallocated").ClickAsync();

        await Expect(Page.GetByTestId("unallocated-by-spec")).ToContainTextAsync("No unallocated licenses.");
    }

    private static string Number(int value) => value.ToString("N0", CultureInfo.GetCultureInfo("en"));
}
