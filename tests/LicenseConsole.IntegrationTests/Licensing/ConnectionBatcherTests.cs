using System.Diagnostics;
using System.Globalization;
using LicenseConsole.Devices;
using LicenseConsole.IntegrationTests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace LicenseConsole.IntegrationTests.Licensing;

/// <summary>
/// The batcher's lifetime (the host's to start and stop, the caller's to give up waiting) and how many batches it
/// sends to the database at once.
/// </summary>
public sealed class ConnectionBatcherTests(PostgresDatabase database) : IClassFixture<PostgresDatabase>
{
    [Fact]
    public async Task Connect_CallerCancelledBeforeItsBatch_IsNotSettled()
    {
        await using var ledger = new Ledger(database);
        var account = await ledger.CreateAccountAsync();
        var product = await ledger.ProductWithLicensesAsync(account, 5);
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            ledger.AsPlatformAsync(s => s.GetRequiredService<IDeviceConnections>().ConnectAsync(product.ProductKey, "gave-up", "cn-east", cancelled.Token)));
        await ledger.ConnectAsync(product.ProductKey, "next");

        var pool = await ledger.ProductAsync(account, product.ProductKey);
        Assert.Equal(1, pool.Used);
        var devices = await ledger.AsAccountAsync(account.Id, s => s.GetRequiredService<DeviceService>()
            .ListAsync(product.ProductKey, new DeviceFilter(), LicenseConsole.Common.PageRequest.From(1, 50)));
        Assert.Equal(["next"], devices.Items.Select(d => d.DeviceKey));
    }

    [Fact]
    public async Task Stop_WithConnectionsQueued_SettlesThemAllBeforeItEnds()
    {
        await using var ledger = new Ledger(database);
        var account = await ledger.CreateAccountAsync();
        var product = await ledger.ProductWithLicensesAsync(account, 300);
        var batcher = ledger.Services.GetRequiredService<ConnectionBatcher>();
        var connections = ledger.Services.GetRequiredService<IDeviceConnections>();

        var queued = Enumerable.Range(0, 200).Select(i => connections.ConnectAsync(product.ProductKey, $"queued-{i:D3}", "cn-east", TestContext.Current.CancellationToken)).ToList();
        await batcher.StopAsync(TestContext.Current.CancellationToken);

        // Settled and committed before the stop returned; the callers then hear their answers.
        Assert.Equal(200, (await ledger.ProductAsync(account, product.ProductKey)).Used);
        var outcomes = await Task.WhenAll(queued).WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        Assert.All(outcomes, o => Assert.Equal(ConnectionResult.Activated, o.Result));
        await Assert.ThrowsAsync<InvalidOperationException>(() => connections.ConnectAsync(product.ProductKey, "late", "cn-east", TestContext.Current.CancellationToken));
    }

    /// <summary>
    /// One batch goes to the database while connections wait; further ones join it only while whole batches wait
    /// behind it, up to <c>Connections:Workers</c>. The product's row is held here, so every batch that reaches the
    /// database waits there and can be counted.
    /// </summary>
    [Theory]
    [InlineData(1, 1)]
    [InlineData(3, 3)]
    public async Task Connect_WholeBatchesWaitingBehindOneAtTheDatabase_JoinItUpToTheWorkers(int workers, int atOnce)
    {
        await using var ledger = new Ledger(database, new Dictionary<string, string?>
        {
            ["Connections:Workers"] = workers.ToString(CultureInfo.InvariantCulture),
            ["Connections:BatchSize"] = "4",
        });
        var account = await ledger.CreateAccountAsync();
        var product = await ledger.ProductWithLicensesAsync(account, 50);
        var connections = ledger.Services.GetRequiredService<IDeviceConnections>();
        await using var holder = new NpgsqlConnection(database.ConnectionString);
        await holder.OpenAsync(TestContext.Current.CancellationToken);
        await using var hold = await holder.BeginTransactionAsync(TestContext.Current.CancellationToken);
        await Execute(holder, $"SELECT id FROM products WHERE product_key = '{product.ProductKey}' FOR UPDATE");

        // Counted from a session of its own: a transaction sees the activity it read first for as long as it lasts.
        await using var watcher = new NpgsqlConnection(database.ConnectionString);
        await watcher.OpenAsync(TestContext.Current.CancellationToken);

        var pending = Enumerable.Range(0, 16).Select(i => connections.ConnectAsync(product.ProductKey, $"waiting-{i:D2}", "cn-east", TestContext.Current.CancellationToken)).ToList();
        var most = 0;
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < TimeSpan.FromSeconds(3))
        {
            most = Math.Max(most, Convert.ToInt32(await Execute(watcher,
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"), CultureInfo.InvariantCulture));
            await Task.Delay(50, TestContext.Current.CancellationToken);
        }

        await hold.RollbackAsync(TestContext.Current.CancellationToken);
        var outcomes = await Task.WhenAll(pending).WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);

        Assert.Equal(atOnce, most);
        Assert.All(outcomes, o => Assert.Equal(ConnectionResult.Activated, o.Result));
        Assert.Equal(16, (await ledger.ProductAsync(account, product.ProductKey)).Used);
    }

    private static async Task<object?> Execute(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync(TestContext.Current.CancellationToken);
    }
}
