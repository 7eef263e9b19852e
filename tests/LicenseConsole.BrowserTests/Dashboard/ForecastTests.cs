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
        await Screenshots.SaveAsync(later, "dashboard.en.png");

        await later.GetByTestId("culture-zh").ClickAsync();

        await Expect(later.GetByTestId("shortfall-banner")).ToContainTextAsync("有 1 个产品的激活码将在 90 天内不足。");
        await Screenshots.SaveAsync(later, "dashboard.zh-CN.png");
    }
}
