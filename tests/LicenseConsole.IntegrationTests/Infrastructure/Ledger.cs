using LicenseConsole.Accounts;
using LicenseConsole.Common;
using LicenseConsole.Devices;
using LicenseConsole.Licensing;
using LicenseConsole.Products;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;

namespace LicenseConsole.IntegrationTests.Infrastructure;

/// <summary>
/// The Core services on a test database with a clock the test moves, and short-hands for the steps of a
/// ledger story (buy, allocate, connect). Every call runs in its own DI scope, as a request would.
/// </summary>
public sealed class Ledger : IAsyncDisposable
{
    public static readonly DateTimeOffset Start = new(2026, 3, 1, 4, 0, 0, TimeSpan.Zero);
    private readonly ServiceProvider _services;
    private readonly IHostedService[] _hosted;

    public Ledger(TestDatabase database, IDictionary<string, string?>? settings = null, Action<IServiceCollection>? configure = null)
    {
        Database = database;
        Clock = new FakeTimeProvider(Start);
        _services = database.CreateServices(s =>
        {
            s.AddSingleton<TimeProvider>(Clock);
            configure?.Invoke(s);
        }, settings);

        // The hosted parts of Core (the connection batcher on PostgreSQL) run as the app's host runs them.
        _hosted = [.. _services.GetServices<IHostedService>()];
        foreach (var hosted in _hosted)
        {
            hosted.StartAsync(CancellationToken.None).GetAwaiter().GetResult();
        }
    }

    public IServiceProvider Services => _services;

    public TestDatabase Database { get; }

    public FakeTimeProvider Clock { get; }

    public DateTime Now => Clock.GetUtcNow().UtcDateTime;

    public async Task<T> AsPlatformAsync<T>(Func<IServiceProvider, Task<T>> work)
    {
        await using var scope = _services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<TenantContext>().ActForPlatform("test-platform");
        return await work(scope.ServiceProvider);
    }

    public async Task<T> AsAccountAsync<T>(Guid accountId, Func<IServiceProvider, Task<T>> work)
    {
        await using var scope = _services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<TenantContext>().ActForOwner(accountId, "owner@example.com");
        return await work(scope.ServiceProvider);
    }

    public Task AsAccountAsync(Guid accountId, Func<IServiceProvider, Task> work) =>
        AsAccountAsync(accountId, async s => { await work(s); return true; });

    /// <summary>An account row of its own (no sign-in user: the ledger does not need one).</summary>
    public async Task<Account> CreateAccountAsync(string dataCenter = "cn-east", string timeZone = "Asia/Shanghai", string culture = "zh-CN")
    {
        var account = new Account
        {
            OwnerEmail = $"owner-{Guid.NewGuid():N}@example.com",
            DataCenterCode = dataCenter,
            TimeZoneId = timeZone,
            Culture = culture,
            CreatedAt = Now,
        };
        await using var db = Database.CreatePlatformContext();
        db.Accounts.Add(account);
        await db.SaveChangesAsync();
        return account;
    }

    public Task<PurchaseOutcome> BuyAsync(Account account, string spec, int quantity, string? productKey = null, string? orderId = null) =>
        AsPlatformAsync(s => s.GetRequiredService<PurchaseService>().RecordAsync(
            new PurchaseRequest(orderId ?? "order-" + Guid.NewGuid().ToString("N"), account.Id, spec, quantity, productKey)));

    public Task<ProductLicenses> CreateProductAsync(Account account, string? name = null) =>
        AsAccountAsync(account.Id, s => s.GetRequiredService<ProductService>().CreateAsync(name ?? "Product " + Guid.NewGuid().ToString("N")[..6], null));

    /// <summary>A product holding <paramref name="licenses"/> licenses of <paramref name="spec"/>, bought for it directly.</summary>
    public async Task<ProductLicenses> ProductWithLicensesAsync(Account account, int licenses, string spec = "STD-1Y")
    {
        var product = await CreateProductAsync(account);
        await BuyAsync(account, spec, licenses, product.ProductKey);
        return await ProductAsync(account, product.ProductKey);
    }

    public Task<AllocationRecord> AllocateAsync(Account account, string productKey, string spec, int quantity, string? requestId = null) =>
        AsAccountAsync(account.Id, s => s.GetRequiredService<AllocationService>().AllocateAsync(productKey, spec, quantity, requestId));

    /// <summary>A device connects, through the path the app takes on this provider (batched on PostgreSQL).</summary>
    public Task<ConnectionOutcome> ConnectAsync(string productKey, string deviceKey, string dataCenter = "cn-east") =>
        AsPlatformAsync(s => s.GetRequiredService<IDeviceConnections>().ConnectAsync(productKey, deviceKey, dataCenter));

    /// <summary>A device connects through a bulk call of its own: settled at once, beside the batcher's batches.</summary>
    public async Task<ConnectionOutcome> ConnectInBulkAsync(string productKey, string deviceKey, string dataCenter = "cn-east")
    {
        var answers = await AsPlatformAsync(s => s.GetRequiredService<IDeviceConnections>()
            .ConnectManyAsync([new ConnectionInput(productKey, deviceKey, dataCenter)]));
        var answer = Assert.Single(answers);
        return answer.Outcome ?? throw answer.Refusal!;
    }

    /// <summary>Many connections in one bulk call.</summary>
    public Task<IReadOnlyList<ConnectionAnswer>> ConnectManyAsync(params (string ProductKey, string DeviceKey)[] connections) =>
        AsPlatformAsync(s => s.GetRequiredService<IDeviceConnections>()
            .ConnectManyAsync([.. connections.Select(c => new ConnectionInput(c.ProductKey, c.DeviceKey, "cn-east"))]));

    /// <summary>The refusal code of a connection that must be refused.</summary>
    public async Task<string> RefusedConnectAsync(string productKey, string deviceKey, string dataCenter = "cn-east")
    {
        var error = await Assert.ThrowsAsync<DomainException>(() => ConnectAsync(productKey, deviceKey, dataCenter));
        return error.Code;
    }

    public Task<ProductLicenses> ProductAsync(Account account, string productKey) =>
        AsAccountAsync(account.Id, s => s.GetRequiredService<ProductService>().RequireAsync(productKey));

    public Task<LicenseSummary> SummaryAsync(Account account) =>
        AsAccountAsync(account.Id, s => s.GetRequiredService<LicenseSummaryService>().GetSummaryAsync());

    public async Task<IReadOnlyList<ActivationRecord>> ActivationsAsync(Account account, string productKey, string deviceKey) =>
        (await AsAccountAsync(account.Id, s => s.GetRequiredService<DeviceService>().ActivationsAsync(productKey, deviceKey, PageRequest.From(1, 500)))).Items;

    public async Task<DeviceRecord> DeviceAsync(Account account, string productKey, string deviceKey)
    {
        var page = await AsAccountAsync(account.Id, s => s.GetRequiredService<DeviceService>()
            .ListAsync(productKey, new DeviceFilter(DeviceKey: deviceKey), PageRequest.From(1, 500)));
        return Assert.Single(page.Items, d => d.DeviceKey == deviceKey);
    }

    /// <summary>One turn of the background worker: renewals, then alerts.</summary>
    public Task<LicenseConsole.Renewal.WorkerRun> RunWorkerAsync() =>
        AsPlatformAsync(s => s.GetRequiredService<LicenseConsole.Renewal.WorkerCycle>().RunOnceAsync(CancellationToken.None));

    public Task<LicenseConsole.Renewal.RenewalOutcome> RenewAsync() =>
        AsPlatformAsync(s => s.GetRequiredService<LicenseConsole.Renewal.RenewalJob>().RunAsync(CancellationToken.None));

    /// <summary>The ledger's invariants over the whole database: empty when it adds up.</summary>
    public Task<IReadOnlyList<LedgerBreach>> VerifyAsync() =>
        AsPlatformAsync(s => s.GetRequiredService<LedgerVerifier>().VerifyAsync());

    public async ValueTask DisposeAsync()
    {
        foreach (var hosted in _hosted.Reverse())
        {
            await hosted.StopAsync(CancellationToken.None);
        }

        await _services.DisposeAsync();
    }
}
