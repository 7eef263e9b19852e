using System.Globalization;
using System.Net.Http.Json;
using LicenseConsole.IntegrationTests.Infrastructure;
using Npgsql;

namespace LicenseConsole.IntegrationTests.Faults;

/// <summary>
/// Two app instances on one database, each with its renewal and email workers on and a clock a year and a
/// month ahead, so that the devices activated today are due for renewal, while the gateway's connect load is
/// spread over both: the workers renew, lapse, alert and send against each other and against connections
/// that renew the same devices.
/// </summary>
[Collection(FaultsCollection.Name)]
public sealed class TwoInstancesTests(PostgresServer server, PublishedConsole published)
{
    private const int Clients = 16;
    private const int AmpleDevices = 250;
    private const int ShortDevices = 200;
    private static readonly TimeSpan Ahead = TimeSpan.FromDays(395);

    [Fact]
    public async Task TwoInstancesWithWorkersUnderLoad_RenewEachDeviceOnceAndTheLedgerAddsUp()
    {
        var ct = TestContext.Current.CancellationToken;
        var output = TestContext.Current.TestOutputHelper!;
        var database = await server.CreateDatabaseAsync("faulttwo");
        using var smtp = new SmtpTestServer();

        // Today: one product with licenses for every renewal, one that can renew only half of its devices.
        FaultFleet fleet;
        await using (var today = await published.StartAsync("app today", database))
        {
            fleet = await FaultFleet.CreateAsync(today.BaseAddress, AmpleDevices * 2 + 200, ShortDevices + ShortDevices / 2);
            await SeedAsync(today.BaseAddress, fleet.Products[0].ProductKey, AmpleDevices);
            await SeedAsync(today.BaseAddress, fleet.Products[1].ProductKey, ShortDevices);
        }

        var later = new Dictionary<string, string>
        {
            ["Clock__Offset"] = Ahead.ToString("c", CultureInfo.InvariantCulture),
            ["Renewal__Enabled"] = "true",
            ["Renewal__Interval"] = "00:00:01",
            ["Renewal__BatchSize"] = "25",
            ["Email__DispatchInterval"] = "00:00:01",
        };
        foreach (var (key, value) in smtp.Settings)
        {
            later[key.Replace(":", "__", StringComparison.Ordinal)] = value!;
        }

        await using var first = await published.StartAsync("instance 1", database, later);
        await using var second = await published.StartAsync("instance 2", database, later);
        try
        {
            var apps = new[] { first.BaseAddress, second.BaseAddress };
            var seeded = new[] { (fleet.Products[0].ProductKey, AmpleDevices), (fleet.Products[1].ProductKey, ShortDevices) };
            var sequence = 0;
            await using var load = new ConnectLoad(Clients, client => apps[client % 2], (random, client) =>
            {
                var (productKey, devices) = seeded[random.Next(seeded.Length)];
                return random.Next(100) < 60
                    ? (productKey, $"seed-{random.Next(devices)}")
                    : (productKey, $"later-{client}-{Interlocked.Increment(ref sequence)}");
            });
            load.Start();
            await load.WaitForAnswersAsync(2_000, TimeSpan.FromSeconds(90));
            var attempts = await load.StopAsync();
            var (due, unsent) = await WaitUntilWorkersAreDoneAsync(database);

            var audit = await LedgerAudit.ReadAsync(database);
            var verify = await published.VerifyAsync(database);
            var findings = audit.ConsumedWithoutActivation(attempts)
                .Concat(audit.DevicesHoldingMoreThan(2))
                .Concat(audit.RefusedWhileLicensesWereLeft(attempts))
                .Concat(RenewedTwiceForOnePeriod(audit))
                .Concat(RenewalsNotWhereThePeriodEnded(audit))
                .Concat(audit.Pools.Where(p => p.Used != p.Activations).Select(p => $"{p.ProductKey}: pool used {p.Used}, activations {p.Activations}"))
                .ToList();
            var runs = await WorkerRunsAsync(database);
            var emails = smtp.Received;
            output.WriteLine($"two instances with workers under load: {LoadFigures.Describe(attempts)}");
            output.WriteLine($"renewals {audit.Activations.Count(a => a.Kind == "Renewal")}, activations {audit.Activations.Count}, " +
                $"pools {string.Join(", ", audit.Pools.Select(p => $"{p.Used}/{p.Total}"))}; worker runs {string.Join(", ", runs.Select(r => $"{r.Value} by {r.Key}"))}; " +
                $"emails sent {emails.Count}; still due {due}, unsent {unsent}; breaches found {audit.Breaches.Count} (verifier), {findings.Count} (renewals, pools, answers); " +
                $"verify exit code {verify.ExitCode}");

            Assert.Empty(audit.Breaches);
            Assert.Empty(findings);
            Assert.True(verify.ExitCode == 0, $"verify exited {verify.ExitCode}:\n{verify.Output}\n{verify.Error}");
            Assert.All(attempts, a => Assert.True(
                a.Status == 200 || (a.Status == 403 && a.Code == "no_license_available"),
                $"{a.ProductKey}/{a.DeviceKey} at {a.SentAt}: {a.Status} {a.Code} {a.Failure}"));

            // Both workers ran, everything due was renewed or lapsed, every email went out once.
            Assert.Equal(2, runs.Count);
            Assert.Equal(0, due);
            Assert.Equal(0, unsent);
            Assert.NotEmpty(emails);
            Assert.Equal(emails.Count, emails.Select(m => m.MessageId).Distinct().Count());
        }
        catch
        {
            output.WriteLine(first.RecentOutput());
            output.WriteLine(second.RecentOutput());
            throw;
        }
    }

    /// <summary>Two activations of one device starting at the same moment: one period paid twice.</summary>
    private static IEnumerable<string> RenewedTwiceForOnePeriod(LedgerAudit audit) =>
        audit.Activations.GroupBy(a => (a.ProductKey, a.DeviceKey, a.ActivatedAt)).Where(g => g.Count() > 1)
            .Select(g => $"{g.Key.ProductKey}/{g.Key.DeviceKey}: {g.Count()} activations from {g.Key.ActivatedAt:O}")
            .Concat(audit.Activations.Where(a => a.Kind == "Renewal").GroupBy(a => (a.ProductKey, a.DeviceKey)).Where(g => g.Count() > 1)
                .Select(g => $"{g.Key.ProductKey}/{g.Key.DeviceKey}: renewed {g.Count()} times within a year and a month"));

    /// <summary>A renewal that does not start where the device's previous period ended (a gap or an overlap).</summary>
    private static IEnumerable<string> RenewalsNotWhereThePeriodEnded(LedgerAudit audit) =>
        audit.Activations.GroupBy(a => (a.ProductKey, a.DeviceKey))
            .SelectMany(device => device.OrderBy(a => a.ActivatedAt).Zip(device.OrderBy(a => a.ActivatedAt).Skip(1)))
            .Where(pair => pair.Second.Kind == "Renewal" && pair.Second.ActivatedAt != pair.First.ExpiresAt)
            .Select(pair => $"{pair.Second.ProductKey}/{pair.Second.DeviceKey}: renewed from {pair.Second.ActivatedAt:O}, the period before ended {pair.First.ExpiresAt:O}");

    /// <summary>Connects <paramref name="count"/> devices today, one license each.</summary>
    private static async Task SeedAsync(Uri app, string productKey, int count)
    {
        using var client = new HttpClient { BaseAddress = app, Timeout = ConnectLoad.ClientTimeout };
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = TestContext.Current.CancellationToken },
            async (i, ct) =>
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, "api/v1/devices/connect")
                {
                    Content = JsonContent.Create(new { productKey, deviceKey = $"seed-{i}", dataCenter = FaultFleet.DataCenter }),
                };
                request.Headers.Add("X-Api-Key", PublishedConsole.PlatformKey);
                using var response = await client.SendAsync(request, ct);
                Assert.True(response.IsSuccessStatusCode, $"seed-{i}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(ct)}");
            });
    }

    /// <summary>Waits (at most half a minute) until no device is due on the instances' clock and the outbox is empty.</summary>
    private static async Task<(long Due, long Unsent)> WaitUntilWorkersAreDoneAsync(string database)
    {
        var ct = TestContext.Current.CancellationToken;
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync(ct);
        while (true)
        {
            await using var command = new NpgsqlCommand("""
                SELECT (SELECT count(*) FROM devices d JOIN products p ON p.id = d.product_id
                        WHERE d.expires_at <= @now AND d.lapsed_at IS NULL AND d.deleted_at IS NULL AND p.deleted_at IS NULL),
                       (SELECT count(*) FROM outbox_emails WHERE sent_at IS NULL)
                """, connection);
            command.Parameters.AddWithValue("now", DateTime.UtcNow + Ahead);
            await using var reader = await command.ExecuteReaderAsync(ct);
            await reader.ReadAsync(ct);
            var (due, unsent) = (reader.GetInt64(0), reader.GetInt64(1));
            if ((due == 0 && unsent == 0) || DateTime.UtcNow > until)
            {
                return (due, unsent);
            }

            await reader.CloseAsync();
            await Task.Delay(250, ct);
        }
    }

    private static async Task<Dictionary<string, long>> WorkerRunsAsync(string database)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand("SELECT instance, count(*) FROM worker_runs GROUP BY instance", connection);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var runs = new Dictionary<string, long>();
        while (await reader.ReadAsync(ct))
        {
            runs[reader.GetString(0)] = reader.GetInt64(1);
        }

        return runs;
    }
}
