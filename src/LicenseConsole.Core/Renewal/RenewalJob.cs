using LicenseConsole.Licensing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LicenseConsole.Renewal;

/// <summary>What one renewal run did.</summary>
public sealed record RenewalOutcome(int Renewed, int Lapsed);

/// <summary>
/// SPEC rule 5 at expiry: every license that expired while auto-renew is in effect is renewed from the moment it
/// ended, the oldest expiries first when a pool cannot cover them all; the rest lapse. Decided by
/// <see cref="RenewalPlanner"/>, written by the ledger writer, as a connecting device's renewal is.
/// </summary>
public sealed class RenewalJob(
    LedgerContextFactory contexts,
    ILedgerWriter ledger,
    TimeProvider clock,
    IOptions<RenewalOptions> options,
    ILogger<RenewalJob> logger)
{
    public async Task<RenewalOutcome> RunAsync(CancellationToken cancellationToken)
    {
        int renewed = 0, lapsed = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            var batch = await RenewBatchAsync(clock.GetUtcNow().UtcDateTime, cancellationToken);
            if (batch is null)
            {
                break;
            }

            renewed += batch.Renewed;
            lapsed += batch.Lapsed;
            if (batch.Renewed + batch.Lapsed == 0)
            {
                break;
            }
        }

        if (renewed + lapsed > 0)
        {
            logger.LogInformation("Renewal run: {Renewed} license(s) renewed, {Lapsed} lapsed", renewed, lapsed);
        }

        return new RenewalOutcome(renewed, lapsed);
    }

    /// <summary>One batch of the oldest due licenses in one transaction; null when another instance is renewing right now.</summary>
    private async Task<RenewalOutcome?> RenewBatchAsync(DateTime now, CancellationToken cancellationToken)
    {
        await using var db = contexts.Create();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (!await ledger.TryTakeRenewalTurnAsync(db, cancellationToken))
        {
            return null;
        }

        var due = await ledger.ReadRenewalsDueAsync(db, now, options.Value.BatchSize, cancellationToken);
        var work = RenewalPlanner.Plan(due);
        var result = await ledger.WriteAsync(db, work, now, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new RenewalOutcome(
            result.Grants.Count(g => g == GrantResult.Consumed),
            result.Grants.Count(g => g == GrantResult.NoLicense) + result.Lapsed.Count(l => l));
    }
}
