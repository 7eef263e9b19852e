using System.Globalization;
using System.Text.RegularExpressions;
using LicenseConsole.BrowserTests.Infrastructure;

namespace LicenseConsole.BrowserTests.Products;

public sealed class ProductDetailTests(ConsoleFixture fixture) : ConsoleTest(fixture)
{
    private ILocator DeviceRows => Page.GetByTestId("devices").Locator("tbody tr[data-device]");

    [Fact]
    public async Task Devices_NoneYet_SaysNoDeviceHasConnectedAndTheClearLinkTakesNoRoomItShows()
    {
        var account = await SignedInAccountAsync();
        var productKey = await Api.ProductWithLicensesAsync(account, "Smart Meter", 10);
        await Page.GotoAsync($"products/{productKey}");

        await Expect(Page.GetByTestId("no-devices")).ToHaveTextAsync("No device has connected to this product yet.");
        await Expect(Page.GetByTestId("clear-filters")).Not.ToBeVisibleAsync();
        var label = (await Page.Locator("label[for='filter-dk']").BoundingBoxAsync())!;

        await FilterByDeviceKeyAsync("meter");

        await Expect(Page.GetByTestId("no-devices")).ToHaveTextAsync("No device matches the filters.");
        await Expect(Page.GetByTestId("clear-filters")).ToBeVisibleAsync();
        var moved = (await Page.Locator("label[for='filter-dk']").BoundingBoxAsync())!;
        Assert.Equal((label.X, label.Y), (moved.X, moved.Y));
    }

    [Fact]
    public async Task Devices_ActivationDateRange_ShowsOnlyTheDevicesActivatedInIt()
    {
        var account = await SignedInAccountAsync();
        var productKey = await Api.ProductWithLicensesAsync(account, "Smart Meter", 10);
        var today = await ConnectAsync(Api, account, productKey, "today-a", "today-b", "today-c");
        var later = await ConnectAsync(await Fixture.LaterApiAsync(), account, productKey, "later-a", "later-b");
        await Page.GotoAsync($"products/{productKey}");
        await Expect(DeviceRows).ToHaveCountAsync(5);

        await FilterByActivationAsync(today, today);
        await ExpectDevicesAsync("today-a", "today-b", "today-c");

        await FilterByActivationAsync(later, later.AddDays(1));
        await ExpectDevicesAsync("later-a", "later-b");

        await FilterByActivationAsync(today.AddDays(-7), today.AddDays(-1));
        await Expect(DeviceRows).ToHaveCountAsync(0);
        await Expect(Page.GetByTestId("devices")).ToContainTextAsync("No device matches the filters.");
    }

    [Fact]
    public async Task Devices_DeviceKeyFilter_ShowsTheDevicesWhoseKeyStartsWithIt()
    {
        var account = await SignedInAccountAsync();
        var productKey = await Api.ProductWithLicensesAsync(account, "Smart Meter", 10);
        await ConnectAsync(Api, account, productKey, "meter-a01", "meter-a02", "meter-b01");
        await Page.GotoAsync($"products/{productKey}");

        await FilterByDeviceKeyAsync("meter-a");
        await ExpectDevicesAsync("meter-a01", "meter-a02");

        await FilterByDeviceKeyAsync("METER-B01");
        await ExpectDevicesAsync("meter-b01");

        await FilterByDeviceKeyAsync("other");
        await Expect(Page.GetByTestId("devices")).ToContainTextAsync("No device matches the filters.");
    }

    [Fact]
    public async Task Devices_MoreThan25_NextPageShowsTheRestAndPreviousGoesBack()
    {
        var account = await SignedInAccountAsync();
        var productKey = await Api.ProductWithLicensesAsync(account, "Smart Meter", 40);
        var all = await Api.ConnectManyAsync(productKey, "dev-", 30);
        await Page.GotoAsync($"products/{productKey}");

        await Expect(DeviceRows).ToHaveCountAsync(25);
        await Expect(Page.GetByTestId("device-count")).ToHaveTextAsync("30 devices");
        var first = await DeviceKeysAsync();

        await Page.GetByTestId("devices-next").ClickAsync();

        await Expect(DeviceRows).ToHaveCountAsync(5);
        var second = await DeviceKeysAsync();
        Assert.Equal(all.Order(StringComparer.Ordinal), first.Concat(second).Order(StringComparer.Ordinal));
        await Expect(Page.GetByTestId("devices-next")).ToHaveCountAsync(0);

        await Page.GetByTestId("devices-previous").ClickAsync();

        await Expect(DeviceRows).ToHaveCountAsync(25);
        Assert.Equal(first, await DeviceKeysAsync());
    }

    [Fact]
    public async Task ActivationRecords_FromADevicesRow_ShowTheFirstConnection()
    {
        var sample = await SampleAccount.CreateAsync(Api);
        var product = sample.Products[0];
        await Api.ConnectAsync(product.ProductKey, "st-001", "cn-east");
        await SignInAsync(Page, sample.Account);
        await Page.GotoAsync($"products/{product.ProductKey}");
        await Expect(Page.GetByTestId("product-name")).ToHaveTextAsync(product.Name);
        await Expect(Page.GetByTestId("used")).ToHaveTextAsync(product.Devices.ToString(CultureInfo.InvariantCulture));
        await Screenshots.SaveAsync(Page, "product-detail.png");

        await Page.Locator("tr[data-device='st-001']").GetByTestId("activation-records").ClickAsync();

        await Expect(Page.GetByTestId("device-key")).ToHaveTextAsync("st-001");
        var activations = Page.GetByTestId("activations").Locator("tbody tr");
        await Expect(activations).ToHaveCountAsync(1);
        await Expect(activations.Locator("td").Nth(2)).ToHaveTextAsync("First connection");
        await Expect(activations.Locator("td").Nth(3)).ToHaveTextAsync("STD-1Y");
        await Expect(activations.Locator("td").Nth(4)).ToHaveTextAsync("eu-west");
        await Expect(Page.Locator("dl")).ToContainTextAsync("Last data center");
        await Expect(Page.Locator("dl dd").Last).ToHaveTextAsync("cn-east");
        await Screenshots.SaveAsync(Page, "device-activations.png");
    }

    /// <summary>Connects the devices through <paramref name="api"/> and returns the day (account's time zone) the first was activated on.</summary>
    private static async Task<DateOnly> ConnectAsync(PlatformApi api, TestAccount account, string productKey, params string[] deviceKeys)
    {
        DateTime? first = null;
        foreach (var deviceKey in deviceKeys)
        {
            var connection = await api.ConnectAsync(productKey, deviceKey);
            first ??= connection.ActivatedAt;
        }

        return account.DayOf(first!.Value);
    }

    private async Task FilterByActivationAsync(DateOnly from, DateOnly to)
    {
        await Page.GetByTestId("filter-activated-from").FillAsync(Day(from));
        await Page.GetByTestId("filter-activated-to").FillAsync(Day(to));
        await Page.GetByTestId("filter-apply").ClickAsync();
        await Expect(Page).ToHaveURLAsync(new Regex($"ActivatedFrom={Day(from)}&ActivatedTo={Day(to)}"));
    }

    private async Task FilterByDeviceKeyAsync(string deviceKey)
    {
        await Page.GetByTestId("filter-dk").FillAsync(deviceKey);
        await Page.GetByTestId("filter-apply").ClickAsync();
        await Expect(Page).ToHaveURLAsync(new Regex($"DeviceKey={Regex.Escape(deviceKey)}"));
    }

    private async Task ExpectDevicesAsync(params string[] deviceKeys)
    {
        await Expect(DeviceRows).ToHaveCountAsync(deviceKeys.Length);
        Assert.Equal(deviceKeys.Order(StringComparer.Ordinal), (await DeviceKeysAsync()).Order(StringComparer.Ordinal));
    }

    private async Task<IReadOnlyList<string>> DeviceKeysAsync() =>
        [.. (await DeviceRows.EvaluateAllAsync<string[]>("rows => rows.map(r => r.getAttribute('data-device'))"))];

    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
