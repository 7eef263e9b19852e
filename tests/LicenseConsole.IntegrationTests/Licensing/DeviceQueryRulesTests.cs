using LicenseConsole.Common;
using LicenseConsole.Devices;
using LicenseConsole.IntegrationTests.Infrastructure;
using LicenseConsole.Products;
using Microsoft.Extensions.DependencyInjection;

namespace LicenseConsole.IntegrationTests.Licensing;

/// <summary>SPEC rules 9 and 10, and the date filters read in the account's time zone, on each provider.</summary>
public abstract class DeviceQueryRulesTests(TestDatabase database)
{
    // Rule 9

    [Fact]
    public async Task Expiring_DevicesWithThirtyDaysOrFewerLeft_AreListedSoonestFirst()
    {
        await using var ledger = new Ledger(database);
        var account = await ledger.CreateAccountAsync();
        var product = await ledger.ProductWithLicensesAsync(account, 10);
        await ledger.ConnectAsync(product.ProductKey, "early");
        ledger.Clock.Advance(TimeSpan.FromDays(1));
        await ledger.ConnectAsync(product.ProductKey, "later");
        ledger.Clock.Advance(TimeSpan.FromDays(20));
        await ledger.ConnectAsync(product.ProductKey, "fresh");

        // "early" has 365 - 21 - 314 = 30 days left, "later" 31, "fresh" 51.
        ledger.Clock.Advance(TimeSpan.FromDays(314));
        var page = await ExpiringAsync(ledger, account.Id, new ExpiringFilter());

        var only = Assert.Single(page.Items);
        Assert.Equal(("early", DeviceStatus.Expiring, product.Name), (only.DeviceKey, only.Status, only.ProductName));

        ledger.Clock.Advance(TimeSpan.FromDays(1));
        Assert.Equal(["early", "later"], (await ExpiringAsync(ledger, account.Id, new ExpiringFilter())).Items.Select(d => d.DeviceKey));
    }

    [Fact]
    public async Task Expiring_ThresholdFromConfiguration_IsHonoured()
    {
        await using var ledger = new Ledger(database, new Dictionary<string, string?> { ["Licensing:ExpiringThresholdDays"] = "10" });
        var account = await ledger.CreateAccountAsync();
        var product = await ledger.ProductWithLicensesAsync(account, 2);
        await ledger.ConnectAsync(product.ProductKey, "d1");
        ledger.Clock.Advance(TimeSpan.FromDays(365 - 20));

        Assert.Empty((await ExpiringAsync(ledger, account.Id, new ExpiringFilter())).Items);
        ledger.Clock.Advance(TimeSpan.FromDays(11));
        Assert.Single((await ExpiringAsync(ledger, account.Id, new ExpiringFilter())).Items);
        Assert.Equal(1, (await ledger.SummaryAsync(account)).ExpiringDevices);
    }

    [Fact]
    public async Task Expiring_LapsedFilter_ShowsOnlyLapsedDevicesAndSkipsDeletedOnes()
    {
        await using var ledger = new Ledger(database);
        var account = await ledger.CreateAccountAsync();
        var product = await ledger.ProductWithLicensesAsync(account, 3);
        await ledger.ConnectAsync(product.ProductKey, "lapses");
        await ledger.ConnectAsync(product.ProductKey, "deleted");
        await ledger.AsAccountAsync(account.Id, s => s.GetRequiredService<ProductService>().SetAutoRenewAsync(product.ProductKey, false));
        await ledger.AsPlatformAsync(async s => { await s.GetRequiredService<DeviceService>().DeleteAsync(product.ProductKey, "deleted"); return 0; });
        ledger.Clock.Advance(TimeSpan.FromDays(366));
        await ledger.RefusedConnectAsync(product.ProductKey, "lapses");

        var lapsed = await ExpiringAsync(ledger, account.Id, new ExpiringFilter(ExpiringStatus.Lapsed));
        var expiring = await ExpiringAsync(ledger, account.Id, new ExpiringFilter());

        Assert.Equal(["lapses"], lapsed.Items.Select(d => d.DeviceKey));
        Assert.Equal(DeviceStatus.Lapsed, lapsed.Items[0].Status);
        Assert.Empty(expiring.Items);
        Assert.Equal(1, (await ledger.SummaryAsync(account)).LapsedDevices);
    }

    [Fact]
    public async Task Expiring_FiltersByProductNameKeyAndDeviceKey_NarrowTheList()
    {
        await using var ledger = new Ledger(database);
        var account = await ledger.CreateAccountAsync();
        var meters = await ledger.CreateProductAsync(account, "Smart Meter");
        var locks = await ledger.CreateProductAsync(account, "Door Lock");
        await ledger.BuyAsync(account, "STD-1Y", 5, meters.ProductKey);
        await ledger.BuyAsync(account, "STD-1Y", 5, locks.ProductKey);
        await ledger.ConnectAsync(meters.ProductKey, "meter-1");
        await ledger.ConnectAsync(meters.ProductKey, "meter-2");
        await ledger.ConnectAsync(locks.ProductKey, "lock-1");
        ledger.Clock.Advance(TimeSpan.FromDays(350));

        Assert.Equal(3, (await ExpiringAsync(ledger, account.Id, new ExpiringFilter())).TotalCount);
        Assert.Equal(2, (await ExpiringAsync(ledger, account.Id, new ExpiringFilter(ProductName: "meter"))).TotalCount);
        Assert.Equal(1, (await ExpiringAsync(ledger, account.Id, new ExpiringFilter(ProductKey: locks.ProductKey.ToUpperInvariant()))).TotalCount);
        Assert.Equal(["meter-2"], (await ExpiringAsync(ledger, account.Id, new ExpiringFilter(DeviceKey: "METER-2"))).Items.Select(d => d.DeviceKey));
    }

    [Fact]
    public async Task DeviceList_DateFilters_AreDaysInTheAccountsTimeZone()
    {
        await using var ledger = new Ledger(database);
        var account = await ledger.CreateAccountAsync(timeZone: "Asia/Shanghai");
        var product = await ledger.ProductWithLicensesAsync(account, 5);

        // 2026-03-01 16:30 UTC is 2026-03-02 00:30 in Shanghai: a device activated then was activated on 2 March there.
        ledger.Clock.SetUtcNow(new DateTimeOffset(2026, 3, 1, 16, 30, 0, TimeSpan.Zero));
        await ledger.ConnectAsync(product.ProductKey, "d-march-2");
        ledger.Clock.SetUtcNow(new DateTimeOffset(2026, 3, 1, 15, 30, 0, TimeSpan.Zero).AddDays(1));
        await ledger.ConnectAsync(product.ProductKey, "d-march-2-late");

        var onMarch1 = await ListAsync(ledger, account.Id, product.ProductKey, new DeviceFilter(ActivatedFrom: new DateOnly(2026, 3, 1), ActivatedTo: new DateOnly(2026, 3, 1)));
        var onMarch2 = await ListAsync(ledger, account.Id, product.ProductKey, new DeviceFilter(ActivatedFrom: new DateOnly(2026, 3, 2), ActivatedTo: new DateOnly(2026, 3, 2)));
        var expiringMarch2027 = await ListAsync(ledger, account.Id, product.ProductKey, new DeviceFilter(ExpiresFrom: new DateOnly(2027, 3, 2)));

        Assert.Empty(onMarch1.Items);
        Assert.Equal(["d-march-2", "d-march-2-late"], onMarch2.Items.Select(d => d.DeviceKey));
        Assert.Equal(2, expiringMarch2027.TotalCount);
    }

    [Fact]
    public async Task DeviceList_EndDateBeforeStartDate_IsRefused()
    {
        await using var ledger = new Ledger(database);
        var account = await ledger.CreateAccountAsync();
        var product = await ledger.ProductWithLicensesAsync(account, 1);

        var error = await Assert.ThrowsAsync<DomainException>(() =>
            ListAsync(ledger, account.Id, product.ProductKey, new DeviceFilter(ActivatedFrom: new DateOnly(2026, 3, 5), ActivatedTo: new DateOnly(2026, 3, 4))));

        Assert.Equal((ErrorCodes.ValidationFailed, "activatedTo"), (error.Code, error.Field));
    }

    [Fact]
    public async Task DeviceList_Paging_ReturnsTheRequestedSliceAndTheTotal()
    {
        await using var ledger = new Ledger(database);
        var account = await ledger.CreateAccountAsync();
        var product = await ledger.ProductWithLicensesAsync(account, 7);
        foreach (var i in Enumerable.Range(1, 7))
        {
            await ledger.ConnectAsync(product.ProductKey, $"d{i}");
        }

        var page = await ledger.AsAccountAsync(account.Id, s => s.GetRequiredService<DeviceService>()
            .ListAsync(product.ProductKey, new DeviceFilter(), PageRequest.From(2, 3)));

        Assert.Equal(["d4", "d5", "d6"], page.Items.Select(d => d.DeviceKey));
        Assert.Equal((2, 3, 7L), (page.Page, page.PageSize, page.TotalCount));
    }

    // Rule 10

    [Fact]
    public async Task DeviceAutoRenew_WhileTheProductSwitchIsOff_IsRefused()
    {
        await using var ledger = new Ledger(database);
        var account = await ledger.CreateAccountAsync();
        var product = await ledger.ProductWithLicensesAsync(account, 1);
        await ledger.ConnectAsync(product.ProductKey, "d1");
        await ledger.AsAccountAsync(account.Id, s => s.GetRequiredService<ProductService>().SetAutoRenewAsync(product.ProductKey, false));

        var error = await Assert.ThrowsAsync<DomainException>(() =>
            ledger.AsAccountAsync(account.Id, s => s.GetRequiredService<DeviceService>().SetAutoRenewAsync(product.ProductKey, "d1", false)));

        Assert.Equal(ErrorCodes.ProductAutoRenewOff, error.Code);
        Assert.True((await ledger.DeviceAsync(account, product.ProductKey, "d1")).AutoRenew);
    }

    [Fact]
    public async Task DeviceAutoRenew_WhileTheProductSwitchIsOn_ChangesAndIsAudited()
    {
        await using var ledger = new Ledger(database);
        var account = await ledger.CreateAccountAsync();
        var product = await ledger.ProductWithLicensesAsync(account, 1);
        await ledger.ConnectAsync(product.ProductKey, "d1");

        await ledger.AsAccountAsync(account.Id, s => s.GetRequiredService<DeviceService>().SetAutoRenewAsync(product.ProductKey, "d1", false));

        Assert.False((await ledger.DeviceAsync(account, product.ProductKey, "d1")).AutoRenew);
        await using var db = database.CreatePlatformContext();
        var entry = Assert.Single(db.AuditEntries.Where(e => e.AccountId == account.Id && e.Action == "device.auto_renew"));
        Assert.Equal(($"{product.ProductKey}/d1", "{\"autoRenew\":true}", "{\"autoRenew\":false}"), (entry.Subject, entry.Before, entry.After));
    }

    private static Task<Paged<ExpiringDevice>> ExpiringAsync(Ledger ledger, Guid accountId, ExpiringFilter filter) =>
        ledger.AsAccountAsync(accountId, s => s.GetRequiredService<DeviceService>().ExpiringAsync(filter, PageRequest.From(1, 100)));

    private static Task<Paged<DeviceRecord>> ListAsync(Ledger ledger, Guid accountId, string productKey, DeviceFilter filter) =>
        ledger.AsAccountAsync(accountId, s => s.GetRequiredService<DeviceService>().ListAsync(productKey, filter, PageRequest.From(1, 100)));
}

public sealed class PostgresDeviceQueryRulesTests(PostgresDatabase database) : DeviceQueryRulesTests(database), IClassFixture<PostgresDatabase>;

public sealed class SqliteDeviceQueryRulesTests(SqliteDatabase database) : DeviceQueryRulesTests(database), IClassFixture<SqliteDatabase>;
