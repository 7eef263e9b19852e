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
    /// What the clients were told that the ledger contradicts, when every device holds one period at most (no
    /// renewals): the checks below, each finding as a sentence.
    /// </summary>
    public IReadOnlyList<string> Contradictions(IReadOnlyCollection<ConnectAttempt> attempts) =>
    [
        .. ConsumedWithoutActivation(attempts),
        .. DevicesHoldingMoreThan(1),
        .. ActivationsNoAnswerAccountsFor(attempts),
        .. DevicesToldOfTwoPeriods(attempts),
        .. RefusedWhileLicensesWereLeft(attempts),
    ];

    /// <summary>A 200 that said a license was consumed, with no activation of that device from that moment.</summary>
    public IEnumerable<string> ConsumedWithoutActivation(IEnumerable<ConnectAttempt> attempts)
    {
        var byDevice = Activations.ToLookup(a => (a.ProductKey, a.DeviceKey));
        return attempts
            .Where(a => a.ConsumedForSure && !byDevice[(a.ProductKey, a.DeviceKey)].Any(s => Same(s.ActivatedAt, a.ActivatedAt!.Value)))
            .Select(a => $"{a.ProductKey}/{a.DeviceKey} was told at {a.SentAt} that a license was consumed from {a.ActivatedAt:O}, but no such activation is recorded");
    }

    public IEnumerable<string> DevicesHoldingMoreThan(int activations) =>
        Activations.GroupBy(a => (a.ProductKey, a.DeviceKey)).Where(d => d.Count() > activations)
            .Select(d => $"{d.Key.ProductKey}/{d.Key.DeviceKey} holds {d.Count()} activations (at most {activations} expected)");

    /// <summary>An activation neither a consumed 200 nor a request whose outcome its client could not know explains.</summary>
    public IEnumerable<string> ActivationsNoAnswerAccountsFor(IEnumerable<ConnectAttempt> attempts)
    {
        var accounted = attempts.Where(a => a.ConsumedForSure || a.OutcomeUnknown).Select(a => (a.ProductKey, a.DeviceKey)).ToHashSet();
        return Activations.Select(a => (a.ProductKey, a.DeviceKey)).Distinct().Where(d => !accounted.Contains(d))
            .Select(d => $"{d.ProductKey}/{d.DeviceKey} holds an activation no request was told about");
    }

    /// <summary>One device told of two different periods while none was renewed.</summary>
    public static IEnumerable<string> DevicesToldOfTwoPeriods(IEnumerable<ConnectAttempt> attempts) =>
        attempts.Where(a => a.Status == 200).GroupBy(a => (a.ProductKey, a.DeviceKey))
            .Select(d => (d.Key, Periods: d.Select(a => a.ActivatedAt!.Value).Order().ToList()))
            .Where(d => d.Periods[^1] - d.Periods[0] > Precision)
            .Select(d => $"{d.Key.ProductKey}/{d.Key.DeviceKey} was told of periods from {d.Periods[0]:O} and from {d.Periods[^1]:O}");

    /// <summary>A refusal for lack of licenses from a pool that ends with licenses left (none ever come back).</summary>
    public IEnumerable<string> RefusedWhileLicensesWereLeft(IEnumerable<ConnectAttempt> attempts)
    {
        var refused = attempts.Where(a => a.Status == 403 && a.Code == "no_license_available").Select(a => a.ProductKey).ToHashSet();
        return Pools.Where(p => refused.Contains(p.ProductKey) && p.Used < p.Total)
            .Select(p => $"{p.ProductKey} refused a connection for lack of licenses but ends with {p.Total - p.Used} of {p.Total} left");
    }

    private static bool Same(DateTime stored, DateTime answered) => (stored - answered).Duration() <= Precision;
}
