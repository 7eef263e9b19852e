using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;

namespace LicenseConsole.Bench;

public sealed partial class Bench
{
    public const int FreshProducts = 100;

    /// <summary>
    /// What a new user meets: a database the app has just migrated (nothing seeded, no ANALYZE run by the
    /// benchmark), 100 products with licenses to spare set up through the API, and first activations spread over
    /// them, so that the fleet grows from zero under the load; then pgbench's same transaction on that database.
    /// </summary>
    private async Task FreshAsync(Report report)
    {
        Log("Fresh database: migrated by the app, nothing seeded");
        var connectionString = await _cluster.CreateDatabaseAsync("fresh");
        _runDatabases.Add(connectionString);
        var app = await StartAppAsync("fresh", new Dictionary<string, string> { ["ConnectionStrings__LicenseConsole"] = connectionString });
        using var platform = new HttpClient { BaseAddress = new Uri(app.BaseAddress, "api/v1/") };
        platform.DefaultRequestHeaders.Add("X-Api-Key", PlatformKey);

        var account = await PostAsync(platform, "accounts", new { email = "fresh@bench.local", password = OwnerPassword, dataCenter = "cn-east" });
        var accountId = account.GetProperty("id").GetGuid();
        var key = (await PostAsync(platform, $"accounts/{accountId}/api-keys", new { name = "bench" })).GetProperty("key").GetString()!;
        using var owner = new HttpClient { BaseAddress = platform.BaseAddress };
        owner.DefaultRequestHeaders.Add("X-Api-Key", key);
        var products = Enumerable.Range(0, FreshProducts + 1).Select(p => $"fresh{p:D3}").ToArray();
        foreach (var product in products)
        {
            await PostAsync(owner, "products", new { name = "Fresh " + product, productKey = product });
            await PostAsync(platform, "purchases", new { orderId = "fresh-order-" + product, accountId, specCode = "STD-1Y", quantity = 1_000_000, productKey = product });
        }

        // The app's code paths compiled before the clock starts, on a product of its own (product 0).
        await Wrk.RunAsync("warm-up", app.BaseAddress, ConnectPath, PlatformKey, "",
            Lua.Connect(Wrk.Quote(products[0]), Lua.NewDevice("warm-")), options.Concurrency, TimeSpan.FromSeconds(1));

        Log($"Fresh database: first activations spread over {FreshProducts} products for {options.FreshDuration.TotalSeconds:0} s, in 10 s windows");
        await ProfileStartAsync(connectionString);
        var cpu = CpuProbe.Start(app.ProcessId);
        var windows = new List<Stats>();
        for (var w = 0; w < options.FreshDuration.TotalSeconds / 10; w++)
        {
            windows.Add(await Wrk.RunAsync("window", app.BaseAddress, ConnectPath, PlatformKey, "",
                Lua.Connect(Lua.Spread("fresh%03d", 1, FreshProducts), Lua.NewDevice($"fresh{w}-")), options.Concurrency, TimeSpan.FromSeconds(10)));
        }

        var load = Stats.Joined($"first activations on a fresh database, spread over {FreshProducts} products", windows);
        report.FreshCpu = cpu.Stop();
        report.Fresh = load;
        await ProfileEndAsync(connectionString, "fresh database, first activations", load.Count);
        Log($"  {load.PerSecond:N0}/s; per 10 s: {string.Join(", ", load.Windows.Select(r => r.ToString("N0", System.Globalization.CultureInfo.InvariantCulture)))}; errors {load.Errors}");
        report.FreshScans = await ScalarAsync(connectionString, "SELECT coalesce(sum(seq_scan), 0) FROM pg_stat_user_tables WHERE relname IN ('devices', 'activations', 'product_pools')");
        report.FreshDevices = await ScalarAsync(connectionString, "SELECT count(*) FROM devices");
        await app.DisposeAsync();

        report.LedgerChecks.Add(("fresh database, after its load", await BreachesAsync(connectionString)));
        var ids = await ProductIdsAsync(connectionString, products[1..]);
        var (spread, _) = await PgBenchAsync(connectionString, accountId, ids, null);
        report.PgBenchFresh = spread;
        Log($"  pgbench on it: {spread:N0} tps");
    }

    private static async Task<JsonElement> PostAsync(HttpClient client, string path, object body)
    {
        using var response = await client.PostAsJsonAsync(path, body);
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"POST {path} answered {(int)response.StatusCode}: {text}");
        }

        return JsonDocument.Parse(text).RootElement.Clone();
    }

    private static async Task<long[]> ProductIdsAsync(string connectionString, string[] productKeys)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT id FROM products WHERE product_key = ANY(@keys) ORDER BY id", connection);
        command.Parameters.AddWithValue("keys", productKeys);
        var ids = new List<long>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            ids.Add(reader.GetInt64(0));
        }

        return [.. ids];
    }
}
