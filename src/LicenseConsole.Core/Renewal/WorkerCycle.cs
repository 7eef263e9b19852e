using LicenseConsole.Alerts;
using LicenseConsole.Data;
using Microsoft.Extensions.Logging;

namespace LicenseConsole.Renewal;

/// <summary>
/// One turn of the background worker: renew what expired, raise the alerts that are due, and record the
/// run. Each step's failure is logged and recorded; the next step still runs and the next turn retries.
/// Acts for the whole platform.
/// </summary>
public sealed class WorkerCycle(
    LicenseConsoleDbContext db,
    RenewalJob renewals,
    AlertScanner alerts,
    TimeProvider clock,
    ILogger<WorkerCycle> logger)
{
    public static readonly string Instance = $"{Environment.MachineName}/{Environment.ProcessId}";

    public async Task<WorkerRun> RunOnceAsync(CancellationToken cancellationToken)
    {
        db.Tenant.ActForPlatform("worker");
        var run = new WorkerRun { Instance = Instance, StartedAt = clock.GetUtcNow().UtcDateTime };
        var errors = new List<string>();
        try
        {
            var renewed = await renewals.RunAsync(cancellationToken);
            run.Renewed = renewed.Renewed;
            run.Lapsed = renewed.Lapsed;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogError(e, "Renewal failed; it is retried on the next run");
            errors.Add("renewal: " + e.Message);
        }

        try
        {
            run.AlertsRaised = await alerts.ScanAsync(cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogError(e, "The alert scan failed; it is retried on the next run");
            errors.Add("alerts: " + e.Message);
        }

        run.FinishedAt = clock.GetUtcNow().UtcDateTime;
        run.Error = errors.Count == 0 ? null : Truncate(string.Join("; ", errors));
        db.ChangeTracker.Clear();
        db.WorkerRuns.Add(run);
        await db.SaveChangesAsync(CancellationToken.None);
        return run;
    }

    private static string Truncate(string value) => value.Length > 2000 ? value[..2000] : value;
}
