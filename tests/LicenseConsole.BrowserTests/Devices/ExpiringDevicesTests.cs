using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using System.Web;
using LicenseConsole.BrowserTests.Infrastructure;

namespace LicenseConsole.BrowserTests.Devices;

/// <summary>
/// Devices connected today, seen by the app whose clock runs 340 days ahead: their one-year licenses have about
/// 25 days left there, inside the 30-day threshold.
/// </summary>
public sealed class ExpiringDevicesTests(ConsoleFixture fixture) : ConsoleTest(fixture)
{
    private IPage Later { get; set; } = null!;

    private ILocator Rows => Later.GetByTestId("expiring-devices").Locator("tbody tr[data-device]");

    [Fact]
    public async Task Expiring_DevicesAYearOld_AreListedAndCountedOnTheOverview()
    {
        var (account, tracker, beacon) = await AccountWithDevicesAsync();
        await SignInLaterAsync(account);
        await Later.GotoAsync("");
        await Expect(Later.GetByTestId("expiring")).ToHaveTextAsync("5");

        await Later.GetByTestId("view-expiring").ClickAsync();

        await Expect(Rows).ToHaveCountAsync(5);
        await Expect(Rows.Locator("[data-status]")).ToHaveTextAsync(Enumerable.Repeat("Expiring soon", 5));
        var row = Later.Locator("tr[data-device='trk-001'] td");
        await Expect(row.Nth(0)).ToHaveTextAsync("Tracker");
        await Expect(row.Nth(1)).ToHaveTextAsync(tracker);
        await Expect(Later.Locator("tr[data-device='bcn-001'] td").Nth(1)).ToHaveTextAsync(beacon);

        // Days left: calendar days in the account's time zone from the later app's today to the expiry day.
        var expiry = account.DayOf((await Api.ConnectAsync(tracker, "trk-001")).ExpiresAt);
        var laterToday = account.DayOf(DateTime.UtcNow + ConsoleFixture.LaterOffset);
        var daysLeft = (expiry.DayNumber - laterToday.DayNumber).ToString(CultureInfo.InvariantCulture);
        await Expect(Later.Locator("tr[data-device='trk-001']").GetByTestId("days-left")).ToHaveTextAsync(daysLeft);
        await Screenshots.SaveAsync(Later, "expiring.png");
    }

    [Fact]
    public async Task Expiring_Filters_NarrowTheListAndShowTheEmptyState()
    {
        var (account, tracker, _) = await AccountWithDevicesAsync();
        var expiry = account.DayOf((await Api.ConnectAsync(tracker, "trk-001")).ExpiresAt);
        await SignInLaterAsync(account);
        await Later.GotoAsync("devices/expiring");

        await SearchAsync("filter-pk", "ProductKey", tracker);
        await Expect(Rows).ToHaveCountAsync(3);

        await SearchAsync("filter-dk", "DeviceKey", "trk-002");
        await Expect(Rows).ToHaveCountAsync(1);
        await Expect(Rows).ToHaveAttributeAsync("data-device", "trk-002");

        await Later.GotoAsync("devices/expiring");
        await Later.GetByTestId("filter-expires-from").FillAsync(expiry.AddDays(-1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        await SearchAsync("filter-expires-to", "ExpiresTo", expiry.AddDays(1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        await Expect(Rows).ToHaveCountAsync(5);

        await Later.GotoAsync("devices/expiring");
        await SearchAsync("filter-product-name", "ProductName", "no such product");
        await Expect(Rows).ToHaveCountAsync(0);
        await Expect(Later.GetByTestId("no-devices")).ToHaveTextAsync("No device matches the filters.");

        await Later.GotoAsync("devices/expiring");
        await Later.GetByTestId("tab-lapsed").ClickAsync();
        await Expect(Later.GetByTestId("expiring-devices")).ToContainTextAsync("No lapsed device.");
    }

    [Fact]
    public async Task ExportCsv_FilteredByProduct_DownloadsTheHeaderAndOneRowPerDevice()
    {
        var (account, tracker, _) = await AccountWithDevicesAsync();
        await SignInLaterAsync(account);
        await Later.GotoAsync("devices/expiring");
        await SearchAsync("filter-pk", "ProductKey", tracker);
        await Expect(Rows).ToHaveCountAsync(3);

        var download = await Later.RunAndWaitForDownloadAsync(() => Later.GetByTestId("export-csv").ClickAsync());

        Assert.Equal("expiring-devices-expiring.csv", download.SuggestedFilename);
        var lines = (await File.ReadAllTextAsync(await download.PathAsync(), Encoding.UTF8, Ct))
            .TrimStart('\uFEFF').Split("\r\n", StringSplitOptions.RemoveEmptyEntries).SelectMany(l => l.Split('\n', StringSplitOptions.RemoveEmptyEntries)).ToList();
        Assert.Equal("Product name,Product key,Device key,Status,Activation date,Expiry date,Auto-renew,Last data center", lines[0]);
        Assert.Equal(3, lines.Count - 1);
        Assert.Equal(["trk-001", "trk-002", "trk-003"], lines.Skip(1).Select(l => l.Split(',')[2]).Order(StringComparer.Ordinal));
        Assert.All(lines.Skip(1), line =>
        {
            var cells = line.Split(',');
            Assert.Equal(["Tracker", tracker], cells[..2]);
            Assert.Equal("Expiring soon", cells[3]);
            Assert.Matches(new Regex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}$"), cells[4]);
            Assert.Matches(new Regex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}$"), cells[5]);
            Assert.Equal(["On", "eu-west"], cells[6..]);
        });
    }

    [Fact]
    public async Task ExpiringSwitch_TurnedOffForOneDevice_ShowsOffForItAndOnForTheOthers()
    {
        var (account, _, _) = await AccountWithDevicesAsync();
        await SignInLaterAsync(account);
        await Later.GotoAsync("devices/expiring");
        var trk2 = Later.Locator("tr[data-device='trk-002']").GetByTestId("device-auto-renew");
        await Expect(trk2).ToBeCheckedAsync();

        await trk2.ClickAsync();

        await Expect(Later.GetByTestId("success")).ToContainTextAsync("Auto-renew is off for trk-002.");
        await Expect(Later).ToHaveURLAsync(new Regex("/devices/expiring$"));
        await Expect(trk2).Not.ToBeCheckedAsync();
        await Expect(Later.Locator("tr[data-device='trk-001']").GetByTestId("device-auto-renew")).ToBeCheckedAsync();
    }

    /// <summary>An account whose product Tracker has devices trk-001..003 and Beacon bcn-001..002, all connected today.</summary>
    private async Task<(TestAccount Account, string Tracker, string Beacon)> AccountWithDevicesAsync()
    {
        var account = await Api.CreateAccountAsync();
        var tracker = await Api.ProductWithLicensesAsync(account, "Tracker", 10);
        var beacon = await Api.ProductWithLicensesAsync(account, "Beacon", 5);
        await Api.ConnectManyAsync(tracker, "trk-", 3);
        await Api.ConnectManyAsync(beacon, "bcn-", 2);
        return (account, tracker, beacon);
    }

    private async Task SignInLaterAsync(TestAccount account)
    {
        Later = await NewPageAsync(await Fixture.LaterAppAsync());
        await SignInAsync(Later, account);
    }

    /// <summary>Types <paramref name="value"/> into a filter, searches, and waits for the page of that search.</summary>
    private async Task SearchAsync(string filterTestId, string parameter, string value)
    {
        await Later.GetByTestId(filterTestId).FillAsync(value);
        await Later.GetByTestId("filter-apply").ClickAsync();
        // Asserted, not awaited as an event: WaitForURLAsync can miss the navigation it waits for (playwright-dotnet#3364).
        await Expect(Later).ToHaveURLAsync(new Regex($"[?&]{parameter}={Regex.Escape(HttpUtility.UrlEncode(value))}(&|$)"));
    }
}
