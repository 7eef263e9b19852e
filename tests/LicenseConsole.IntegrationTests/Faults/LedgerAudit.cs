using LicenseConsole.Accounts;
using LicenseConsole.Data;
using LicenseConsole.Licensing;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace LicenseConsole.IntegrationTests.Faults;

/// <summary>One activation as the database holds it.</summary>
public sealed record StoredActivation(string ProductKey, string DeviceKey, DateTime ActivatedAt, DateTime ExpiresAt, string Kind);

/// <summary>One product's pool as the database holds it, with the activations recorded against it.</summary>
public sealed record StoredPool(string ProductKey, int Total, int Used, int Activations);

/// <summary>
/// The ledger after a fault, read straight from the database, and held against what the clients were told:
/// a 200 that said a license was consumed must have its activation, and no device may hold more than it paid for.
/// </summary>
public sealed class LedgerAudit
{
    // PostgreSQL keeps microseconds; the answer carries the app's clock to the tick.
    private static readonly TimeSpan Precision = TimeSpan.FromMicroseconds(1);

    private LedgerAudit(IReadOnlyList<StoredActivation> activations, IReadOnlyList<StoredPool> pools, IReadOnlyList<LedgerBreach> breaches)
    {
        Activations = activations;
        Pools = pools;
        Breaches = breaches;
    }

    public IReadOnlyList<StoredActivation> Activations { get; }

    public IReadOnlyList<StoredPool> Pools { get; }

    /// <summary>What <see cref="LedgerVerifier"/> finds, over the whole platform.</summary>
    public IReadOnlyList<LedgerBreach> Breaches { get; }

    public static async Task<LedgerAudit> ReadAsync(string connectionString)
    {
        var ct = TestContext.Current.CancellationToken;
        var activations = new List<StoredActivation>();
        var pools = new List<StoredPool>();
        await using (var connection = new NpgsqlConnection(connectionString))
        {
            await connection.OpenAsync(ct);
            await using (var command = new NpgsqlCommand("""
                SELECT p.product_key, d.device_key, a.activated_at, a.expires_at, a.kind
                FROM activations a JOIN devices d ON d.id = a.device_id JOIN products p ON p.id = a.product_id
                """, connection))
            await using (var reader = await command.ExecuteReaderAsync(ct))
            {
                while (await reader.ReadAsync(ct))
                {
                    activations.Add(new StoredActivation(reader.GetString(0), reader.GetString(1), reader.GetDateTime(2), reader.GetDateTime(3), reader.GetString(4)));
                }
            }

            await using (var command = new NpgsqlCommand("""
                SELECT p.product_key, pp.total, pp.used, (SELECT count(*) FROM activations a WHERE a.product_id = p.id)::int
                FROM products p JOIN product_pools pp ON pp.product_id = p.id
                """, connection))
            await using (var reader = await command.ExecuteReaderAsync(ct))
            {
                while (await reader.ReadAsync(ct))
                {
                    pools.Add(new StoredPool(reader.GetString(0), reader.GetInt32(1), reader.GetInt32(2), reader.GetInt32(3)));
                }
            }
        }

        var tenant = new TenantContext();
        tenant.ActForPlatform("fault-tests");
        var options = DatabaseServiceCollectionExtensions
            .Configure(new DbContextOptionsBuilder<LicenseConsoleDbContext>(), new DatabaseConnection(DatabaseProvider.Postgres, connectionString))
            .Options;
        await using var db = new LicenseConsoleDbContext((DbContextOptions<LicenseConsoleDbContext>)options, tenant);
        var breaches = await new LedgerVerifier(db).VerifyAsync(ct);
        return new LedgerAudit(activations, pools, breaches);
    }

    /// <summary>
    /// What the clients were told that the ledger contradicts, each as a sentence: a consumed license without
    /// its activation, a device with more than <paramref name="maxPerDevice"/> activations, an activation no
    /// answer accounts for (neither a consumed 200 nor a request whose outcome the client could not know), two
    /// different periods reported to one device, a refusal for lack of licenses while the pool still had one.
    /// </summary>
    public IReadOnlyList<string> Contradictions(IReadOnlyCollection<ConnectAttempt> attempts, int maxPerDevice)
    {
        var found = new List<string>();
        var byDevice = Activations.ToLookup(a => (a.ProductKey, a.DeviceKey));
        foreach (var consumed in attempts.Where(a => a.ConsumedForSure))
        {
            if (!byDevice[(consumed.ProductKey, consumed.DeviceKey)].Any(a => Same(a.ActivatedAt, consumed.ActivatedAt!.Value)))
            {
                found.Add($"{consumed.ProductKey}/{consumed.DeviceKey} was told at {consumed.SentAt} that a license was consumed from {consumed.ActivatedAt:O}, but no such activation is recorded");
            }
        }

        foreach (var device in byDevice.Where(d => d.Count() > maxPerDevice))
        {
            found.Add($"{device.Key.ProductKey}/{device.Key.DeviceKey} holds {device.Count()} activations (at most {maxPerDevice} expected)");
        }

        var accounted = attempts.Where(a => a.ConsumedForSure || a.OutcomeUnknown).Select(a => (a.ProductKey, a.DeviceKey)).ToHashSet();
        foreach (var device in byDevice.Where(d => !accounted.Contains(d.Key)))
        {
            found.Add($"{device.Key.ProductKey}/{device.Key.DeviceKey} holds an activation no request was told about");
        }

        foreach (var device in attempts.Where(a => a.Status == 200).GroupBy(a => (a.ProductKey, a.DeviceKey)))
        {
            var periods = device.Select(a => a.ActivatedAt!.Value).Distinct().Order().ToList();
            if (periods.Count > 1 && periods[^1] - periods[0] > Precision && maxPerDevice == 1)
            {
                found.Add($"{device.Key.ProductKey}/{device.Key.DeviceKey} was told of {periods.Count} different periods: {string.Join(", ", periods.Select(p => p.ToString("O")))}");
            }
        }

        var refused = attempts.Where(a => a.Status == 403 && a.Code == "no_license_available").Select(a => a.ProductKey).ToHashSet();
        foreach (var pool in Pools.Where(p => refused.Contains(p.ProductKey) && p.Used < p.Total))
        {
            found.Add($"{pool.ProductKey} refused a connection for lack of licenses but ends with {pool.Total - pool.Used} of {pool.Total} left");
        }

        return found;
    }

    private static bool Same(DateTime stored, DateTime answered) => (stored - answered).Duration() <= Precision;
}
