using LicenseConsole.BrowserTests.Infrastructure;

namespace LicenseConsole.BrowserTests.Dashboard;

/// <summary>The overview 340 days on (the later app): devices expiring, the renewal forecast and a product that will run short.</summary>
public sealed class ForecastTests(ConsoleFixture fixture) : ConsoleTest(fixture)
{
    [Fact]
    public async Task Dashboard_DevicesExpiringAndAPoolTooSmall_CountsThemAndFlagsTheProduct()
    {
        var sample = await SampleAccount.CreateAsync(Api);
        var later = await NewPageAsync(await Fixture.LaterAppAsync());
        await SignInAsync(later, sample.Account);

        await later.GotoAsync("");

        // One-year licenses activated today have 25 days left; two-year ones are not expiring.
        var expiring = sample.Products.Where(p => p.SpecCode == "STD-1Y").Sum(p => p.Devices);
        await Expect(later.GetByTestId("expiring")).ToHaveTextAsync(expiring.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var banner = later.GetByTestId("shortfall-banner");
        await Expect(banner).ToContainTextAsync("1 product(s) will run short of licenses within 90 days.");
        await Expect(banner).ToContainTextAsync("Air Purifier — 8 renewals due, 2 licenses left, 6 short");
        await Expect(later.Locator("tr", new() { HasText = "Air Purifier" }).GetByTestId("short-flag")).ToBeVisibleAsync();
        await Expect(later.Locator("#forecast-chart")).ToBeVisibleAsync();
        await Expect(later.GetByTestId("forecast-all-covered")).ToHaveCountAsync(0);
        await Screenshots.SaveAsync(later, "dashboard.en.png");

        await later.GetByTestId("culture-zh").ClickAsync();

        await Expect(later.GetByTestId("shortfall-banner")).ToContainTextAsync("有 1 个产品的激活码将在 90 天内不足。");
        var chart = await DashboardCharts.ReadAsync(later, DashboardCharts.Forecast);
        Assert.Equal(["可续费", "缺激活码：Air Purifier"], chart.Datasets.Select(d => d.Label));
        await Screenshots.SaveAsync(later, "dashboard.zh-CN.png");
    }

    [Fact]
    public async Task ForecastChart_OneProductShortOneWithLicensesToSpare_NamesTheShortProductInItsWeekAndSumsNoPools()
    {
        // Air Purifier: 10 licenses, 8 devices, 2 left; Smart Thermostat: 50 licenses, 12 devices, 38 left. All due in
        // the same week (one-year licenses, 25 days left). Added up, the pools would cover all 20 renewals.
        var sample = await SampleAccount.CreateAsync(Api);
        var purifier = sample.Products.Single(p => p.Name == "Air Purifier");
        var later = await NewPageAsync(await Fixture.LaterAppAsync());
        await SignInAsync(later, sample.Account);

        await later.GotoAsync("");
        var chart = await DashboardCharts.ReadAsync(later, DashboardCharts.Forecast);

        Assert.Equal(13, chart.Labels.Count);
        Assert.All(chart.Datasets, d => Assert.Equal("bar", d.Type));
        Assert.Equal(["Renewals covered", "Short: Air Purifier"], chart.Datasets.Select(d => d.Label));
        var shortBy = chart.Dataset("Short: Air Purifier");
        Assert.Equal(purifier.ProductKey, shortBy.ProductKey);
        var week = Assert.Single(Enumerable.Range(0, chart.Labels.Count), w => shortBy.Data[w] > 0);
        Assert.Equal(6, shortBy.Data[week]);
        Assert.Equal(2 + 12, chart.Dataset("Renewals covered").Data[week]);
        Assert.Equal(20, chart.Datasets.Sum(d => d.Data.Sum()));

        var tooltip = await DashboardCharts.TooltipAsync(later, DashboardCharts.Forecast, week);
        Assert.Equal($"Week of {chart.Labels[week]}", tooltip.Title);
        Assert.Equal(["Renewals covered: 14", "Air Purifier: 6 without a license"], tooltip.Lines);
        Assert.Equal("Renewals due: 20", tooltip.Footer);
    }

    [Fact]
    public async Task ForecastChart_SixProductsShort_NamesTheFourShortByTheMostAndSumsTheOtherTwo()
    {
        // Product i holds i licenses and i devices: none left, so all i renewals of each are short.
        var account = await Api.CreateAccountAsync();
        var keys = new List<string>();
        for (var i = 1; i <= 6; i++)
        {
            var productKey = await Api.ProductWithLicensesAsync(account, $"Sensor line {i}", i);
            await Api.ConnectManyAsync(productKey, $"s{i}-", i);
            keys.Add(productKey);
        }

        var later = await NewPageAsync(await Fixture.LaterAppAsync());
        await SignInAsync(later, account);
        await later.GotoAsync("");
        var chart = await DashboardCharts.ReadAsync(later, DashboardCharts.Forecast);

        Assert.Equal(
            ["Renewals covered", "Short: Sensor line 6", "Short: Sensor line 5", "Short: Sensor line 4", "Short: Sensor line 3", "Short: 2 other products"],
            chart.Datasets.Select(d => d.Label));
        Assert.Equal([keys[5], keys[4], keys[3], keys[2], null], chart.Datasets.Skip(1).Select(d => d.ProductKey));
        Assert.Equal([6.0, 5, 4, 3, 1 + 2], chart.Datasets.Skip(1).Select(d => d.Data.Sum()));
        Assert.Equal(0, chart.Dataset("Renewals covered").Data.Sum());
    }
}
