using System.Data.Common;
using LicenseConsole.Data;
using LicenseConsole.Devices;
using LicenseConsole.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;

namespace LicenseConsole.IntegrationTests.Renewal;

/// <summary>The worker under concurrency and crashes, on PostgreSQL: never a license consumed twice or lost.</summary>
public sealed class RenewalConcurrencyTests(PostgresDatabases databases) : IClassFixture<PostgresDatabases>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Run_FourWorkersAndTheDevicesConnectingAllAtOnce_RenewEachDeviceExactlyOnce()
    {
        await using var database = await databases.NewAsync();
        await using var ledger = new Ledger(database, new Dictionary<string, string?> { ["Renewal:BatchSize"] = "25" });
        var account = await ledger.CreateAccountAsync();
        var product = await ledger.ProductWithLicensesAsync(account, 500);
        var devices = Enumerable.Range(1, 200).Select(i => $"d{i:D3}").ToList();
        foreach (var device in devices)
        {
            await ledger.ConnectAsync(product.ProductKey, device);
        }

        ledger.Clock.Advance(TimeSpan.FromDays(366));

        var workers = Enumerable.Range(0, 4).Select(_ => Task.Run(() => ledger.RenewAsync()));
        var connections = devices.Select(d => Task.Run(() => ledger.ConnectAsync(product.ProductKey, d)));
        var outcomes = await Task.WhenAll(workers);
        var connected = await Task.WhenAll(connections);

        Assert.All(connected, c => Assert.True(c.ExpiresAt > ledger.Now));
        Assert.Equal(200, outcomes.Sum(o => o.Renewed) + connected.Count(c => c.Consumed));
        Assert.Equal(400, (await ledger.ProductAsync(account, product.ProductKey)).Used);
        await using var db = database.CreatePlatformContext();
        var perDevice = await db.Activations.Where(a => a.ProductId == db.Products.Single(p => p.ProductKey == product.ProductKey).Id)
            .GroupBy(a => a.DeviceId).Select(g => g.Count()).ToListAsync(Ct);
        Assert.All(perDevice, n => Assert.Equal(2, n));
        Assert.Empty(await ledger.VerifyAsync());
    }

    [Fact]
    public async Task Run_CrashBeforeTheBatchIsCommitted_ConsumesNothingAndTheNextRunRenewsOnce()
    {
        var crash = new CrashOnCommit();
        await using var database = await databases.NewAsync();
        await using var ledger = new Ledger(database, configure: s => s.ConfigureDbContext<LicenseConsoleDbContext>(o => o.AddInterceptors(crash)));
        var account = await ledger.CreateAccountAsync();
        var product = await ledger.ProductWithLicensesAsync(account, 10);
        foreach (var i in Enumerable.Range(1, 4))
        {
            await ledger.ConnectAsync(product.ProductKey, $"d{i}");
        }

        ledger.Clock.Advance(TimeSpan.FromDays(366));
        crash.Armed = true;

        await Assert.ThrowsAsync<CrashException>(() => ledger.RenewAsync());
        var afterCrash = await ledger.ProductAsync(account, product.ProductKey);
        var retried = await ledger.RenewAsync();
        var again = await ledger.RenewAsync();

        Assert.Equal(4, afterCrash.Used);
        Assert.Equal((4, 0), (retried.Renewed, retried.Lapsed));
        Assert.Equal((0, 0), (again.Renewed, again.Lapsed));
        Assert.Equal(8, (await ledger.ProductAsync(account, product.ProductKey)).Used);
        Assert.All(await Task.WhenAll(Enumerable.Range(1, 4).Select(i => ledger.ActivationsAsync(account, product.ProductKey, $"d{i}"))),
            periods => Assert.Equal([ActivationKind.Renewal, ActivationKind.First], periods.Select(p => p.Kind)));
        Assert.Empty(await ledger.VerifyAsync());
    }

    /// <summary>Fails the next commit, as a process killed between the statement and the commit would.</summary>
    private sealed class CrashOnCommit : DbTransactionInterceptor
    {
        public volatile bool Armed;

        public override ValueTask<InterceptionResult> TransactionCommittingAsync(DbTransaction transaction, TransactionEventData eventData, InterceptionResult result, CancellationToken cancellationToken = default)
        {
            if (Armed)
            {
                Armed = false;
                throw new CrashException();
            }

            return ValueTask.FromResult(result);
        }
    }

    private sealed class CrashException() : Exception("The process died before the commit.");
}
