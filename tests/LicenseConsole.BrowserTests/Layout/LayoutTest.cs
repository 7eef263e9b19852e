using LicenseConsole.BrowserTests.Infrastructure;

namespace LicenseConsole.BrowserTests.Layout;

/// <summary>What the layout tests share: an account whose names and keys are as long as their fields allow, and every console page.</summary>
public abstract class LayoutTest(ConsoleFixture fixture) : ConsoleTest(fixture)
{
    // Each as long as its field allows, with a run no line break fits in.
    protected static readonly string LongProductName =
        ("Greenhouse climate controller with a product name as long as the field allows " + new string('W', 200))[..200];

    protected static readonly string LongRecipientName =
        ("Night shift operations lead " + new string('M', 100))[..100];

    protected static readonly string LongKeyName =
        ("Nightly billing reconciliation script " + new string('K', 100))[..100];

    /// <summary>Every page of the console a signed-in owner reaches, for the account's product and device.</summary>
    protected static string[] EveryPage(string productKey, string deviceKey) =>
    [
        "", "products", $"products/{productKey}", $"products/{productKey}/devices/{deviceKey}", $"products/{productKey}/delete",
        "allocations", "allocations/new", $"allocations/new?productKey={productKey}", "devices/expiring", "devices/expiring?status=lapsed",
        "alert-recipients", "audit", "settings/sub-accounts", "settings/api-keys", "account/password",
    ];

    /// <summary>A page's name in the screenshot tour: its path, with the keys of the account's product and device named so.</summary>
    protected static string TourName(string path, string productKey, string deviceKey) =>
        path.Length == 0 ? "overview" : path.Replace(productKey, "product", StringComparison.Ordinal).Replace(deviceKey, "device", StringComparison.Ordinal);

    /// <summary>
    /// An account whose product name (200), product key (64), device key (64), recipient name (100) and email, and API
    /// key name (100) are as long as their fields allow, with licenses, devices, an allocation and a sub-account limited to the product.
    /// The devices connect through <paramref name="api"/> (the app on real time unless another is given).
    /// </summary>
    protected async Task<(TestAccount Account, string ProductKey, string DeviceKey)> AccountWithLongNamesAsync(PlatformApi? api = null)
    {
        api ??= Api;
        var account = await Api.CreateAccountAsync("cn-east");
        var productKey = await Api.CreateProductAsync(account, LongProductName, ("pk" + Guid.NewGuid().ToString("N")).PadRight(64, 'w'));
        await Api.BuyAsync(account, "STD-1Y", 20, productKey);
        await Api.BuyAsync(account, "STD-1Y", 30);
        await Api.BuyAsync(account, "STD-3Y", 7);
        await Api.AllocateAsync(account, productKey, "STD-1Y", 5);
        var deviceKey = ("dk" + Guid.NewGuid().ToString("N")).PadRight(64, 'm');
        await api.ConnectAsync(productKey, deviceKey, "cn-east");
        await api.ConnectManyAsync(productKey, "phone-", 3, "cn-east");
        await Api.AddRecipientAsync(account, LongRecipientName, ("night-shift-" + Guid.NewGuid().ToString("N")).PadRight(64, 'x') + "@example.com");
        await SubAccountAsync(account, "operator", true, productKey);
        await Api.CreateApiKeyAsync(account, LongKeyName);
        return (account, productKey, deviceKey);
    }
}
