using System.Net;
using LicenseConsole.IntegrationTests.Infrastructure;
using LicenseConsole.TestSupport;

namespace LicenseConsole.IntegrationTests.Faults;

/// <summary>
/// PostgreSQL stops at once (as in a crash) in the middle of a connect load and starts again a few seconds
/// later; the app is not restarted. A cluster of the test's own, durable as production runs it: the shared
/// one must not go down under the other tests, and an immediate stop must not lose what was committed.
/// </summary>
[Collection(FaultsCollection.Name)]
public sealed class DatabaseRestartTests(PublishedConsole published)
{
    private const int Clients = 16;
    private static readonly TimeSpan Outage = TimeSpan.FromSeconds(6);

    // /health runs its database check with a 5 s timeout and is polled every quarter second.
    private static readonly TimeSpan HealthNoticesWithin = TimeSpan.FromSeconds(6);

    // After /health is back, requests already waiting for the database still finish with 503.
    private static readonly TimeSpan Settling = TimeSpan.FromSeconds(2);

    [Fact]
    public async Task PostgresRestartedUnderLoad_RequestsGet503ProblemsUntilItIsBackAndTheAppRecoversByItself()
    {
        var ct = TestContext.Current.CancellationToken;
        var output = TestContext.Current.TestOutputHelper!;
        await using var cluster = new PostgresCluster(durable: true);
        await cluster.StartAsync(ct);
        var database = await cluster.CreateDatabaseAsync("outage", cancellationToken: ct);
        await using var app = await published.StartAsync("app", database);
        try
        {
            var fleet = await FaultFleet.CreateAsync(app.BaseAddress, 5_000, 5_000, 200);
            using var console = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = new CookieContainer() }) { BaseAddress = app.BaseAddress };
            var signIn = await console.SignInAsync(fleet.Email, fleet.Password);
            Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);

            await using var load = new ConnectLoad(Clients, _ => app.BaseAddress, ConnectLoad.MixedKeys(fleet.Products, repeatedPerProduct: 150));
            await using var health = new HealthWatch(app.BaseAddress, () => load.Elapsed);
            load.Start();
            health.Start();
            await load.WaitForAnswersAsync(600, TimeSpan.FromSeconds(60));

            var stoppedAt = load.Elapsed;
            await cluster.StopAsync();
            var healthDown = await health.WaitForAsync(503, stoppedAt, HealthNoticesWithin);
            using var page = await console.GetAsync("/", ct);
            var pageHtml = await page.Content.ReadAsStringAsync(ct);
            var rest = Outage - (load.Elapsed - stoppedAt);
            if (rest > TimeSpan.Zero)
            {
                await Task.Delay(rest, ct);
            }

            await cluster.StartAgainAsync(ct);
            var restartedAt = load.Elapsed;
            var healthUp = await health.WaitForAsync(200, restartedAt, TimeSpan.FromSeconds(30));
            var recoveredAt = healthUp.At + Settling;
            while (load.Elapsed < recoveredAt + TimeSpan.FromSeconds(3))
            {
                await Task.Delay(100, ct);
            }

            await load.WaitForAnswersAsync(load.Answered + 300, TimeSpan.FromSeconds(60));
            var attempts = await load.StopAsync();
            var audit = await LedgerAudit.ReadAsync(database);
            var contradictions = audit.Contradictions(attempts);
            var verify = await published.VerifyAsync(database);
            var unavailable = attempts.Where(a => a.Status == 503).ToList();
            var afterRecovery = attempts.Where(a => a.SentAt >= recoveredAt).ToList();

            output.WriteLine($"PostgreSQL restarted under load: {LoadFigures.Describe(attempts)}");
            output.WriteLine($"outage {(restartedAt - stoppedAt).TotalSeconds:0.0} s (database down); /health 503 after {(healthDown.At - stoppedAt).TotalSeconds:0.0} s, " +
                $"200 again {(healthUp.At - restartedAt).TotalSeconds:0.0} s after the restart; 503s {unavailable.Count}, " +
                $"the last one sent {(unavailable.Count == 0 ? 0 : (unavailable.Max(a => a.SentAt) - restartedAt).TotalSeconds):0.0} s after the restart; " +
                $"after recovery {afterRecovery.Count} requests, {afterRecovery.Count(a => a.Status is 200 or 403)} answered 200/403; " +
                $"console page during the outage {(int)page.StatusCode}; activations {audit.Activations.Count}; " +
                $"breaches found {audit.Breaches.Count} (verifier), {contradictions.Count} (answers against ledger); verify exit code {verify.ExitCode}");

            // During the outage: 503 problems with a code and a Retry-After, nothing else, and no hang.
            Assert.All(attempts, a => Assert.True(a.Answered, $"{a.ProductKey}/{a.DeviceKey} at {a.SentAt}: {a.Failure}"));
            Assert.All(attempts, a => Assert.True(
                a.Status is 200 or 503 || (a.Status == 403 && a.Code == "no_license_available"),
                $"{a.ProductKey}/{a.DeviceKey} at {a.SentAt}: {a.Status} {a.Code} {a.ContentType} {a.Failure}"));
            Assert.NotEmpty(unavailable);
            Assert.All(unavailable, a => Assert.True(
                a.ContentType == "application/problem+json" && a.Code == "database_unavailable" && a.RetryAfter,
                $"503 at {a.SentAt}: {a.ContentType}, code {a.Code}, Retry-After {a.RetryAfter}, {a.Failure}"));
            Assert.All(unavailable, a => Assert.InRange(a.SentAt + a.Took, stoppedAt, recoveredAt));

            // The console answers a page of its own, 503 too.
            Assert.Equal(HttpStatusCode.ServiceUnavailable, page.StatusCode);
            Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
            Assert.NotNull(page.Headers.RetryAfter);
            Assert.Contains("data-testid=\"database-unavailable\"", pageHtml, StringComparison.Ordinal);

            // /health told the load balancer, and the app came back by itself: the load succeeds again.
            Assert.InRange(healthDown.At - stoppedAt, TimeSpan.Zero, HealthNoticesWithin);
            Assert.NotEmpty(afterRecovery);
            Assert.All(afterRecovery, a => Assert.True(a.Status is 200 or 403, $"after recovery, at {a.SentAt}: {a.Status} {a.Code} {a.Failure}"));
            using var dashboard = await console.GetAsync("/", ct);
            Assert.Equal(HttpStatusCode.OK, dashboard.StatusCode);

            Assert.Empty(audit.Breaches);
            Assert.Empty(contradictions);
            Assert.True(verify.ExitCode == 0, $"verify exited {verify.ExitCode}:\n{verify.Output}\n{verify.Error}");
        }
        catch
        {
            output.WriteLine(app.RecentOutput());
            throw;
        }
    }
}
