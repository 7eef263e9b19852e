using System.Diagnostics;
using Npgsql;
using NpgsqlTypes;

namespace LicenseConsole.Bench;

/// <summary>
/// The fleet the benchmark runs against, written with binary COPY: one account, 1,000 products, 1,000,000
/// devices (half of them in one giant product, to show that a product of that size pages fast) and three
/// one-year periods per device over the last three years (3,000,000 activations), their current licenses
/// ending over the next year (about 8 % within 30 days). Pools, purchases and allocations add up, so the
/// ledger verifies clean. Products 2–201 and 202–401 expire all at once (the renewal benchmark's two halves).
/// </summary>
public sealed class Fleet
{
    public const int ProductCount = 1000;
    public const int DevicesPerProduct = 500;
    public const int GiantProduct = 1;
    public const int HotProduct = ProductCount;
    public const int PeriodsPerDevice = 3;
    public const int PoolHeadroom = 2000;
    public const int HotPoolHeadroom = 2_000_000;
    public const int SpareUnallocated = 100_000;
    public static readonly (int First, int Last) RenewalHalfA = (2, 201);
    public static readonly (int First, int Last) RenewalHalfB = (202, 401);

    public Fleet(int devices)
    {
        Devices = devices;
        GiantDevices = devices - (ProductCount - 1) * DevicesPerProduct;
        if (GiantDevices < DevicesPerProduct)
        {
            throw new ArgumentOutOfRangeException(nameof(devices), $"At least {ProductCount * DevicesPerProduct} devices.");
        }
    }

    public int Devices { get; }

    public int GiantDevices { get; }

    public Guid AccountId { get; set; }

    public DateTime Now { get; } = DateTime.UtcNow;

    /// <summary>When the renewal benchmark's devices all expired.</summary>
    public DateTime RenewalExpiry => Now.AddHours(-1);

    public static string ProductKey(int product) => $"bench{product:D4}";

    public static string DeviceKey(int product, int index) => $"p{product:D4}-{index:D7}";

    public int DevicesOf(int product) => product == GiantProduct ? GiantDevices : DevicesPerProduct;

    public static bool InRenewalHalf(int product) => product >= RenewalHalfA.First && product <= RenewalHalfB.Last;

    /// <summary>Products whose devices are lapsed in part (auto-renew turned off for some): none of the measured ones.</summary>
    public static bool HasLapsedDevices(int product) => product > RenewalHalfB.Last && product < HotProduct;

    public async Task<TimeSpan> SeedAsync(string connectionString, Action<string> log)
    {
        var watch = Stopwatch.StartNew();
        // COPY of millions of rows, index upkeep included, takes minutes: no command timeout.
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { CommandTimeout = 0 }.ToString());
        await connection.OpenAsync();
        var random = new Random(20261128);
        var used = new long[ProductCount + 1];

        log("  products");
        await using (var products = await connection.BeginBinaryImportAsync(
            "COPY products (id, account_id, product_key, name, spec_code, auto_renew, created_at) FROM STDIN (FORMAT BINARY)"))
        {
            for (var p = 1; p <= ProductCount; p++)
            {
                await products.StartRowAsync();
                await products.WriteAsync((long)p, NpgsqlDbType.Bigint);
                await products.WriteAsync(AccountId, NpgsqlDbType.Uuid);
                await products.WriteAsync(ProductKey(p), NpgsqlDbType.Varchar);
                await products.WriteAsync(p == GiantProduct ? "Giant Meter" : p == HotProduct ? "Hot Sensor" : $"Product {p:D4}", NpgsqlDbType.Varchar);
                await products.WriteAsync("STD-1Y", NpgsqlDbType.Varchar);
                await products.WriteAsync(true, NpgsqlDbType.Boolean);
                await products.WriteAsync(Now.AddYears(-4), NpgsqlDbType.TimestampTz);
            }

            await products.CompleteAsync();
        }

        log("  devices and activations");
        var lastSeen = new Random(7);
        await using (var devices = await connection.BeginBinaryImportAsync(
            "COPY devices (id, account_id, product_id, device_key, auto_renew, created_at, first_activated_at, activated_at, expires_at, lapsed_at, lapse_reason, activation_count, last_data_center, last_connected_at) FROM STDIN (FORMAT BINARY)"))
        {
            long id = 0;
            for (var p = 1; p <= ProductCount; p++)
            {
                for (var i = 1; i <= DevicesOf(p); i++)
                {
                    id++;
                    var (end, lapsed) = CurrentPeriodEnd(p, random);
                    var first = end.AddMonths(-12 * PeriodsPerDevice);
                    used[p] += PeriodsPerDevice;
                    await devices.StartRowAsync();
                    await devices.WriteAsync(id, NpgsqlDbType.Bigint);
                    await devices.WriteAsync(AccountId, NpgsqlDbType.Uuid);
                    await devices.WriteAsync((long)p, NpgsqlDbType.Bigint);
                    await devices.WriteAsync(DeviceKey(p, i), NpgsqlDbType.Varchar);
                    await devices.WriteAsync(!lapsed, NpgsqlDbType.Boolean);
                    await devices.WriteAsync(first, NpgsqlDbType.TimestampTz);
                    await devices.WriteAsync(first, NpgsqlDbType.TimestampTz);
                    await devices.WriteAsync(end.AddMonths(-12), NpgsqlDbType.TimestampTz);
                    await devices.WriteAsync(end, NpgsqlDbType.TimestampTz);
                    if (lapsed)
                    {
                        await devices.WriteAsync(end, NpgsqlDbType.TimestampTz);
                        await devices.WriteAsync("AutoRenewOff", NpgsqlDbType.Varchar);
                    }
                    else
                    {
                        await devices.WriteNullAsync();
                        await devices.WriteNullAsync();
                    }

                    await devices.WriteAsync(PeriodsPerDevice, NpgsqlDbType.Integer);
                    await devices.WriteAsync(DataCenter(id), NpgsqlDbType.Varchar);

                    // A live fleet: every device connected some time in the last day.
                    await devices.WriteAsync(lapsed ? end : Now.AddSeconds(-lastSeen.Next(0, 86_400)), NpgsqlDbType.TimestampTz);
                }
            }

            await devices.CompleteAsync();
        }

        // A second pass with the same seed writes the periods of exactly the devices above.
        random = new Random(20261128);
        await using (var activations = await connection.BeginBinaryImportAsync(
            "COPY activations (id, account_id, product_id, device_id, spec_code, activated_at, expires_at, kind, data_center, recorded_at) FROM STDIN (FORMAT BINARY)"))
        {
            long deviceId = 0, id = 0;
            for (var p = 1; p <= ProductCount; p++)
            {
                for (var i = 1; i <= DevicesOf(p); i++)
                {
                    deviceId++;
                    var (end, _) = CurrentPeriodEnd(p, random);
                    for (var k = PeriodsPerDevice; k >= 1; k--)
                    {
                        var start = end.AddMonths(-12 * k);
                        await activations.StartRowAsync();
                        await activations.WriteAsync(++id, NpgsqlDbType.Bigint);
                        await activations.WriteAsync(AccountId, NpgsqlDbType.Uuid);
                        await activations.WriteAsync((long)p, NpgsqlDbType.Bigint);
                        await activations.WriteAsync(deviceId, NpgsqlDbType.Bigint);
                        await activations.WriteAsync("STD-1Y", NpgsqlDbType.Varchar);
                        await activations.WriteAsync(start, NpgsqlDbType.TimestampTz);
                        await activations.WriteAsync(start.AddMonths(12), NpgsqlDbType.TimestampTz);
                        await activations.WriteAsync(k == PeriodsPerDevice ? "First" : "Renewal", NpgsqlDbType.Varchar);
                        await activations.WriteAsync(DataCenter(deviceId), NpgsqlDbType.Varchar);
                        await activations.WriteAsync(start, NpgsqlDbType.TimestampTz);
                    }
                }
            }

            await activations.CompleteAsync();
        }

        log("  pools, purchases, allocations");
        await using (var pools = await connection.BeginBinaryImportAsync("COPY product_pools (product_id, account_id, total, used) FROM STDIN (FORMAT BINARY)"))
        {
            for (var p = 1; p <= ProductCount; p++)
            {
                await pools.WriteRowAsync(CancellationToken.None, (long)p, AccountId, used[p] + Headroom(p), used[p]);
            }

            await pools.CompleteAsync();
        }

        await using (var purchases = await connection.BeginBinaryImportAsync("COPY purchases (order_id, account_id, spec_code, quantity, created_at) FROM STDIN (FORMAT BINARY)"))
        {
            for (var p = 1; p <= ProductCount; p++)
            {
                await purchases.WriteRowAsync(CancellationToken.None, $"bench-order-{p:D4}", AccountId, "STD-1Y", checked((int)(used[p] + Headroom(p))), Now.AddYears(-4));
            }

            await purchases.WriteRowAsync(CancellationToken.None, "bench-order-spare", AccountId, "STD-1Y", SpareUnallocated, Now.AddYears(-1));
            await purchases.CompleteAsync();
        }

        await using (var allocations = await connection.BeginBinaryImportAsync("COPY allocations (account_id, product_id, spec_code, quantity, created_at, created_by) FROM STDIN (FORMAT BINARY)"))
        {
            for (var p = 1; p <= ProductCount; p++)
            {
                await allocations.WriteRowAsync(CancellationToken.None, AccountId, (long)p, "STD-1Y", checked((int)(used[p] + Headroom(p))), Now.AddYears(-4), "bench");
            }

            await allocations.CompleteAsync();
        }

        await using (var command = new NpgsqlCommand(
            """
            INSERT INTO unallocated_pools (account_id, spec_code, quantity) VALUES (@account, 'STD-1Y', @spare);
            SELECT setval(pg_get_serial_sequence('products', 'id'), (SELECT max(id) FROM products));
            SELECT setval(pg_get_serial_sequence('devices', 'id'), (SELECT max(id) FROM devices));
            SELECT setval(pg_get_serial_sequence('activations', 'id'), (SELECT max(id) FROM activations));
            """, connection))
        {
            command.Parameters.AddWithValue("account", AccountId);
            command.Parameters.AddWithValue("spare", (long)SpareUnallocated);
            await command.ExecuteNonQueryAsync();
        }

        log("  vacuum analyze");
        await using (var vacuum = new NpgsqlCommand("VACUUM ANALYZE", connection) { CommandTimeout = 0 })
        {
            await vacuum.ExecuteNonQueryAsync();
        }

        return watch.Elapsed;
    }

    private static long Headroom(int product) => product == HotProduct ? HotPoolHeadroom : PoolHeadroom;

    private static string DataCenter(long id) => id % 20 == 0 ? "ap-southeast" : "cn-east";

    private (DateTime End, bool Lapsed) CurrentPeriodEnd(int product, Random random)
    {
        var draw = random.NextDouble();
        if (InRenewalHalf(product))
        {
            return (RenewalExpiry, false);
        }

        if (HasLapsedDevices(product) && draw < 0.02)
        {
            return (Now.AddDays(-60 * random.NextDouble()), true);
        }

        // Spread evenly over the coming year: about 30/365 of them expire within 30 days.
        return (Now.AddSeconds(3600 + random.NextDouble() * 364 * 86400), false);
    }
}
