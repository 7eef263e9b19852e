using System.Data.Common;
using LicenseConsole.Data;
using LicenseConsole.Devices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace LicenseConsole.Renewal;

/// <summary>What one renewal run did.</summary>
public sealed record RenewalOutcome(int Renewed, int Lapsed);

/// <summary>
/// SPEC rule 5 at expiry: every license that expired while auto-renew is in effect is renewed from the
/// moment it ended (no gap, no overlap, however late this runs), the oldest expiries first when a pool
/// cannot cover them all; the rest lapse. The same rule as a connecting device's renewal
/// (<see cref="ConnectionRules"/>, <see cref="LicenseConsumption"/>): same period, same guards.
/// </summary>
public sealed class RenewalJob(
    LicenseConsoleDbContext db,
    DatabaseConnection connection,
    LicenseConsumption consumption,
    TimeProvider clock,
    IOptions<RenewalOptions> options,
    ILogger<RenewalJob> logger)
{
    // One renewer at a time across app instances, so that "oldest first" holds platform-wide.
    private const long RenewalLockKey = 0x4C43_5245_4E45_57; // "LCRENEW"

    public async Task<RenewalOutcome> RunAsync(CancellationToken cancellationToken)
    {
        int renewed = 0, lapsed = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            var now = clock.GetUtcNow().UtcDateTime;
            var batch = connection.Provider == DatabaseProvider.Postgres
                ? await RenewBatchOnPostgresAsync(now, cancellationToken)
                : await RenewBatchOnSqliteAsync(now, cancellationToken);
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

    /// <summary>
    /// One set-based statement per batch: lock the oldest due devices (skipping any a connection holds),
    /// lock their pools, grant each pool's remaining licenses to its oldest devices, record the periods,
    /// lapse the rest. Null when another instance is renewing right now.
    /// </summary>
    private async Task<RenewalOutcome?> RenewBatchOnPostgresAsync(DateTime now, CancellationToken cancellationToken)
    {
        var strategy = db.Database.CreateExecutionStrategy();
        return await strategy.ExecuteAsync(async () =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var dbConnection = db.Database.GetDbConnection();
            var dbTransaction = transaction.GetDbTransaction();

            // The app's sessions plan each statement for its values (force_custom_plan, see CreateDataSource), and
            // that includes the foreign-key checks PostgreSQL runs for every activation this batch records:
            // re-planned 20,000 times a batch, they cost 3.5 times as much (430 ms against 123 ms per 10,000).
            // Within this transaction they keep their cached plans; the batch statement reads the same either way.
            await using (var planning = Command(dbConnection, dbTransaction, "SET LOCAL plan_cache_mode = auto"))
            {
                await planning.ExecuteNonQueryAsync(cancellationToken);
            }

            await using (var tryLock = Command(dbConnection, dbTransaction, "SELECT pg_try_advisory_xact_lock(@key)"))
            {
                tryLock.Parameters.Add(new NpgsqlParameter("key", RenewalLockKey));
                if (await tryLock.ExecuteScalarAsync(cancellationToken) is not true)
                {
                    return null;
                }
            }

            await using var renew = Command(dbConnection, dbTransaction, PostgresBatchSql);
            renew.Parameters.Add(new NpgsqlParameter("now", now));
            renew.Parameters.Add(new NpgsqlParameter("batch", options.Value.BatchSize));
            await using var reader = await renew.ExecuteReaderAsync(cancellationToken);
            await reader.ReadAsync(cancellationToken);
            var outcome = new RenewalOutcome(checked((int)reader.GetInt64(0)), checked((int)reader.GetInt64(1)));
            await reader.CloseAsync();
            await transaction.CommitAsync(cancellationToken);
            return outcome;
        });
    }

    /// <summary>
    /// SQLite has one writer and no row locks: the batch is read oldest first and each device goes through
    /// the same guarded consumption a connection uses (calls into an embedded database cost no round trip).
    /// </summary>
    private async Task<RenewalOutcome?> RenewBatchOnSqliteAsync(DateTime now, CancellationToken cancellationToken)
    {
        var due = await db.Devices.AsNoTracking()
            .Where(d => d.ExpiresAt <= now && d.LapsedAt == null && d.DeletedAt == null && d.Product!.DeletedAt == null)
            .OrderBy(d => d.ExpiresAt)
            .Take(options.Value.BatchSize)
            .Select(d => new
            {
                d.Id,
                d.AccountId,
                d.ProductId,
                d.ActivationCount,
                ExpiresAt = d.ExpiresAt!.Value,
                DataCenter = d.LastDataCenter ?? db.Accounts.Where(a => a.Id == d.AccountId).Select(a => a.DataCenterCode).First(),
                Renew = d.AutoRenew && d.Product!.AutoRenew,
                d.Product!.SpecCode,
                Months = db.LicenseSpecs.Where(s => s.Code == d.Product.SpecCode).Select(s => (int?)s.ValidityMonths).FirstOrDefault(),
            })
            .ToListAsync(cancellationToken);

        int renewed = 0, lapsed = 0;
        foreach (var d in due)
        {
            if (!d.Renew || d.Months is null)
            {
                lapsed += await consumption.MarkLapsedAsync(d.Id, d.ActivationCount, LapseReason.AutoRenewOff, cancellationToken) ? 1 : 0;
                continue;
            }

            var (result, _) = await consumption.ConsumeAsync(new ConsumptionRequest(
                d.AccountId, d.ProductId, d.SpecCode!, d.Months.Value, d.Id, d.ActivationCount, d.ExpiresAt, ActivationKind.Renewal, d.DataCenter, Connecting: false),
                cancellationToken);
            if (result == ConsumptionResult.Consumed)
            {
                renewed++;
            }
            else if (result == ConsumptionResult.NoLicense)
            {
                lapsed += await consumption.MarkLapsedAsync(d.Id, d.ActivationCount, LapseReason.NoLicense, cancellationToken) ? 1 : 0;
            }
        }

        return new RenewalOutcome(renewed, lapsed);
    }

    private static DbCommand Command(DbConnection connection, DbTransaction transaction, string sql)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return command;
    }

    // The due devices are read in the order of the renewal-queue index (expiry only), so a batch reads its rows
    // and stops; sorting the whole backlog in every batch made a backlog of n take n²/batch work. Hence no
    // tie-break the index cannot give (expiry, then id), and the time behind a sub-select: knowing the time,
    // the planner sized the backlog from statistics that lag behind a burst of expiries, and when they put it
    // under one batch it chose to sort it all.
    //
    // The period arithmetic is done in UTC wall-clock time, exactly as DateTime.AddMonths does it on the
    // connect path (same month-end clamping, no dependence on the session's time zone).
    private const string PostgresBatchSql = """
        WITH due AS (
            SELECT d.id, d.account_id, d.product_id, d.expires_at,
                   coalesce(d.last_data_center, a.data_center_code) AS data_center,
                   p.spec_code, s.validity_months,
                   (d.auto_renew AND p.auto_renew AND s.validity_months IS NOT NULL) AS renew
            FROM devices d
            JOIN products p ON p.id = d.product_id
            JOIN accounts a ON a.id = d.account_id
            LEFT JOIN license_specs s ON s.code = p.spec_code
            WHERE d.expires_at <= (SELECT @now) AND d.lapsed_at IS NULL AND d.deleted_at IS NULL AND p.deleted_at IS NULL
            ORDER BY d.expires_at
            LIMIT @batch
            FOR UPDATE OF d SKIP LOCKED
        ),
        pools AS (
            SELECT pp.product_id, pp.total - pp.used AS available
            FROM product_pools pp
            WHERE pp.product_id IN (SELECT product_id FROM due WHERE renew)
            ORDER BY pp.product_id
            FOR UPDATE OF pp
        ),
        granted AS (
            SELECT r.*, ((r.expires_at AT TIME ZONE 'UTC') + make_interval(months => r.validity_months)) AT TIME ZONE 'UTC' AS new_expires_at
            FROM (
                SELECT due.*, row_number() OVER (PARTITION BY due.product_id ORDER BY due.expires_at, due.id) AS rank
                FROM due WHERE due.renew
            ) r
            JOIN pools p ON p.product_id = r.product_id
            WHERE r.rank <= p.available
        ),
        taken AS (
            UPDATE product_pools pp SET used = pp.used + g.n
            FROM (SELECT product_id, count(*) AS n FROM granted GROUP BY product_id) g
            WHERE pp.product_id = g.product_id
            RETURNING pp.product_id
        ),
        renewed AS (
            UPDATE devices d
            SET activated_at = g.expires_at, expires_at = g.new_expires_at, activation_count = d.activation_count + 1
            FROM granted g
            WHERE d.id = g.id
            RETURNING d.id
        ),
        recorded AS (
            INSERT INTO activations (account_id, product_id, device_id, spec_code, activated_at, expires_at, kind, data_center, recorded_at)
            SELECT g.account_id, g.product_id, g.id, g.spec_code, g.expires_at, g.new_expires_at, 'Renewal', g.data_center, @now
            FROM granted g
            RETURNING id
        ),
        lapsed AS (
            UPDATE devices d
            SET lapsed_at = due.expires_at,
                lapse_reason = CASE WHEN due.renew THEN 'NoLicense' ELSE 'AutoRenewOff' END
            FROM due
            WHERE d.id = due.id AND NOT EXISTS (SELECT 1 FROM granted g WHERE g.id = due.id)
            RETURNING d.id
        )
        SELECT (SELECT count(*) FROM renewed), (SELECT count(*) FROM lapsed), (SELECT count(*) FROM recorded), (SELECT count(*) FROM taken)
        """;
}
