using LicenseConsole.Common;
using LicenseConsole.Data;
using LicenseConsole.Licensing;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace LicenseConsole.Devices;

/// <summary>
/// Settles a batch of connections: reads what the rules need, plans (<see cref="ConnectionPlanner"/>), writes
/// through the ledger writer in one transaction, and answers once the commit is durable. The connections whose
/// device changed after it was read are read and planned again, up to a few rounds.
/// </summary>
public sealed partial class ConnectionSettlement(LedgerContextFactory contexts, ILedgerWriter ledger, TimeProvider clock, ILogger<ConnectionSettlement> logger)
{
    private const int MaxRounds = 8;

    /// <summary>
    /// The answer to each request, in input order. <paramref name="answered"/> hears each answer as soon as it
    /// is final (a reconnection's before the batch's writes); a failure of the database fails the whole call.
    /// </summary>
    public async Task<ConnectionAnswer[]> SettleAsync(IReadOnlyList<ConnectionRequest> requests, Action<int, ConnectionAnswer>? answered, CancellationToken cancellationToken)
    {
        var answers = new ConnectionAnswer[requests.Count];
        var open = Enumerable.Range(0, requests.Count).ToList();
        try
        {
            for (var round = 0; round < MaxRounds && open.Count > 0; round++)
            {
                var batch = open.Select(i => requests[i]).ToList();
                var settled = await RoundAsync(batch, (k, answer) => answered?.Invoke(open[k], answer), cancellationToken);
                var next = new List<int>();
                for (var k = 0; k < settled.Length; k++)
                {
                    if (settled[k] is { } answer)
                    {
                        answers[open[k]] = answer;
                    }
                    else
                    {
                        next.Add(open[k]);
                    }
                }

                open = next;
            }
        }
        catch (Exception e) when (DbErrors.IsDatabaseUnavailable(e))
        {
            contexts.ForgetConnections();
            throw;
        }

        foreach (var i in open)
        {
            // A device this contended is changed by others faster than it can be read: the caller may try again.
            answers[i] = ConnectionAnswer.Refused(Refusals.DeviceBusy.Error());
            answered?.Invoke(i, answers[i]);
        }

        return answers;
    }

    /// <summary>One read, plan and write; null for the requests to go round again.</summary>
    private async Task<ConnectionAnswer?[]> RoundAsync(List<ConnectionRequest> batch, Action<int, ConnectionAnswer> answered, CancellationToken cancellationToken)
    {
        await using var db = contexts.Create();
        var now = clock.GetUtcNow().UtcDateTime;
        var states = await ledger.ReadConnectionsAsync(db, batch, cancellationToken);
        var plan = ConnectionPlanner.Plan(batch, states, now);
        var early = ConnectionPlanner.AnsweredByRead(plan);
        for (var k = 0; k < early.Length; k++)
        {
            if (early[k] is { } answer)
            {
                answered(k, answer);
            }
        }

        if (plan.Work.IsEmpty)
        {
            return early;
        }

        LedgerResult result;
        try
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            result = await ledger.WriteAsync(db, plan.Work, now, cancellationToken);
            if (result.Conflict)
            {
                await transaction.RollbackAsync(cancellationToken);
            }
            else
            {
                await transaction.CommitAsync(cancellationToken);
            }
        }
        catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.SerializationFailure)
        {
            // Nothing of the transaction was written; the lock order makes this rare. Read and plan again.
            LogWriteRetried(logger, e.SqlState, batch.Count);
            result = LedgerResult.Nothing with { Conflict = true };
        }

        var settled = ConnectionPlanner.Settle(plan, result, now);
        for (var k = 0; k < settled.Length; k++)
        {
            if (settled[k] is { } answer && early[k] is null)
            {
                answered(k, answer);
            }
        }

        return settled;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "A ledger write of {Count} connections was retried ({SqlState})")]
    private static partial void LogWriteRetried(ILogger logger, string sqlState, int count);
}
