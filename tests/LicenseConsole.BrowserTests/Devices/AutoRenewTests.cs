using LicenseConsole.BrowserTests.Infrastructure;

namespace LicenseConsole.BrowserTests.Devices;

public sealed class AutoRenewTests(ConsoleFixture fixture) : ConsoleTest(fixture)
{
    private const string AutoRenewOffReason = "Auto-renew is off for the whole product; turn it on for the product to change single devices.";

    private ILocator DeviceSwitch => Page.GetByTestId("device-auto-renew");

    [Fact]
    public async Task DeviceSwitch_TurnedOffOnTheDevicePage_ShowsOffAndPutsTheDeviceOnTheBlacklist()
    {
        var productKey = await SignedInWithDeviceAsync("meter-1");
        await Page.GotoAsync($"products/{productKey}/devices/meter-1");
        await Expect(DeviceSwitch).ToBeCheckedAsync();

        await DeviceSwitch.ClickAsync();

        await Expect(Page.GetByTestId("success")).ToContainTextAsync("Auto-renew is off for meter-1.");
        await Expect(DeviceSwitch).Not.ToBeCheckedAsync();
        await Page.GotoAsync($"products/{productKey}");
        await Expect(Page.Locator("tr[data-device='meter-1']").GetByTestId("device-auto-renew")).Not.ToBeCheckedAsync();
        await Expect(Page.Locator("tr[data-device='meter-1']").GetByTestId("device-auto-renew")).ToBeEnabledAsync();
        await Expect(Page.GetByTestId("blacklist")).ToContainTextAsync("meter-1");
    }

    [Fact]
    public async Task Blacklist_DeviceTheProductDoesNotHave_ShowsTheMessageOnTheScreenBesideTheField()
    {
        var account = await SignedInAccountAsync();
        var productKey = await Api.ProductWithLicensesAsync(account, "Smart Meter", 20);
        await Api.ConnectManyAsync(productKey, "meter-", 15);
        await Page.GotoAsync($"products/{productKey}");
        await Expect(Page.GetByTestId("blacklist-dk")).Not.ToBeInViewportAsync();

        await Page.GetByTestId("blacklist-dk").FillAsync("no-such-meter");
        await Page.GetByTestId("blacklist-add").ClickAsync();

        // The page comes back where the form was, not at its top: the message and the field are on the screen.
        await Expect(Page.GetByTestId("blacklist-error")).ToBeVisibleAsync();
        await Expect(Page.GetByTestId("blacklist-error")).ToBeInViewportAsync();
        await Expect(Page.GetByTestId("blacklist-dk")).ToBeInViewportAsync();
        await Expect(Page.GetByTestId("blacklist")).ToContainTextAsync("No device is blacklisted.");
    }

    [Fact]
    public async Task DeviceSwitch_TurnedBackOn_ShowsOnAndEmptiesTheBlacklist()
    {
        var productKey = await SignedInWithDeviceAsync("meter-1");
        await Page.GotoAsync($"products/{productKey}/devices/meter-1");
        await DeviceSwitch.ClickAsync();
        await Expect(Page.GetByTestId("success")).ToContainTextAsync("Auto-renew is off for meter-1.");

        await DeviceSwitch.ClickAsync();

        await Expect(Page.GetByTestId("success")).ToContainTextAsync("Auto-renew is on for meter-1.");
        await Expect(DeviceSwitch).ToBeCheckedAsync();
        await Page.GotoAsync($"products/{productKey}");
        await Expect(Page.GetByTestId("blacklist")).ToContainTextAsync("No device is blacklisted.");
    }

    [Fact]
    public async Task ProductSwitch_TurnedOff_DisablesTheDeviceSwitchWithTheReason()
    {
        var productKey = await SignedInWithDeviceAsync("meter-1");

        await TurnProductAutoRenewAsync(productKey, on: false);

        await Expect(Page.GetByTestId("product-auto-renew")).ToHaveTextAsync("Off");
        await Expect(Page.GetByTestId("blacklist-add")).ToBeDisabledAsync();

        // The product's device list shows auto-renew as in effect: off, with why, though the device is not blacklisted.
        var row = Page.Locator("tr[data-device='meter-1']");
        await Expect(row.GetByTestId("device-auto-renew")).Not.ToBeCheckedAsync();
        await Expect(row.GetByTestId("device-auto-renew")).ToBeDisabledAsync();
        await Expect(row.GetByTestId("auto-renew-reason")).ToHaveTextAsync("Off for the whole product");
        await Expect(Page.GetByTestId("blacklist")).ToContainTextAsync("No device is blacklisted.");

        await Page.GotoAsync($"products/{productKey}/devices/meter-1");
        await Expect(DeviceSwitch).ToBeDisabledAsync();
        await Expect(DeviceSwitch).Not.ToBeCheckedAsync();
        await Expect(Page.GetByTestId("auto-renew-reason")).ToHaveTextAsync(AutoRenewOffReason);
    }

    [Fact]
    public async Task DeviceSwitch_ForcedPostWhileTheProductIsOff_IsRefusedAndNothingChanges()
    {
        var productKey = await SignedInWithDeviceAsync("meter-1");
        await TurnProductAutoRenewAsync(productKey, on: false);
        await Page.GotoAsync($"products/{productKey}/devices/meter-1");
        await Expect(DeviceSwitch).ToBeDisabledAsync();

        // What a crafted request would do: enable the switch the page disabled and send its form.
        await DeviceSwitch.EvaluateAsync("s => { s.disabled = false; s.form.requestSubmit(); }");

        await Expect(Page.GetByTestId("error-explanation")).ToContainTextAsync(
            "Auto-renew is off for the whole product; turn it on for the product before changing single devices. Nothing was changed.");
        await Page.GotoAsync($"products/{productKey}/devices/meter-1");
        await Expect(DeviceSwitch).ToBeDisabledAsync();
        await TurnProductAutoRenewAsync(productKey, on: true);
        await Expect(Page.GetByTestId("blacklist")).ToContainTextAsync("No device is blacklisted.");
        await Page.GotoAsync($"products/{productKey}/devices/meter-1");
        await Expect(DeviceSwitch).ToBeEnabledAsync();
        await Expect(DeviceSwitch).ToBeCheckedAsync();
    }

    private async Task<string> SignedInWithDeviceAsync(string deviceKey)
    {
        var account = await SignedInAccountAsync();
        var productKey = await Api.ProductWithLicensesAsync(account, "Smart Meter", 5);
        await Api.ConnectAsync(productKey, deviceKey);
        return productKey;
    }

    private async Task TurnProductAutoRenewAsync(string productKey, bool on)
    {
        await Page.GotoAsync($"products/{productKey}#configuration");
        await Expect(Page.GetByTestId("product-auto-renew")).ToHaveTextAsync(on ? "Off" : "On");
        await Page.GetByTestId("toggle-product-auto-renew").ClickAsync();
        await Expect(Page.GetByTestId("success")).ToContainTextAsync(on
            ? "Auto-renew is on for the product."
            : "Auto-renew is off for the product: its licenses will lapse at expiry.");
    }
}
