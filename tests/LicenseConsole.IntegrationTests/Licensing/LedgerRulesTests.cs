using LicenseConsole.Common;
using LicenseConsole.Devices;
using LicenseConsole.IntegrationTests.Infrastructure;
using LicenseConsole.Licensing;
using LicenseConsole.Products;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LicenseConsole.IntegrationTests.Licensing;

/// <summary>SPEC §3 rules 1 to 8 through the domain services, on each provider.</summary>
public abstract class LedgerRulesTests(TestDatabase database)
{
    private static readonly TimeSpan Year = TimeSpan.FromDays(365);

    // Rule 1

    [Fact]
    public async Task Summary_PurchasesAllocationsAndConsumption_AddUpAsRuleOneSays()
    {
        await using var ledger = new Ledger(database);
        var account = await ledger.CreateAccountAsync();
        await ledger.BuyAsync(account, "STD-1Y", 10);
        await ledger.BuyAsync(account, "STD-2Y", 5);
        var product = await ledger.ProductWithLicensesAsync(account, 4);
        await ledger.AllocateAsync(account, product.ProductKey, "STD-1Y", 3);
        await ledger.ConnectAsync(product.ProductKey, "d1");
        await ledger.ConnectAsync(product.ProductKey, "d2");

        var summary = await ledger.SummaryAsync(account);

        Assert.Equal(19, summary.Total);
        Assert.Equal(2, summary.Used);
        Assert.Equal(17, summary.Remaining);
        Assert.Equal(12, summary.Unallocated);
        Assert.Equal([("STD-1Y", 7L), ("STD-2Y", 5L)], summary.UnallocatedBySpec.Select(s => (s.SpecCode, s.Quantity)));
        Assert.Equal("cn-east", summary.DataCenter);
        Assert.Empty(await ledger.VerifyAsync());
    }

    [Fact]
    public async Task Summary_DeletedProduct_LeavesTheTotalsAsForfeited()
    {
        await using var ledger = new Ledger(database);
        var account = await ledger.CreateAccountAsync();
        var kept = await ledger.ProductWithLicensesAsync(account, 5);
        var dropped = await ledger.ProductWithLicensesAsync(account, 7);
        await ledger.ConnectAsync(dropped.ProductKey, "d1");
        await ledger.ConnectAsync(kept.ProductKey, "d1");

        await ledger.AsAccountAsync(account.Id, s => s.GetRequiredService<ProductService>().DeleteAsync(dropped.ProductKey, dropped.ProductKey));
        var summary = await ledger.SummaryAsync(account);

        Assert.Equal((5L, 1L, 4L, 0L, 7L), (summary.Total, summary.Used, summary.Remaining, summary.Unallocated, summary.Forfeited));
    }

    // Rule 2

    [Theory]
    [InlineData(0)]
    [InlineData(-3)]
    public async Task Allocate_QuantityBelowOne_IsRefusedAndChangesNothing(int quantity)
    {
        await using var ledger = new Ledger(database);
        var account = await ledger.CreateAccountAsync();
        await ledger.BuyAsync(account, "STD-1Y", 10);
        var product = await ledger.CreateProductAsync(account);

        var error = await Assert.ThrowsAsync<DomainException>(() => ledger.AllocateAsync(account, product.ProductKey, "STD-1Y", quantity));

        Assert.Equal((ErrorCodes.ValidationFailed, "quantity"), (error.Code, error.Field));
        Assert.Equal(10, (await ledger.SummaryAsync(account)).Unallocated);
        Assert.Null((await ledger.ProductAsync(account, product.ProductKey)).SpecCode);
    }

    [Fact]
    public async Task Allocate_MoreThanThePoolHolds_IsRefusedAndChangesNothing()
    {
        await using var ledger = new Ledger(database);
        var account = await ledger.CreateAccountAsync();
        await ledger.BuyAsync(account, "STD-1Y", 10);
        var product = await ledger.CreateProductAsync(account);

        var error = await Assert.ThrowsAsync<DomainException>(() => ledger.AllocateAsync(account, product.ProductKey, "STD-1Y", 11));

        Assert.Equal(ErrorCodes.InsufficientLicenses, error.Code);
        Assert.Equal(10, (await ledger.SummaryAsync(account)).Unallocated);
        var unchanged = await ledger.ProductAsync(account, product.ProductKey);
        Assert.Equal((0L, (string?)null), (unchanged.Total, unchanged.SpecCode));
    }

    [Fact]
    public async Task Allocate_EverythingThePoolHolds_MovesItAllToTheProduct()
    {
        await using var ledger = new Ledger(database);
        var account = await ledger.CreateAccountAsync();
        await ledger.BuyAsync(account, "STD-1Y", 10);
        var product = await ledger.CreateProductAsync(account);

        var allocation = await ledger.AllocateAsync(account, product.ProductKey, "STD-1Y", 10);

        Assert.Equal((product.ProductKey, "STD-1Y", 10, "owner@example.com"), (allocation.ProductKey, allocation.SpecCode, allocation.Quantity, allocation.CreatedBy));
        Assert.Equal(0, (await ledger.SummaryAsync(account)).Unallocated);
        Assert.Equal(10, (await ledger.ProductAsync(account, product.ProductKey)).Total);
        Assert.Empty(await ledger.VerifyAsync());
    }

    [Fact]
    public async Task Allocate_ProductWithoutSpec_TakesTheSpecOfItsFirstLicensesAndRefusesAnother()
    {
        await using var ledger = new Ledger(database);
        var account = await ledger.CreateAccountAsync();
        await ledger.BuyAsync(account, "STD-1Y", 10);
        await ledger.BuyAsync(account, "STD-2Y", 10);
        var product = await ledger.CreateProductAsync(account);

        await ledger.AllocateAsync(account, product.ProductKey, "STD-2Y", 2);
        var error = await Assert.ThrowsAsync<DomainException>(() => ledger.AllocateAsync(account, product.ProductKey, "STD-1Y", 1));

        Assert.Equal(ErrorCodes.SpecMismatch, error.Code);
        Assert.Equal("STD-2Y", (await ledger.ProductAsync(account, product.ProductKey)).SpecCode);
        Assert.Equal(18, (await ledger.SummaryAsync(account)).Unallocated);
    }

    [Fact]
    public async Task GetOptions_ProductWithASpec_OffersThatSpecWithTheMaximumAllocatable()
    {
        await using var ledger = new Ledger(database);
        var account = await ledger.CreateAccountAsync();
        await ledger.BuyAsync(account, "STD-1Y", 12);
        await ledger.BuyAsync(account, "STD-3Y", 4);
        var fresh = await ledger.CreateProductAsync(account);
        var fixedSpec = await ledger.ProductWithLicensesAsync(account, 1, "STD-3Y");

        var forFresh = await ledger.AsAccountAsync(account.Id, s => s.GetRequiredService<AllocationService>().GetOptionsAsync(fresh.ProductKey));
        var forFixed = await ledger.AsAccountAsync(account.Id, s => s.GetRequiredService<AllocationService>().GetOptionsAsync(fixedSpec.ProductKey));

        Assert.Null(forFresh.FixedSpec);
        Assert.Equal([("STD-1Y", 12L), ("STD-3Y", 4L)], forFresh.Fits.Select(f => (f.SpecCode, f.Quantity)));
        Assert.Equal("STD-3Y", forFixed.FixedSpec);
        Assert.Equal([("STD-3Y", 4L)], forFixed.Fits.Select(f => (f.SpecCode, f.Quantity)));
    }

    [Fact]
    public async Task Allocate_SameRequestIdTwice_AllocatesOnce()
    {
        await using var ledger = new Ledger(database);
        var account = await ledger.CreateAccountAsync();
        await ledger.BuyAsync(account, "STD-1Y", 10);
        var product = await ledger.CreateProductAsync(account);

        var first = await ledger.AllocateAsync(account, product.ProductKey, "STD-1Y", 4, "form-123");
        var second = await ledger.AllocateAsync(account, product.ProductKey, "STD-1Y", 4, "form-123");

        Assert.Equal(first.Id, second.Id);
        Assert.Equal(6, (await ledger.SummaryAsync(account)).Unallocated);
    }

    [Fact]
    public async Task ListAllocations_SeveralProducts_NewestFirstAndFilteredByProduct()
    {
        await using var ledger = new Ledger(database);
        var account = await ledger.CreateAccountAsync();
        await ledger.BuyAsync(account, "STD-1Y", 10);
        var a = await ledger.CreateProductAsync(account);
        var b = await ledger.CreateProductAsync(account);
        await ledger.AllocateAsync(account, a.ProductKey, "STD-1Y", 1);
        ledger.Clock.Advance(TimeSpan.FromMinutes(1));
        await ledger.AllocateAsync(account, b.ProductKey, "STD-1Y", 2);
        ledger.Clock.Advance(TimeSpan.FromMinutes(1));
        await ledger.AllocateAsync(account, a.ProductKey, "STD-1Y", 3);

        var all = await ledger.AsAccountAsync(account.Id, s => s.GetRequiredService<AllocationService>().ListAsync(null, PageRequest.From(1, 50)));
        var ofA = await ledger.AsAccountAsync(account.Id, s => s.GetRequiredService<AllocationService>().ListAsync(a.ProductKey.ToUpperInvariant(), PageRequest.From(1, 50)));

        Assert.Equal([3, 2, 1], all.Items.Select(x => x.Quantity));
        Assert.Equal([3, 1], ofA.Items.Select(x => x.Quantity));
        Assert.Equal(2, ofA.TotalCount);
    }

    [Fact]
    public async Task Allocate_Always_WritesAnAuditEntry()
    {
        await using var ledger = new Ledger(database);
        var account = await ledger.CreateAccountAsync();
        await ledger.BuyAsync(account, "STD-1Y", 10);
        var product = await ledger.CreateProductAsync(account);

        await ledger.AllocateAsync(account, product.ProductKey, "STD-1Y", 4);

        await using var db = database.CreatePlatformContext();
        var entry = await db.AuditEntries.SingleAsync(e => e.AccountId == account.Id && e.Action == "allocation.create", TestContext.Current.CancellationToken);
        Assert.Equal(("owner@example.com", product.ProductKey), (entry.Actor, entry.Subject));
        Assert.Contains("\"quantity\":4", entry.After, StringComparison.Ordinal);
        Assert.Contains("\"total\":0", entry.Before, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Purchase_NamingAProduct_LandsInItsPoolWithoutAllocation()
    {
        await using var ledger = new Ledger(database);
        var account = await ledger.CreateAccountAsync();
        var product = await ledger.CreateProductAsync(account);

        await ledger.BuyAsync(account, "STD-2Y", 6, product.ProductKey);

        var after = await ledger.ProductAsync(account, product.ProductKey);
        Assert.Equal((6L, "STD-2Y"), (after.Total, after.SpecCode));
        Assert.Equal(0, (await ledger.SummaryAsync(account)).Unallocated);
        Assert.Equal(ConnectionResult.Activated, (await ledger.ConnectAsync(product.ProductKey, "d1")).Result);
        Assert.Empty(await ledger.VerifyAsync());
    }

    [Fact]
    public async Task Purchase_NamingAProductOfAnotherSpec_IsRefused()
    {
        await using var ledger = new Ledger(database);
        var account = await ledger.CreateAccountAsync();
        var product = await ledger.ProductWithLicensesAsync(account, 2, "STD-1Y");

        var error = await Assert.ThrowsAsync<DomainException>(() => ledger.BuyAsync(account, "STD-3Y", 6, product.ProductKey));

        Assert.Equal(ErrorCodes.SpecMismatch, error.Code);
        Assert.Equal(2, (await ledger.ProductAsync(account, product.ProductKey)).Total);
    }

    [Fact]
    public async Task Purchase_SameOrderTwice_AddsOnceAndADifferentBodyConflicts()
    {
        await using var ledger = new Ledger(database);
        var account = await ledger.CreateAccountAsync();
        var orderId = "order-" + Guid.NewGuid().ToString("N");

        var first = await ledger.BuyAsync(account, "STD-1Y", 10, orderId: orderId);
        var again = await ledger.BuyAsync(account, "STD-1Y", 10, orderId: orderId);
        var conflict = await Assert.ThrowsAsync<DomainException>(() => ledger.BuyAsync(account, "STD-1Y", 11, orderId: orderId));

        Assert.True(first.Created);
        Assert.False(again.Created);
        Assert.Equal(first.Id, again.Id);
        Assert.Equal(ErrorCodes.OrderConflict, conflict.Code);
        Assert.Equal(10, (await ledger.SummaryAsync(account)).Unallocated);
    }

    // Rules 3 and 4

    [Fact]
    public async Task Connect_FirstConnection_ConsumesOneLicenseForOnePeriod()
    {
        await using var ledger = new Ledger(database);
        var account = await ledger.CreateAccountAsync();
        var product = await ledger.ProductWithLicensesAsync(account, 3);

        var outcome = await ledger.ConnectAsync(product.ProductKey, "AA:BB:CC:00:00:01", "eu-west");

        Assert.Equal((ConnectionResult.Activated, true), (outcome.Result, outcome.Consumed));
        Assert.Equal(ledger.Now, outcome.ActivatedAt);
        Assert.Equal(ledger.Now.AddMonths(12), outcome.ExpiresAt);
        Assert.Equal(1, (await ledger.ProductAsync(account, product.ProductKey)).Used);
        var device = await ledger.DeviceAsync(account, product.ProductKey, "aa:bb:cc:00:00:01");
        Assert.Equal((DeviceStatus.Valid, 1, "eu-west"), (device.Status, device.ActivationCount, device.LastDataCenter));
        var activation = Assert.Single(await ledger.ActivationsAsync(account, product.ProductKey, "aa:bb:cc:00:00:01"));
        Assert.Equal((ActivationKind.First, "eu-west", "STD-1Y"), (activation.Kind, activation.DataCenter, activation.SpecCode));
    }

    [Fact]
    public async Task Connect_EmptyPool_IsRefusedAndConsumesNothing()
    {
        await using var ledger = new Ledger(database);
        var account = await ledger.CreateAccountAsync();
        var product = await ledger.ProductWithLicensesAsync(account, 1);
        await ledger.ConnectAsync(product.ProductKey, "d1");

        var refusal = await ledger.RefusedConnectAsync(product.ProductKey, "d2");

        Assert.Equal(ErrorCodes.NoLicenseAvailable, refusal);
        Assert.Equal(1, (await ledger.ProductAsync(account, product.ProductKey)).Used);
        var device = await ledger.DeviceAsync(account, product.ProductKey, "d2");
        Assert.Equal((DeviceStatus.Inactive, 0), (device.Status, device.ActivationCount));
        Assert.Empty(await ledger.VerifyAsync());
    }

    [Fact]
    public async Task Connect_ProductThatNeverHadLicenses_IsRefused()
    {
        await using var ledger = new Ledger(database);
        var account = await ledger.CreateAccountAsync();
        var product = await ledger.CreateProductAsync(account);

        Assert.Equal(ErrorCodes.NoLicenseAvailable, await ledger.RefusedConnectAsync(product.ProductKey, "d1"));
    }

    [Fact]
    public async Task Connect_UnknownProduct_IsNotFound()
    {
        await using var ledger = new Ledger(database);

        Assert.Equal(ErrorCodes.ProductNotFound, await ledger.RefusedConnectAsync("pk-does-not-exist", "d1"));
    }

    [Fact]
    public async Task Connect_WhileValid_ConsumesNothingAndRecordsTheDataCenter()
    {
        await using var ledger = new Ledger(database);
        var account = await ledger.CreateAccountAsync();
        var product = await ledger.ProductWithLicensesAsync(account, 3);
        var first = await ledger.ConnectAsync(product.ProductKey, "d1", "cn-east");
        ledger.Clock.Advance(TimeSpan.FromDays(200));

        var again = await ledger.ConnectAsync(product.ProductKey, "d1", "ap-southeast");

        Assert.Equal((ConnectionResult.Valid, false), (again.Result, again.Consumed));
        Assert.Equal((first.ActivatedAt, first.ExpiresAt), (again.ActivatedAt, again.ExpiresAt));
        Assert.Equal(1, (await ledger.ProductAsync(account, product.ProductKey)).Used);

        // On PostgreSQL a valid device is answered before its batch writes where it was seen.
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while ((await ledger.DeviceAsync(account, product.ProductKey, "d1")).LastDataCenter != "ap-southeast" && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20, TestContext.Current.CancellationToken);
        }

        Assert.Equal("ap-southeast", (await ledger.DeviceAsync(account, product.ProductKey, "d1")).LastDataCenter);
    }

    // Rule 5

    [Fact]
    public async Task Connect_AfterExpiryWithAutoRenew_RenewsWhereTheLastPeriodEnded()
    {
        await using var ledger = new Ledger(database);
        var account = await ledger.CreateAccountAsync();
        var product = await ledger.ProductWithLicensesAsync(account, 3);
        var first = await ledger.ConnectAsync(product.ProductKey, "d1");
        ledger.Clock.Advance(Year + TimeSpan.FromDays(40));

        var renewed = await ledger.ConnectAsync(product.ProductKey, "d1");

        Assert.Equal((ConnectionResult.Renewed, true), (renewed.Result, renewed.Consumed));
        Assert.Equal(first.ExpiresAt, renewed.ActivatedAt);
        Assert.Equal(first.ExpiresAt.AddMonths(12), renewed.ExpiresAt);
        Assert.Equal(2, (await ledger.ProductAsync(account, product.ProductKey)).Used);
        Assert.Equal([ActivationKind.Renewal, ActivationKind.First],
            (await ledger.ActivationsAsync(account, product.ProductKey, "d1")).Select(a => a.Kind));
        Assert.Empty(await ledger.VerifyAsync());
    }

    [Fact]
    public async Task Connect_OfflineForMoreThanTwoPeriods_RenewsEachPeriodBackToBack()
    {
        await using var ledger = new Ledger(database);
        var account = await ledger.CreateAccountAsync();
        var product = await ledger.ProductWithLicensesAsync(account, 5);
        var first = await ledger.ConnectAsync(product.ProductKey, "d1");
        ledger.Clock.Advance(TimeSpan.FromDays(365 * 2 + 30));

        var renewed = await ledger.ConnectAsync(product.ProductKey, "d1");

        var periods = (await ledger.ActivationsAsync(account, product.ProductKey, "d1")).OrderBy(a => a.ActivatedAt).ToList();
        Assert.Equal(3, periods.Count);
        Assert.Equal(first.ExpiresAt, periods[1].ActivatedAt);
        Assert.Equal(periods[1].ExpiresAt, periods[2].ActivatedAt);
        Assert.Equal(periods[2].ExpiresAt, renewed.ExpiresAt);
        Assert.True(renewed.ExpiresAt > ledger.Now);
    }

    [Fact]
    public async Task Connect_AfterExpiryWithEmptyPool_LapsesAndARefillLetsItConsumeFromThatMoment()
    {
        await using var ledger = new Ledger(database);
        var account = await ledger.CreateAccountAsync();
        await ledger.BuyAsync(account, "STD-1Y", 5);
        var product = await ledger.ProductWithLicensesAsync(account, 1);
        await ledger.ConnectAsync(product.ProductKey, "d1");
        ledger.Clock.Advance(Year + TimeSpan.FromDays(3));

        var refusal = await ledger.RefusedConnectAsync(product.ProductKey, "d1");
        var lapsed = await ledger.DeviceAsync(account, product.ProductKey, "d1");
        ledger.Clock.Advance(TimeSpan.FromDays(10));
        await ledger.AllocateAsync(account, product.ProductKey, "STD-1Y", 1);
        var back = await ledger.ConnectAsync(product.ProductKey, "d1");

        Assert.Equal(ErrorCodes.NoLicenseAvailable, refusal);
        Assert.Equal(DeviceStatus.Lapsed, lapsed.Status);
        Assert.Equal((ConnectionResult.Renewed, true), (back.Result, back.Consumed));
        Assert.Equal(ledger.Now, back.ActivatedAt);
        Assert.Equal(ActivationKind.AfterLapse, (await ledger.ActivationsAsync(account, product.ProductKey, "d1"))[0].Kind);
        Assert.Empty(await ledger.VerifyAsync());
    }

    // Rule 6

    [Fact]
    public async Task Connect_AfterExpiryWithProductAutoRenewOff_IsRefusedUntilItIsBackOn()
    {
        await using var ledger = new Ledger(database);
        var account = await ledger.CreateAccountAsync();
        var product = await ledger.ProductWithLicensesAsync(account, 3);
        await ledger.ConnectAsync(product.ProductKey, "d1");
        await ledger.AsAccountAsync(account.Id, s => s.GetRequiredService<ProductService>().SetAutoRenewAsync(product.ProductKey, false));
        ledger.Clock.Advance(Year + TimeSpan.FromDays(1));

        var refusal = await ledger.RefusedConnectAsync(product.ProductKey, "d1");
        var usedWhileOff = (await ledger.ProductAsync(account, product.ProductKey)).Used;
        await ledger.AsAccountAsync(account.Id, s => s.GetRequiredService<ProductService>().SetAutoRenewAsync(product.ProductKey, true));
        ledger.Clock.Advance(TimeSpan.FromDays(5));
        var back = await ledger.ConnectAsync(product.ProductKey, "d1");

        Assert.Equal(ErrorCodes.AutoRenewOff, refusal);
        Assert.Equal(1, usedWhileOff);
        Assert.Equal((ConnectionResult.Renewed, ledger.Now), (back.Result, back.ActivatedAt));
        Assert.Equal(2, (await ledger.ProductAsync(account, product.ProductKey)).Used);
    }

    [Fact]
    public async Task Connect_AfterExpiryOfABlacklistedDevice_IsRefusedAndOthersRenew()
    {
        await using var ledger = new Ledger(database);
        var account = await ledger.CreateAccountAsync();
        var product = await ledger.ProductWithLicensesAsync(account, 5);
        await ledger.ConnectAsync(product.ProductKey, "listed");
        await ledger.ConnectAsync(product.ProductKey, "other");
        await ledger.AsAccountAsync(account.Id, s => s.GetRequiredService<DeviceService>().SetAutoRenewAsync(product.ProductKey, "listed", false));
        ledger.Clock.Advance(Year + TimeSpan.FromDays(1));

        Assert.Equal(ErrorCodes.AutoRenewOff, await ledger.RefusedConnectAsync(product.ProductKey, "listed"));
        Assert.Equal(ConnectionResult.Renewed, (await ledger.ConnectAsync(product.ProductKey, "other")).Result);
        Assert.Equal(3, (await ledger.ProductAsync(account, product.ProductKey)).Used);
    }

    // Rule 7

    [Fact]
    public async Task DeleteDevice_ThenReconnectWithinValidity_RestoresWithoutConsuming()
    {
        await using var ledger = new Ledger(database);
        var account = await ledger.CreateAccountAsync();
        var product = await ledger.ProductWithLicensesAsync(account, 3);
        var first = await ledger.ConnectAsync(product.ProductKey, "d1");

        await ledger.AsPlatformAsync(async s => { await s.GetRequiredService<DeviceService>().DeleteAsync(product.ProductKey, "d1"); return 0; });
        var afterDelete = await ledger.ProductAsync(account, product.ProductKey);
        ledger.Clock.Advance(TimeSpan.FromDays(100));
        var back = await ledger.ConnectAsync(product.ProductKey, "d1");

        Assert.Equal((3L, 1L), (afterDelete.Total, afterDelete.Used));
        Assert.Equal((ConnectionResult.Restored, false, first.ExpiresAt), (back.Result, back.Consumed, back.ExpiresAt));
        Assert.Equal(DeviceStatus.Valid, (await ledger.DeviceAsync(account, product.ProductKey, "d1")).Status);
        Assert.Equal(1, (await ledger.ProductAsync(account, product.ProductKey)).Used);
    }

    [Fact]
    public async Task DeleteDevice_ThenReconnectAfterValidity_IsAFirstConnection()
    {
        await using var ledger = new Ledger(database);
        var account = await ledger.CreateAccountAsync();
        var product = await ledger.ProductWithLicensesAsync(account, 3);
        await ledger.ConnectAsync(product.ProductKey, "d1");
        await ledger.AsPlatformAsync(async s => { await s.GetRequiredService<DeviceService>().DeleteAsync(product.ProductKey, "d1"); return 0; });
        ledger.Clock.Advance(Year + TimeSpan.FromDays(10));

        var back = await ledger.ConnectAsync(product.ProductKey, "d1");

        Assert.Equal((ConnectionResult.Activated, true, ledger.Now), (back.Result, back.Consumed, back.ActivatedAt));
        Assert.Equal(ActivationKind.First, (await ledger.ActivationsAsync(account, product.ProductKey, "d1"))[0].Kind);
        Assert.Equal(2, (await ledger.ProductAsync(account, product.ProductKey)).Used);
        Assert.Empty(await ledger.VerifyAsync());
    }

    // Rule 8

    [Fact]
    public async Task DeleteProduct_ForfeitsItsLicensesAndItsDevicesCanNoLongerConnect()
    {
        await using var ledger = new Ledger(database);
        var account = await ledger.CreateAccountAsync();
        await ledger.BuyAsync(account, "STD-1Y", 10);
        var product = await ledger.CreateProductAsync(account);
        await ledger.AllocateAsync(account, product.ProductKey, "STD-1Y", 6);
        await ledger.ConnectAsync(product.ProductKey, "d1");
        var forfeit = await ledger.AsAccountAsync(account.Id, s => s.GetRequiredService<ProductService>().ForfeitAsync(product.ProductKey));

        await ledger.AsAccountAsync(account.Id, s => s.GetRequiredService<ProductService>().DeleteAsync(product.ProductKey, product.ProductKey));

        Assert.Equal((1L, 5L, 1L), (forfeit.Used, forfeit.Unused, forfeit.Devices));
        Assert.Equal(ErrorCodes.ProductDeleted, await ledger.RefusedConnectAsync(product.ProductKey, "d1"));
        Assert.Equal(ErrorCodes.ProductDeleted, await ledger.RefusedConnectAsync(product.ProductKey, "new-device"));
        var summary = await ledger.SummaryAsync(account);
        Assert.Equal((4L, 0L, 4L), (summary.Total, summary.Used, summary.Unallocated));
        Assert.Null(await ledger.AsAccountAsync(account.Id, s => s.GetRequiredService<ProductService>().FindAsync(product.ProductKey)));
        Assert.Empty(await ledger.VerifyAsync());
    }

    [Fact]
    public async Task ProductChanges_AutoRenewAndDeletion_AreAuditedWithBeforeAndAfter()
    {
        await using var ledger = new Ledger(database);
        var account = await ledger.CreateAccountAsync();
        var product = await ledger.ProductWithLicensesAsync(account, 4);
        await ledger.ConnectAsync(product.ProductKey, "d1");

        await ledger.AsAccountAsync(account.Id, s => s.GetRequiredService<ProductService>().SetAutoRenewAsync(product.ProductKey, false));
        await ledger.AsAccountAsync(account.Id, s => s.GetRequiredService<ProductService>().DeleteAsync(product.ProductKey, product.ProductKey));

        await using var db = database.CreatePlatformContext();
        var entries = await db.AuditEntries.Where(e => e.AccountId == account.Id && e.Subject == product.ProductKey)
            .OrderBy(e => e.Id).ToListAsync(TestContext.Current.CancellationToken);
        Assert.Equal(["product.create", "purchase.record", "product.auto_renew", "product.delete"], entries.Select(e => e.Action));
        Assert.Equal(("{\"autoRenew\":true}", "{\"autoRenew\":false}"), (entries[2].Before, entries[2].After));
        Assert.Contains("\"used\":1", entries[3].Before, StringComparison.Ordinal);
        Assert.Contains("\"unused\":3", entries[3].Before, StringComparison.Ordinal);
        Assert.All(entries.Where(e => e.Action != "purchase.record"), e => Assert.Equal("owner@example.com", e.Actor));
    }

    [Fact]
    public async Task DeleteProduct_WithoutTheMatchingConfirmation_IsRefusedAndChangesNothing()
    {
        await using var ledger = new Ledger(database);
        var account = await ledger.CreateAccountAsync();
        var product = await ledger.ProductWithLicensesAsync(account, 2);

        var error = await Assert.ThrowsAsync<DomainException>(() =>
            ledger.AsAccountAsync(account.Id, s => s.GetRequiredService<ProductService>().DeleteAsync(product.ProductKey, "something-else")));

        Assert.Equal((ErrorCodes.ValidationFailed, "confirm"), (error.Code, error.Field));
        Assert.Equal(ConnectionResult.Activated, (await ledger.ConnectAsync(product.ProductKey, "d1")).Result);
    }
}

public sealed class PostgresLedgerRulesTests(PostgresDatabase database) : LedgerRulesTests(database), IClassFixture<PostgresDatabase>;

public sealed class SqliteLedgerRulesTests(SqliteDatabase database) : LedgerRulesTests(database), IClassFixture<SqliteDatabase>;
