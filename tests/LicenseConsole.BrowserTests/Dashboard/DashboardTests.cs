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

    [Theory]
    [InlineData(1280, 800)]
    [InlineData(390, 844)]
    public async Task UsageChart_LongNameAndOneVeryLargeProduct_SharesOnOneScaleLabelsCutFullNameInTheTooltip(int width, int height)
    {
        var longName = ("Greenhouse climate controller for the northern plant with a name as long as the field allows " + new string('W', 200))[..200];
        var account = await SignedInAccountAsync();
        await ProductWithDevicesAsync(account, "Fleet tracker", 5000, 10);
        await ProductWithDevicesAsync(account, longName, 4, 3);
        await ProductWithDevicesAsync(account, "Door sensor", 10, 5);
        await Page.SetViewportSizeAsync(width, height);

        await Page.GotoAsync("");
        var chart = await DashboardCharts.ReadAsync(Page, DashboardCharts.Usage);

        // Shares of each product's own licenses, most used first: the 5,000-license product does not flatten the others.
        Assert.Equal([longName, "Door sensor", "Fleet tracker"], chart.Labels);
        Assert.Equal([75.0, 50, 0.2], chart.Dataset("Used").Data);
        Assert.Equal([25.0, 50, 99.8], chart.Dataset("Available").Data);

        // The long name is cut with an ellipsis; the plot keeps most of the width.
        var label = chart.AxisLabels[0];
        Assert.EndsWith("…", label, StringComparison.Ordinal);
        Assert.StartsWith(label[..^1], longName, StringComparison.Ordinal);
        Assert.True(label.Length < 40, $"The axis shows {label.Length} characters of the name: '{label}'.");
        Assert.Equal(["Door sensor", "Fleet tracker"], chart.AxisLabels.Skip(1));
        Assert.True(chart.PlotWidth >= chart.Width * 0.5, $"The plot is {chart.PlotWidth} px of the chart's {chart.Width} px.");

        var tooltip = await DashboardCharts.TooltipAsync(Page, DashboardCharts.Usage, 0);
        Assert.Equal(Spaceless(longName), Spaceless(tooltip.Title));
        Assert.True(tooltip.Title.Split('\n').Length > 1, "The tooltip shows the long name on one line, wider than the chart.");
        Assert.Equal(["Used: 3 of 4 (75%)", "Available: 1 of 4 (25%)"], tooltip.Lines);
        var fleetTooltip = await DashboardCharts.TooltipAsync(Page, DashboardCharts.Usage, 2);
        Assert.Equal(["Used: 10 of 5,000 (0.2%)", "Available: 4,990 of 5,000 (99.8%)"], fleetTooltip.Lines);
    }

    [Fact]
    public async Task UsageChart_MoreProductsThanBars_ShowsTheMostUsedAndSaysHowManyHoldLicenses()
    {
        var account = await SignedInAccountAsync();
        for (var i = 1; i <= 11; i++)
        {
            await ProductWithDevicesAsync(account, $"Meter {i:00}", 20, i);
        }

        await Page.GotoAsync("");
        var chart = await DashboardCharts.ReadAsync(Page, DashboardCharts.Usage);

        Assert.Equal(Enumerable.Range(2, 10).Reverse().Select(i => $"Meter {i:00}"), chart.Labels);
        await Expect(Page.GetByTestId("usage-capped")).ToHaveTextAsync("The 10 products with the highest share used, of 11 that hold licenses.");
    }

    [Fact]
    public async Task Charts_NoProducts_SayThereIsNothingToShow()
    {
        await SignedInAccountAsync();

        await Page.GotoAsync("");

        await Expect(Page.GetByTestId("usage-empty")).ToHaveTextAsync("No product holds licenses yet.");
        await Expect(Page.GetByTestId("forecast-all-covered")).ToHaveTextAsync("Every product's licenses cover its renewals due in the next 90 days.");
        Assert.Empty((await DashboardCharts.ReadAsync(Page, DashboardCharts.Forecast)).Datasets.Skip(1));
    }

    private async Task ProductWithDevicesAsync(TestAccount account, string name, int licenses, int devices)
    {
        var productKey = await Api.ProductWithLicensesAsync(account, name, licenses);
        await Api.ConnectManyAsync(productKey, PlatformApi.NewKey("d") + "-", devices);
    }

    private static string Spaceless(string text) => string.Concat(text.Where(c => !char.IsWhiteSpace(c)));

    private static string Number(int value) => value.ToString("N0", CultureInfo.GetCultureInfo("en"));
}
