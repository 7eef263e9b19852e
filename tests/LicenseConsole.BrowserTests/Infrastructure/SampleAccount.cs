namespace LicenseConsole.BrowserTests.Infrastructure;

/// <summary>
/// An account with the kind of data a developer has: unallocated licenses of two specs and three products with
/// devices, so that totals, charts and lists show something real. The expected totals are worked out here.
/// </summary>
public sealed record SampleAccount(TestAccount Account, IReadOnlyList<SampleProduct> Products, IReadOnlyDictionary<string, int> Unallocated)
{
    public int Total => Unallocated.Values.Sum() + Products.Sum(p => p.Licenses);

    public int Used => Products.Sum(p => p.Devices);

    public int Remaining => Total - Used;

    public int UnallocatedTotal => Unallocated.Values.Sum();

    public static async Task<SampleAccount> CreateAsync(PlatformApi api)
    {
        var account = await api.CreateAccountAsync();
        var unallocated = new Dictionary<string, int> { ["STD-1Y"] = 100, ["STD-2Y"] = 40 };
        foreach (var (spec, quantity) in unallocated)
        {
            await api.BuyAsync(account, spec, quantity);
        }

        var products = new List<SampleProduct>();
        foreach (var (name, spec, licenses, devices) in new[] { ("Smart Thermostat", "STD-1Y", 50, 12), ("Door Sensor", "STD-2Y", 20, 5), ("Air Purifier", "STD-1Y", 10, 8) })
        {
            var productKey = await api.ProductWithLicensesAsync(account, name, licenses, spec);
            var prefix = string.Concat(name.Split(' ').Select(w => char.ToLowerInvariant(w[0]))) + "-";
            await api.ConnectManyAsync(productKey, prefix, devices);
            products.Add(new SampleProduct(name, productKey, spec, licenses, devices));
        }

        return new SampleAccount(account, products, unallocated);
    }
}

public sealed record SampleProduct(string Name, string ProductKey, string SpecCode, int Licenses, int Devices);
