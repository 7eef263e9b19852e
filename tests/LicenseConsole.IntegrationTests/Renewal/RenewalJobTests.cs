using LicenseConsole.Devices;
using LicenseConsole.IntegrationTests.Infrastructure;
using LicenseConsole.Products;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LicenseConsole.IntegrationTests.Renewal;

/// <summary>SPEC rule 5 at expiry, by the worker, on each provider (set-based on PostgreSQL, per device on SQLite).</summary>
public abstract class RenewalJobTests(TestDatabases databases)
{
    private static readonly TimeSpan Year = TimeSpan.FromDays(365);

    [Fact]
    public async Task Run_ExpiredWithAutoRenew_RenewsFromTheMomentTheOldPeriodEnded()
    {
        await using var database = await databases.NewAsync();
        await using var ledger = new Ledger(database);
        var account = await ledger.CreateAccountAsync();
        var product = await ledger.ProductWithLicensesAsync(account, 5);
        var first = await ledger.ConnectAsync(product.ProductKey, "d1", "eu-west");
        ledger.Clock.Advance(Year + TimeSpan.FromDays(3));

        var outcome = await ledger.RenewAsync();

        Assert.Equal((1, 0), (outcome.Renewed, outcome.Lapsed));
        var periods = (await ledger.ActivationsAsync(account, product.ProductKey, "d1")).OrderBy(a => a.ActivatedAt).ToList();
        Assert.Equal(2, periods.Count);
        Assert.Equal((ActivationKind.Renewal, first.ExpiresAt, first.ExpiresAt.AddMonths(12), "eu-west"),
            (periods[1].Kind, periods[1].ActivatedAt, periods[1].ExpiresAt, periods[1].DataCenter));
        var device = await ledger.DeviceAsync(account, product.ProductKey, "d1");
        Assert.Equal((DeviceStatus.Valid, first.ExpiresAt.AddMonths(12), 2), (device.Status, device.ExpiresAt, device.ActivationCount));
        Assert.Equal(2, (await ledger.ProductAsync(account, product.ProductKey)).Used);
        Assert.Empty(await ledger.VerifyAsync());
    }

    [Fact]
    public async Task Run_WorkerMoreThanTwoPeriodsLate_RenewsEachPeriodBackToBack()
    {
        await using var database = await databases.NewAsync();
        await using var ledger = new Ledger(database);
        var account = await ledger.CreateAccountAsync();
        var product = await ledger.ProductWithLicensesAsync(account, 5);
        var first = await ledger.ConnectAsync(product.ProductKey, "d1");
        ledger.Clock.Advance(TimeSpan.FromDays(365 * 2 + 20));

        var outcome = await ledger.RenewAsync();

        var periods = (await ledger.ActivationsAsync(account, product.ProductKey, "d1")).OrderBy(a => a.ActivatedAt).ToList();
        Assert.Equal(2, outcome.Renewed);
        Assert.Equal(3, periods.Count);
        Assert.Equal(first.ExpiresAt, periods[1].ActivatedAt);
        Assert.Equal(periods[1].ExpiresAt, periods[2].ActivatedAt);
        Assert.True(periods[2].ExpiresAt > ledger.Now);
        Assert.Empty(await ledger.VerifyAsync());
    }

    [Fact]
    public async Task Run_BlacklistedDeviceAndProductWithAutoRenewOff_LapseWithoutConsuming()
    {
        await using var database = await databases.NewAsync();
        await using var ledger = new Ledger(database);
        var account = await ledger.CreateAccountAsync();
        var renewing = await ledger.ProductWithLicensesAsync(account, 5);
        var switchedOff = await ledger.ProductWithLicensesAsync(account, 5);
        await ledger.ConnectAsync(renewing.ProductKey, "listed");
        await ledger.ConnectAsync(renewing.ProductKey, "renews");
        await ledger.ConnectAsync(switchedOff.ProductKey, "off");
        await ledger.AsAccountAsync(account.Id, s => s.GetRequiredService<DeviceService>().SetAutoRenewAsync(renewing.ProductKey, "listed", false));
        await ledger.AsAccountAsync(account.Id, s => s.GetRequiredService<ProductService>().SetAutoRenewAsync(switchedOff.ProductKey, false));
        ledger.Clock.Advance(Year + TimeSpan.FromDays(1));

        var outcome = await ledger.RenewAsync();

        Assert.Equal((1, 2), (outcome.Renewed, outcome.Lapsed));
        Assert.Equal(DeviceStatus.Lapsed, (await ledger.DeviceAsync(account, renewing.ProductKey, "listed")).Status);
        Assert.Equal(DeviceStatus.Valid, (await ledger.DeviceAsync(account, renewing.ProductKey, "renews")).Status);
        Assert.Equal(DeviceStatus.Lapsed, (await ledger.DeviceAsync(account, switchedOff.ProductKey, "off")).Status);
        Assert.Equal((3L, 1L), ((await ledger.ProductAsync(account, renewing.ProductKey)).Used, (await ledger.ProductAsync(account, switchedOff.ProductKey)).Used));
        await using var db = database.CreatePlatformContext();
        Assert.Equal(2, await db.Devices.CountAsync(d => d.AccountId == account.Id && d.LapseReason == LapseReason.AutoRenewOff, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Run_PoolShortOfTheDueDevices_RenewsTheOldestExpiriesAndLapsesTheRest()
    {
        await using var database = await databases.NewAsync();
        await using var ledger = new Ledger(database);
        var account = await ledger.CreateAccountAsync();
        await ledger.BuyAsync(account, "STD-1Y", 10);
        var product = await ledger.CreateProductAsync(account);
        await ledger.AllocateAsync(account, product.ProductKey, "STD-1Y", 5);
        foreach (var i in Enumerable.Range(1, 5))
        {
            await ledger.ConnectAsync(product.ProductKey, $"d{i}");
            ledger.Clock.Advance(TimeSpan.FromHours(1));
        }

        // Five due, two licenses left after one more allocation: the two oldest expiries renew.
        await ledger.AllocateAsync(account, product.ProductKey, "STD-1Y", 2);
        ledger.Clock.Advance(Year);

        var outcome = await ledger.RenewAsync();

        Assert.Equal((2, 3), (outcome.Renewed, outcome.Lapsed));
        Assert.Equal([DeviceStatus.Valid, DeviceStatus.Valid, DeviceStatus.Lapsed, DeviceStatus.Lapsed, DeviceStatus.Lapsed],
            await Task.WhenAll(Enumerable.Range(1, 5).Select(async i => (await ledger.DeviceAsync(account, product.ProductKey, $"d{i}")).Status)));
        Assert.Equal(0, (await ledger.ProductAsync(account, product.ProductKey)).Remaining);
        Assert.Empty(await ledger.VerifyAsync());
    }

    [Fact]
    public async Task Run_DeletedDeviceAndDeletedProduct_AreLeftAlone()
    {
        await using var database = await databases.NewAsync();
        await using var ledger = new Ledger(database);
        var account = await ledger.CreateAccountAsync();
        var kept = await ledger.ProductWithLicensesAsync(account, 5);
        var dropped = await ledger.ProductWithLicensesAsync(account, 5);
        await ledger.ConnectAsync(kept.ProductKey, "deleted-device");
        await ledger.ConnectAsync(dropped.ProductKey, "d1");
        await ledger.AsPlatformAsync(async s => { await s.GetRequiredService<DeviceService>().DeleteAsync(kept.ProductKey, "deleted-device"); return 0; });
        await ledger.AsAccountAsync(account.Id, s => s.GetRequiredService<ProductService>().DeleteAsync(dropped.ProductKey, dropped.ProductKey));
        ledger.Clock.Advance(Year + TimeSpan.FromDays(1));

        var outcome = await ledger.RenewAsync();

        Assert.Equal((0, 0), (outcome.Renewed, outcome.Lapsed));
        Assert.Equal(1, (await ledger.ProductAsync(account, kept.ProductKey)).Used);
    }

    [Fact]
    public async Task Run_Twice_RenewsOnceAndNothingBeforeExpiry()
    {
        await using var database = await databases.NewAsync();
        await using var ledger = new Ledger(database);
        var account = await ledger.CreateAccountAsync();
        var product = await ledger.ProductWithLicensesAsync(account, 5);
        await ledger.ConnectAsync(product.ProductKey, "d1");
        ledger.Clock.Advance(Year - TimeSpan.FromMinutes(1));
        var early = await ledger.RenewAsync();
        ledger.Clock.Advance(TimeSpan.FromMinutes(2));

        var first = await ledger.RenewAsync();
        var second = await ledger.RenewAsync();

        Assert.Equal((0, 0), (early.Renewed, early.Lapsed));
        Assert.Equal((1, 0), (first.Renewed, first.Lapsed));
        Assert.Equal((0, 0), (second.Renewed, second.Lapsed));
        Assert.Equal(2, (await ledger.ProductAsync(account, product.ProductKey)).Used);
    }

    [Fact]
    public async Task Run_LapsedDeviceAfterTheProductIsRefilled_IsNotRenewedUntilItConnects()
    {
        await using var database = await databases.NewAsync();
        await using var ledger = new Ledger(database);
        var account = await ledger.CreateAccountAsync();
        await ledger.BuyAsync(account, "STD-1Y", 5);
        var product = await ledger.ProductWithLicensesAsync(account, 1);
        await ledger.ConnectAsync(product.ProductKey, "d1");
        ledger.Clock.Advance(Year + TimeSpan.FromDays(1));
        await ledger.RenewAsync();
        await ledger.AllocateAsync(account, product.ProductKey, "STD-1Y", 2);
        ledger.Clock.Advance(TimeSpan.FromDays(1));

        var outcome = await ledger.RenewAsync();
        var back = await ledger.ConnectAsync(product.ProductKey, "d1");

        Assert.Equal((0, 0), (outcome.Renewed, outcome.Lapsed));
        Assert.Equal((ConnectionResult.Renewed, ledger.Now), (back.Result, back.ActivatedAt));
        Assert.Equal(ActivationKind.AfterLapse, (await ledger.ActivationsAsync(account, product.ProductKey, "d1"))[0].Kind);
        Assert.Empty(await ledger.VerifyAsync());
    }

    [Fact]
    public async Task Run_ManyDueInSmallBatches_ProcessesThemAll()
    {
        await using var database = await databases.NewAsync();
        await using var ledger = new Ledger(database, new Dictionary<string, string?> { ["Renewal:BatchSize"] = "3" });
        var account = await ledger.CreateAccountAsync();
        var product = await ledger.ProductWithLicensesAsync(account, 20);
        foreach (var i in Enumerable.Range(1, 8))
        {
            await ledger.ConnectAsync(product.ProductKey, $"d{i}");
        }

        ledger.Clock.Advance(Year + TimeSpan.FromDays(1));

        var outcome = await ledger.RenewAsync();

        Assert.Equal((8, 0), (outcome.Renewed, outcome.Lapsed));
        Assert.Equal(16, (await ledger.ProductAsync(account, product.ProductKey)).Used);
        Assert.Empty(await ledger.VerifyAsync());
    }
}

public sealed class PostgresRenewalJobTests(PostgresDatabases databases) : RenewalJobTests(databases), IClassFixture<PostgresDatabases>;

public sealed class SqliteRenewalJobTests(SqliteDatabases databases) : RenewalJobTests(databases), IClassFixture<SqliteDatabases>;
