using System.Diagnostics;
using LicenseConsole.IntegrationTests.Infrastructure;

namespace LicenseConsole.IntegrationTests.Faults;

/// <summary>
/// The app is killed (SIGKILL, no shutdown) in the middle of a connect load and started again on the same
/// database, twice; the load carries on against each new process.
/// </summary>
[Collection(FaultsCollection.Name)]
public sealed class AppKillTests(PostgresServer server, PublishedConsole published)
{
    private const int Clients = 24;
    private const int Kills = 2;

    [Fact]
    public async Task KilledInTheMiddleOfAConnectLoad_LedgerAddsUpAndEveryConsumedAnswerHasItsActivation()
    {
        var output = TestContext.Current.TestOutputHelper!;
        var database = await server.CreateDatabaseAsync("faultkill");
        var app = await published.StartAsync("app", database);
        var current = app;
        try
        {
            // Two pools the load cannot exhaust and two it exhausts early, so that refusals happen too.
            var fleet = await FaultFleet.CreateAsync(app.BaseAddress, 5_000, 5_000, 150, 60);
            var target = app.BaseAddress;
            await using var load = new ConnectLoad(Clients, _ => Volatile.Read(ref target), ConnectLoad.MixedKeys(fleet.Products, repeatedPerProduct: 150));
            load.Start();

            var downtime = new List<TimeSpan>();
            for (var kill = 1; kill <= Kills; kill++)
            {
                await load.WaitForAnswersAsync(load.Answered + 800, TimeSpan.FromSeconds(60));
                var stopwatch = Stopwatch.StartNew();
                var killed = current;
                await killed.KillAsync();
                current = await published.StartAsync($"app after kill {kill}", database);
                await killed.DisposeAsync();
                Volatile.Write(ref target, current.BaseAddress);
                downtime.Add(stopwatch.Elapsed);
            }

            await load.WaitForAnswersAsync(load.Answered + 800, TimeSpan.FromSeconds(60));
            var attempts = await load.StopAsync();

            var audit = await LedgerAudit.ReadAsync(database);
            var contradictions = audit.Contradictions(attempts);
            var verify = await published.VerifyAsync(database);
            output.WriteLine($"kill -9 under load: {LoadFigures.Describe(attempts)}");
            output.WriteLine($"kills {Kills}; down for {string.Join(", ", downtime.Select(d => $"{d.TotalSeconds:0.0} s"))} (kill to healthy again); " +
                $"activations {audit.Activations.Count}; pools {string.Join(", ", audit.Pools.Select(p => $"{p.Used}/{p.Total}"))}; " +
                $"breaches found {audit.Breaches.Count} (verifier), {contradictions.Count} (answers against ledger); verify exit code {verify.ExitCode}");

            Assert.Empty(audit.Breaches);
            Assert.Empty(contradictions);
            Assert.True(verify.ExitCode == 0, $"verify exited {verify.ExitCode}:\n{verify.Output}\n{verify.Error}");
            Assert.Contains("no breach", verify.Output, StringComparison.Ordinal);

            // Every answer was a grant or a refusal for lack of licenses; a request in flight at a kill has none.
            Assert.All(attempts.Where(a => a.Answered), a => Assert.True(
                a.Status == 200 || (a.Status == 403 && a.Code == "no_license_available"),
                $"{a.ProductKey}/{a.DeviceKey} at {a.SentAt}: {a.Status} {a.Code} {a.Failure}"));
            Assert.Contains(attempts, a => a.Status == 403);
            Assert.Contains(attempts, a => a.ConsumedForSure);
        }
        catch
        {
            output.WriteLine(current.RecentOutput());
            throw;
        }
        finally
        {
            await current.DisposeAsync();
        }
    }
}
