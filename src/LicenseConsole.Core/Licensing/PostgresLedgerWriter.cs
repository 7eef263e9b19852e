using LicenseConsole.Data;
using LicenseConsole.Devices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;
using NpgsqlTypes;

namespace LicenseConsole.Licensing;

/// <summary>
/// The ledger writer on PostgreSQL: set-based statements over arrays, all of a transaction's writes in one round
/// trip. Rows are locked in one order (devices by id, then pools by product) by every writer, and licenses are
/// taken by a conditional update that grants each pool's remaining licenses to its requests in order and no more.
/// </summary>
public sealed partial class PostgresLedgerWriter : ILedgerWriter
{
    // One renewer at a time across app instances ("LCRENEW").
    private const long RenewalTurnKey = 0x4C43_5245_4E45_57;

    public async Task<IReadOnlyList<ConnectionState?>> ReadConnectionsAsync(LicenseConsoleDbContext db, IReadOnlyList<ConnectionRequest> requests, CancellationToken cancellationToken)
    {
        var (connection, transaction) = await OpenAsync(db, cancellationToken);
        await using var command = new NpgsqlCommand(ReadConnectionsSql, connection, transaction);
        command.Parameters.Add(Parameter("pk", NpgsqlDbType.Text, requests.Select(r => r.ProductKey)));
        command.Parameters.Add(Parameter("dk", NpgsqlDbType.Text, requests.Select(r => r.DeviceKey)));
        var states = new ConnectionState?[requests.Count];
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var product = new ProductLedgerState(
                Id: reader.GetInt64(1),
                AccountId: reader.GetGuid(2),
                SpecCode: reader.IsDBNull(3) ? null : reader.GetString(3),
                ValidityMonths: reader.IsDBNull(4) ? null : reader.GetInt32(4),
                AutoRenew: reader.GetBoolean(5),
                Deleted: reader.GetBoolean(6));
            var device = reader.IsDBNull(7)
                ? null
                : new DeviceLedgerState(
                    Id: reader.GetInt64(7),
                    ActivationCount: reader.GetInt32(8),
                    ActivatedAt: NullableTime(reader, 9),
                    ExpiresAt: NullableTime(reader, 10),
                    LapsedAt: NullableTime(reader, 11),
                    DeletedAt: NullableTime(reader, 12),
                    AutoRenew: reader.GetBoolean(13),
                    LastDataCenter: reader.IsDBNull(14) ? null : reader.GetString(14),
                    LastConnectedAt: NullableTime(reader, 15));
            states[(int)reader.GetInt64(0) - 1] = new ConnectionState(product, device);
        }

        return states;
    }

    public async Task<IReadOnlyList<DueRenewal>> ReadRenewalsDueAsync(LicenseConsoleDbContext db, DateTime now, int limit, CancellationToken cancellationToken)
    {
        var (connection, transaction) = await OpenAsync(db, cancellationToken);
        await using var command = new NpgsqlCommand(ReadRenewalsDueSql, connection, transaction);
        command.Parameters.Add(new NpgsqlParameter("now", NpgsqlDbType.TimestampTz) { Value = now });
        command.Parameters.Add(new NpgsqlParameter("limit", NpgsqlDbType.Integer) { Value = limit });
        var due = new List<DueRenewal>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            due.Add(new DueRenewal(
                DeviceId: reader.GetInt64(0),
                AccountId: reader.GetGuid(1),
                ProductId: reader.GetInt64(2),
                ActivationCount: reader.GetInt32(3),
                ExpiresAt: reader.GetDateTime(4),
                DataCenter: reader.GetString(5),
                SpecCode: reader.IsDBNull(6) ? null : reader.GetString(6),
                ValidityMonths: reader.IsDBNull(7) ? null : reader.GetInt32(7),
                DeviceAutoRenew: reader.GetBoolean(8),
                ProductAutoRenew: reader.GetBoolean(9)));
        }

        return due;
    }

    public async Task<bool> TryTakeRenewalTurnAsync(LicenseConsoleDbContext db, CancellationToken cancellationToken)
    {
        var (connection, transaction) = await OpenAsync(db, cancellationToken);
        await using var command = new NpgsqlCommand(RenewalTurnSql, connection, transaction ?? throw NoTransaction());
        command.Parameters.Add(new NpgsqlParameter("turn", NpgsqlDbType.Bigint) { Value = RenewalTurnKey });
        return await command.ExecuteScalarAsync(cancellationToken) is true;
    }

    public async Task<LedgerResult> WriteAsync(LicenseConsoleDbContext db, LedgerWork work, DateTime now, CancellationToken cancellationToken)
    {
        if (work.IsEmpty)
        {
            return LedgerResult.Nothing;
        }

        var (connection, transaction) = await OpenAsync(db, cancellationToken);
        await using var batch = new NpgsqlBatch(connection, transaction ?? throw NoTransaction());
        var devices = work.Grants.Where(g => g.DeviceId is not null).Select(g => g.DeviceId!.Value)
            .Concat(work.Restores.Select(r => r.DeviceId))
            .Concat(work.Lapses.Select(l => l.DeviceId))
            .Concat(work.Sightings.Select(s => s.DeviceId))
            .Distinct().Order().ToArray();
        if (devices.Length > 0)
        {
            batch.BatchCommands.Add(Command(LockDevicesSql, Parameter("ids", NpgsqlDbType.Bigint, devices)));
        }

        if (work.Grants.Count > 0)
        {
            var products = work.Grants.Select(g => g.ProductId).Distinct().Order().ToArray();
            batch.BatchCommands.Add(Command(LockProductsSql, Parameter("products", NpgsqlDbType.Bigint, products)));
        }

        if (work.Grants.Count > 0)
        {
            var grants = work.Grants;
            batch.BatchCommands.Add(Command(GrantSql,
                Parameter("device", NpgsqlDbType.Bigint, grants.Select(g => g.DeviceId)),
                Parameter("seen", NpgsqlDbType.Integer, grants.Select(g => g.SeenActivationCount)),
                Parameter("product", NpgsqlDbType.Bigint, grants.Select(g => g.ProductId)),
                Parameter("account", NpgsqlDbType.Uuid, grants.Select(g => g.AccountId)),
                Parameter("key", NpgsqlDbType.Text, grants.Select(g => g.DeviceKey)),
                Parameter("spec", NpgsqlDbType.Text, grants.Select(g => g.SpecCode)),
                Parameter("start", NpgsqlDbType.TimestampTz, grants.Select(g => g.Start)),
                Parameter("stop", NpgsqlDbType.TimestampTz, grants.Select(g => g.End)),
                Parameter("kind", NpgsqlDbType.Text, grants.Select(g => g.Kind.ToString())),
                Parameter("dc", NpgsqlDbType.Text, grants.Select(g => g.DataCenter)),
                Parameter("connecting", NpgsqlDbType.Boolean, grants.Select(g => g.Connecting)),
                Parameter("lapse", NpgsqlDbType.Text, grants.Select(g => g.LapseIfRefused?.ToString())),
                new NpgsqlParameter("first", NpgsqlDbType.Text) { Value = nameof(ActivationKind.First) },
                Now(now)));
        }

        if (work.Restores.Count > 0)
        {
            batch.BatchCommands.Add(Command(RestoreSql,
                Parameter("id", NpgsqlDbType.Bigint, work.Restores.Select(r => r.DeviceId)),
                Parameter("seen", NpgsqlDbType.Integer, work.Restores.Select(r => r.SeenActivationCount)),
                Parameter("dc", NpgsqlDbType.Text, work.Restores.Select(r => r.DataCenter)),
                Now(now)));
        }

        if (work.Lapses.Count > 0)
        {
            batch.BatchCommands.Add(Command(LapseSql,
                Parameter("id", NpgsqlDbType.Bigint, work.Lapses.Select(l => l.DeviceId)),
                Parameter("seen", NpgsqlDbType.Integer, work.Lapses.Select(l => l.SeenActivationCount)),
                Parameter("reason", NpgsqlDbType.Text, work.Lapses.Select(l => l.Reason.ToString()))));
        }

        if (work.Sightings.Count > 0)
        {
            batch.BatchCommands.Add(Command(SightingSql,
                Parameter("id", NpgsqlDbType.Bigint, work.Sightings.Select(s => s.DeviceId)),
                Parameter("dc", NpgsqlDbType.Text, work.Sightings.Select(s => s.DataCenter)),
                Now(now)));
        }

        // All the statements in one round trip, in the caller's transaction: all of them or none.
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        var results = new ResultSets(reader);
        if (devices.Length > 0)
        {
            await SkipAsync(await results.NextAsync(cancellationToken), cancellationToken); // the locked devices
        }

        var grantResults = new GrantResult[work.Grants.Count];
        var conflict = false;
        if (work.Grants.Count > 0)
        {
            await SkipAsync(await results.NextAsync(cancellationToken), cancellationToken); // the locked products
            await results.NextAsync(cancellationToken);
            var unclaimable = new HashSet<long>();
            var claimed = new HashSet<long>();
            var created = new Dictionary<(long, string), int>();
            long asked = 0, taken = 0, recorded = 0;
            while (await reader.ReadAsync(cancellationToken))
            {
                switch (reader.GetString(0))
                {
                    case "unclaimable":
                        unclaimable.Add(reader.GetInt64(1));
                        break;
                    case "claimed":
                        claimed.Add(reader.GetInt64(2));
                        break;
                    case "created":
                        created[(reader.GetInt64(1), reader.GetString(3))] = reader.GetInt32(4);
                        break;
                    case "asked":
                        asked = reader.GetInt64(1);
                        break;
                    default:
                        (taken, recorded) = (reader.GetInt64(1), reader.GetInt64(2));
                        break;
                }
            }

            conflict = created.Count < asked;
            for (var i = 0; i < work.Grants.Count; i++)
            {
                var grant = work.Grants[i];
                grantResults[i] = unclaimable.Contains(i + 1) ? GrantResult.Changed
                    : grant.DeviceId is { } id ? (claimed.Contains(id) ? GrantResult.Consumed : GrantResult.NoLicense)
                    : created.TryGetValue((grant.ProductId, grant.DeviceKey), out var count) && count == 1 ? GrantResult.Consumed
                    : GrantResult.NoLicense;
            }

            var consumed = grantResults.LongCount(r => r == GrantResult.Consumed);
            if (!conflict && (taken != consumed || recorded != consumed))
            {
                // Cannot happen with the locks held; if it did, the exception rolls the whole transaction back.
                throw new InvalidOperationException($"The ledger granted {consumed} licenses but took {taken} and recorded {recorded}.");
            }
        }

        var restored = work.Restores.Count > 0 ? await IdsAsync(await results.NextAsync(cancellationToken), cancellationToken) : [];
        var lapsed = work.Lapses.Count > 0 ? await IdsAsync(await results.NextAsync(cancellationToken), cancellationToken) : [];
        return new LedgerResult(
            grantResults,
            [.. work.Restores.Select(r => restored.Contains(r.DeviceId))],
            [.. work.Lapses.Select(l => lapsed.Contains(l.DeviceId))],
            conflict);
    }

    /// <summary>The context's connection, opened, and its transaction if one is open.</summary>
    private static async Task<(NpgsqlConnection Connection, NpgsqlTransaction? Transaction)> OpenAsync(LicenseConsoleDbContext db, CancellationToken cancellationToken)
    {
        await db.Database.OpenConnectionAsync(cancellationToken);
        return ((NpgsqlConnection)db.Database.GetDbConnection(), (NpgsqlTransaction?)db.Database.CurrentTransaction?.GetDbTransaction());
    }

    private static InvalidOperationException NoTransaction() => new("The ledger writes only in a transaction the caller opened.");

    private static async Task SkipAsync(NpgsqlDataReader reader, CancellationToken cancellationToken)
    {
        while (await reader.ReadAsync(cancellationToken))
        {
        }
    }

    private static async Task<HashSet<long>> IdsAsync(NpgsqlDataReader reader, CancellationToken cancellationToken)
    {
        var ids = new HashSet<long>();
        while (await reader.ReadAsync(cancellationToken))
        {
            ids.Add(reader.GetInt64(0));
        }

        return ids;
    }

    private static DateTime? NullableTime(NpgsqlDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetDateTime(ordinal);

    private static NpgsqlBatchCommand Command(string sql, params NpgsqlParameter[] parameters)
    {
        var command = new NpgsqlBatchCommand(sql);
        command.Parameters.AddRange(parameters);
        return command;
    }

    private static NpgsqlParameter Now(DateTime now) => new("now", NpgsqlDbType.TimestampTz) { Value = now };

    private static NpgsqlParameter Parameter<T>(string name, NpgsqlDbType elementType, IEnumerable<T> values) =>
        new(name, NpgsqlDbType.Array | elementType) { Value = values.ToArray() };

    /// <summary>The result sets of a batch, one statement's after the other's.</summary>
    private sealed class ResultSets(NpgsqlDataReader reader)
    {
        private bool _started;

        public async Task<NpgsqlDataReader> NextAsync(CancellationToken cancellationToken)
        {
            if (_started && !await reader.NextResultAsync(cancellationToken))
            {
                throw new InvalidOperationException("The batch answered fewer result sets than it has statements.");
            }

            _started = true;
            return reader;
        }
    }
}
