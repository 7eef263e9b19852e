using System.Globalization;
using LicenseConsole.Common;
using LicenseConsole.Devices;
using LicenseConsole.IntegrationTests.Infrastructure;

namespace LicenseConsole.IntegrationTests.Licensing;

/// <summary>
/// Licenses are counted like money: races on PostgreSQL (real row locks, real concurrency) never
/// consume one twice, lose one or create one.
/// </summary>
public sealed class ConcurrencyTests(PostgresDatabase database) : IClassFixture<PostgresDatabase>
{
    [Theory]
    [InlineData(true, 1)]
    [InlineData(true, 4)]
    [InlineData(false, 1)]
    public async Task Connect_TwoHundredDevicesRaceForFiftyLicenses_ExactlyFiftyActivate(bool batched, int batchesInFlight)
    {
        await using var ledger = Ledger(batchesInFlight);
        var account = await ledger.CreateAccountAsync();
        var product = await ledger.ProductWithLicensesAsync(account, 50);

        var outcomes = await RaceAsync(200, i => Connect(ledger, batched)(product.ProductKey, $"racer-{i:D3}"));

        Assert.Equal(50, outcomes.Count(o => o.Outcome?.Result == ConnectionResult.Activated));
        Assert.Equal(150, outcomes.Count(o => o.Error == ErrorCodes.NoLicenseAvailable));
        Assert.Equal(200, outcomes.Count(o => o.Outcome is not null || o.Error == ErrorCodes.NoLicenseAvailable));
        var pool = await ledger.ProductAsync(account, product.ProductKey);
        Assert.Equal((50L, 50L), (pool.Total, pool.Used));
        Assert.Empty(await ledger.VerifyAsync());
    }

    [Theory]
    [InlineData(true, 1)]
    [InlineData(true, 4)]
    [InlineData(false, 1)]
    public async Task Connect_OneDeviceFiftyTimesAtOnce_ConsumesExactlyOne(bool batched, int batchesInFlight)
    {
        await using var ledger = Ledger(batchesInFlight);
        var account = await ledger.CreateAccountAsync();
        var product = await ledger.ProductWithLicensesAsync(account, 10);

        var outcomes = await RaceAsync(50, _ => Connect(ledger, batched)(product.ProductKey, "same-device"));

        Assert.All(outcomes, o => Assert.Null(o.Error));
        Assert.Equal(1, outcomes.Count(o => o.Outcome!.Consumed));
        Assert.Single(outcomes.Select(o => o.Outcome!.ExpiresAt).Distinct());
        Assert.Equal(1, (await ledger.ProductAsync(account, product.ProductKey)).Used);
        Assert.Single(await ledger.ActivationsAsync(account, product.ProductKey, "same-device"));
        Assert.Empty(await ledger.VerifyAsync());
    }

    [Theory]
    [InlineData(true, 1)]
    [InlineData(true, 4)]
    [InlineData(false, 1)]
    public async Task Connect_ExpiredDeviceThirtyTimesAtOnce_RenewsExactlyOnce(bool batched, int batchesInFlight)
    {
        await using var ledger = Ledger(batchesInFlight);
        var account = await ledger.CreateAccountAsync();
        var product = await ledger.ProductWithLicensesAsync(account, 10);
        var first = await ledger.ConnectAsync(product.ProductKey, "d1");
        ledger.Clock.Advance(TimeSpan.FromDays(370));

        var outcomes = await RaceAsync(30, _ => Connect(ledger, batched)(product.ProductKey, "d1"));

        Assert.All(outcomes, o => Assert.Equal(first.ExpiresAt.AddMonths(12), o.Outcome!.ExpiresAt));
        Assert.Equal(1, outcomes.Count(o => o.Outcome!.Result == ConnectionResult.Renewed));
        Assert.Equal(2, (await ledger.ProductAsync(account, product.ProductKey)).Used);
        Assert.Empty(await ledger.VerifyAsync());
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    public async Task Connect_BatchedAndBulkPathsRacingForOnePool_NeverOversellOrDoubleConsume(int batchesInFlight)
    {
        await using var ledger = Ledger(batchesInFlight);
        var account = await ledger.CreateAccountAsync();
        var product = await ledger.ProductWithLicensesAsync(account, 60);

        // 100 devices, each connecting once through each path at the same time.
        var outcomes = await RaceAsync(200, i => Connect(ledger, batched: i % 2 == 0)(product.ProductKey, $"dual-{i / 2:D3}"));

        Assert.Equal(60, outcomes.Count(o => o.Outcome?.Consumed == true));
        Assert.All(outcomes, o => Assert.True(o.Outcome is not null || o.Error == ErrorCodes.NoLicenseAvailable, o.Error));
        Assert.Equal(60, (await ledger.ProductAsync(account, product.ProductKey)).Used);
        Assert.Empty(await ledger.VerifyAsync());
    }

    [Fact]
    public async Task ConnectMany_TenBulkCallsRacingForOnePool_GrantExactlyThePool()
    {
        await using var ledger = Ledger(1);
        var account = await ledger.CreateAccountAsync();
        var product = await ledger.ProductWithLicensesAsync(account, 100);

        var calls = await Task.WhenAll(Enumerable.Range(0, 10).Select(c => Task.Run(() =>
            ledger.ConnectManyAsync([.. Enumerable.Range(0, 30).Select(i => (product.ProductKey, $"bulk-{c:D2}-{i:D2}"))]))));

        var answers = calls.SelectMany(a => a).ToList();
        Assert.Equal(100, answers.Count(a => a.Outcome?.Result == ConnectionResult.Activated));
        Assert.Equal(200, answers.Count(a => a.Refusal?.Code == ErrorCodes.NoLicenseAvailable));
        Assert.Equal((100L, 100L), ((await ledger.ProductAsync(account, product.ProductKey)).Total, (await ledger.ProductAsync(account, product.ProductKey)).Used));
        Assert.Empty(await ledger.VerifyAsync());
    }

    [Fact]
    public async Task ConnectMany_OneNewDeviceInManyRacingCallsAndSingleConnects_ConsumesExactlyOne()
    {
        await using var ledger = Ledger(1);
        var account = await ledger.CreateAccountAsync();
        var product = await ledger.ProductWithLicensesAsync(account, 10);

        var bulk = Enumerable.Range(0, 10).Select(_ => Task.Run(() => ledger.ConnectManyAsync([.. Enumerable.Repeat((product.ProductKey, "shared"), 5)])));
        var single = await RaceAsync(20, _ => ledger.ConnectAsync(product.ProductKey, "shared"));
        var answers = (await Task.WhenAll(bulk)).SelectMany(a => a).ToList();

        Assert.All(answers, a => Assert.NotNull(a.Outcome));
        Assert.All(single, o => Assert.Null(o.Error));
        Assert.Equal(1, answers.Count(a => a.Outcome!.Consumed) + single.Count(o => o.Outcome!.Consumed));
        Assert.Single(answers.Select(a => a.Outcome!.ExpiresAt).Concat(single.Select(o => o.Outcome!.ExpiresAt)).Distinct());
        Assert.Equal(1, (await ledger.ProductAsync(account, product.ProductKey)).Used);
        Assert.Empty(await ledger.VerifyAsync());
    }

    [Fact]
    public async Task Allocate_FortyRacingAllocationsOfThree_NeverOverdrawTheUnallocatedPool()
    {
        await using var ledger = new Ledger(database);
        var account = await ledger.CreateAccountAsync();
        await ledger.BuyAsync(account, "STD-1Y", 100);
        var products = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            products.Add((await ledger.CreateProductAsync(account)).ProductKey);
        }

        var outcomes = await RaceAsync(40, i => ledger.AllocateAsync(account, products[i % 4], "STD-1Y", 3));

        Assert.Equal(33, outcomes.Count(o => o.Outcome is not null));
        Assert.Equal(7, outcomes.Count(o => o.Error == ErrorCodes.InsufficientLicenses));
        var summary = await ledger.SummaryAsync(account);
        Assert.Equal((1L, 100L), (summary.Unallocated, summary.Total));
        Assert.Empty(await ledger.VerifyAsync());
    }

    [Fact]
    public async Task Allocate_TwoSpecsRaceToBeAProductsFirst_OnlyOneSpecWins()
    {
        await using var ledger = new Ledger(database);
        var account = await ledger.CreateAccountAsync();
        await ledger.BuyAsync(account, "STD-1Y", 50);
        await ledger.BuyAsync(account, "STD-2Y", 50);
        var product = await ledger.CreateProductAsync(account);

        var outcomes = await RaceAsync(20, i => ledger.AllocateAsync(account, product.ProductKey, i % 2 == 0 ? "STD-1Y" : "STD-2Y", 1));

        var winners = outcomes.Where(o => o.Outcome is not null).Select(o => o.Outcome!.SpecCode).Distinct().ToList();
        var spec = Assert.Single(winners);
        Assert.Equal(10, outcomes.Count(o => o.Outcome is not null));
        Assert.Equal(10, outcomes.Count(o => o.Error == ErrorCodes.SpecMismatch));
        Assert.Equal(spec, (await ledger.ProductAsync(account, product.ProductKey)).SpecCode);
        Assert.Empty(await ledger.VerifyAsync());
    }

    [Fact]
    public async Task Allocate_DoubleSubmitRacingWithOneRequestId_AllocatesOnce()
    {
        await using var ledger = new Ledger(database);
        var account = await ledger.CreateAccountAsync();
        await ledger.BuyAsync(account, "STD-1Y", 50);
        var product = await ledger.CreateProductAsync(account);

        var outcomes = await RaceAsync(10, _ => ledger.AllocateAsync(account, product.ProductKey, "STD-1Y", 5, "submit-1"));

        Assert.All(outcomes, o => Assert.Null(o.Error));
        Assert.Single(outcomes.Select(o => o.Outcome!.Id).Distinct());
        Assert.Equal(45, (await ledger.SummaryAsync(account)).Unallocated);
    }

    [Fact]
    public async Task Purchase_SameOrderTwentyTimesAtOnce_AddsItsLicensesOnce()
    {
        await using var ledger = new Ledger(database);
        var account = await ledger.CreateAccountAsync();
        var orderId = "order-" + Guid.NewGuid().ToString("N");

        var outcomes = await RaceAsync(20, _ => ledger.BuyAsync(account, "STD-1Y", 25, orderId: orderId));

        Assert.All(outcomes, o => Assert.Null(o.Error));
        Assert.Equal(1, outcomes.Count(o => o.Outcome!.Created));
        Assert.Equal(25, (await ledger.SummaryAsync(account)).Unallocated);
        Assert.Empty(await ledger.VerifyAsync());
    }

    /// <summary>
    /// A ledger whose batched connections run up to this many batches at once (<c>Connections:Workers</c>). A further
    /// batch starts only while a whole batch waits, so with more than one the batches hold four connections: the
    /// races then always have several batches at the database together.
    /// </summary>
    private Ledger Ledger(int batchesInFlight) =>
        new(database, new Dictionary<string, string?>
        {
            ["Connections:Workers"] = batchesInFlight.ToString(CultureInfo.InvariantCulture),
            ["Connections:BatchSize"] = batchesInFlight > 1 ? "4" : "256",
        });

    private static Func<string, string, Task<ConnectionOutcome>> Connect(Ledger ledger, bool batched) =>
        batched ? (pk, dk) => ledger.ConnectAsync(pk, dk) : (pk, dk) => ledger.ConnectInBulkAsync(pk, dk);

    /// <summary>Starts <paramref name="count"/> calls together and collects each outcome or refusal code.</summary>
    private static async Task<IReadOnlyList<(T? Outcome, string? Error)>> RaceAsync<T>(int count, Func<int, Task<T>> call)
        where T : class
    {
        using var start = new ManualResetEventSlim(false);
        var tasks = Enumerable.Range(0, count).Select(i => Task.Run(async () =>
        {
            start.Wait(TestContext.Current.CancellationToken);
            try
            {
                return ((T?)await call(i), (string?)null);
            }
            catch (DomainException e)
            {
                return (null, e.Code);
            }
        })).ToList();
        start.Set();
        return await Task.WhenAll(tasks);
    }
}
