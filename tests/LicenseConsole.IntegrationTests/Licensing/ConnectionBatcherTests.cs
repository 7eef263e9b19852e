using LicenseConsole.Devices;
using LicenseConsole.IntegrationTests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace LicenseConsole.IntegrationTests.Licensing;

/// <summary>The batcher's lifetime: the host's to start and stop, the caller's to give up waiting.</summary>
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
}
