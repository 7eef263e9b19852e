using LicenseConsole.BrowserTests.Infrastructure;

namespace LicenseConsole.BrowserTests.Dashboard;

/// <summary>
/// The overview's shortfall banner and totals tell what is true now: the first page load after a purchase or an
/// allocation, through the API or through the console, shows it (nothing cached from before it). Read 340 days on
/// (the later app), when the product's devices are due for renewal.
/// </summary>
public sealed class FreshFiguresTests(ConsoleFixture fixture) : ConsoleTest(fixture)
{
    [Fact]
    public async Task BannerAndTotals_PurchaseThenAllocationThroughTheApiAndTheConsole_ChangeOnTheFirstLoadAfterEach()
    {
        // Door Lock: 3 licenses, 3 devices, none left; its 3 renewals fall due in 25 days.
        var account = await Api.CreateAccountAsync();
        var doorLock = await Api.ProductWithLicensesAsync(account, "Door Lock", 3);
        await Api.ConnectManyAsync(doorLock, "lock-", 3);
        var later = await NewPageAsync(await Fixture.LaterAppAsync());
        await SignInAsync(later, account);

        var before = await FiguresAsync(later);
        Assert.Equal(("3", "0", "0", "0"), (before.Total, before.Remaining, before.Unallocated, before.DoorLockAvailable));
        Assert.Contains("Door Lock — 3 renewals due, 0 licenses left, 3 short", before.Banner);

        // A purchase through the API: the account's totals change, the product is still short.
        await Api.BuyAsync(account, "STD-1Y", 10);
        var bought = await FiguresAsync(later);
        Assert.Equal(("13", "10", "10", "0"), (bought.Total, bought.Remaining, bought.Unallocated, bought.DoorLockAvailable));
        Assert.Contains("3 short", bought.Banner);

        // An allocation of 1 through the API: 2 short now.
        await Api.AllocateAsync(account, doorLock, "STD-1Y", 1);
        var allocated = await FiguresAsync(later);
        Assert.Equal(("13", "10", "9", "1"), (allocated.Total, allocated.Remaining, allocated.Unallocated, allocated.DoorLockAvailable));
        Assert.Contains("Door Lock — 3 renewals due, 1 licenses left, 2 short", allocated.Banner);

        // An allocation of 5 through the console's dialog: covered, the banner is gone on the page the dialog leads to.
        await later.GetByTestId("open-allocate").First.ClickAsync();
        await later.GetByTestId("allocate-product").SelectOptionAsync(doorLock);
        await Expect(later.GetByTestId("allocate-max")).ToHaveTextAsync("Maximum allocatable: 9");
        await later.GetByTestId("allocate-quantity").FillAsync("5");
        await later.GetByTestId("allocate-next").ClickAsync();
        await later.GetByTestId("allocate-confirm").ClickAsync();
        await Expect(later.GetByTestId("success")).ToContainTextAsync("Allocated 5 STD-1Y licenses to Door Lock.");
        Assert.Equal(0, await later.GetByTestId("shortfall-banner").CountAsync());
        Assert.Equal("4", await later.GetByTestId("unallocated").InnerTextAsync());

        var covered = await FiguresAsync(later);
        Assert.Equal(("13", "10", "4", "6"), (covered.Total, covered.Remaining, covered.Unallocated, covered.DoorLockAvailable));
        Assert.Null(covered.Banner);
    }

    [Fact]
    public async Task AllocateDialog_Chinese_NamesTheSpecInChineseFromTheCatalog()
    {
        var account = await Api.CreateAccountAsync();
        var productKey = await Api.CreateProductAsync(account, "门锁");
        await Api.BuyAsync(account, "STD-2Y", 4);
        await SignInAsync(Page, account);
        await Page.GotoAsync("");
        await Page.GetByTestId("culture-zh").ClickAsync();
        await Expect(Page.Locator("html")).ToHaveAttributeAsync("lang", "zh-CN");

        await Page.GetByTestId("open-allocate").First.ClickAsync();
        await Page.GetByTestId("allocate-product").SelectOptionAsync(productKey);

        await Expect(Page.GetByTestId("allocate-spec").Locator("option:checked")).ToHaveTextAsync("标准版 2 年（STD-2Y）");
        await Page.GotoAsync($"allocations/new?productKey={productKey}");
        await Expect(Page.Locator("#SpecCode option:checked")).ToContainTextAsync("标准版 2 年（STD-2Y）");
    }

    private sealed record Figures(string Total, string Remaining, string Unallocated, string DoorLockAvailable, string? Banner);

    /// <summary>Loads the overview once and reads its figures as that load shows them (no waiting for a change).</summary>
    private static async Task<Figures> FiguresAsync(IPage page)
    {
        var response = await page.GotoAsync("");
        Assert.Equal(200, response?.Status);
        var banner = page.GetByTestId("shortfall-banner");
        return new Figures(
            await page.GetByTestId("total").InnerTextAsync(),
            await page.GetByTestId("remaining").InnerTextAsync(),
            await page.GetByTestId("unallocated").InnerTextAsync(),
            await page.GetByTestId("dashboard-products").Locator("tbody tr", new() { HasText = "Door Lock" }).Locator("td").Nth(4).InnerTextAsync(),
            await banner.CountAsync() == 0 ? null : (await banner.InnerTextAsync()).ReplaceLineEndings(" "));
    }
}
