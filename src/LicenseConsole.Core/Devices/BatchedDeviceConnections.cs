using System.ComponentModel.DataAnnotations;
using System.Threading.Channels;
using LicenseConsole.Accounts;
using LicenseConsole.Common;
using LicenseConsole.Data;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;

namespace LicenseConsole.Devices;

/// <summary>Configuration section <c>Connections</c>: how device connections are batched on PostgreSQL.</summary>
public sealed class ConnectionBatchingOptions
{
    public const string Section = "Connections";

    /// <summary>At most this many connections are settled in one round of statements.</summary>
    [Range(1, 10_000)]
    public int BatchSize { get; set; } = 256;

    /// <summary>
    /// Batches in flight at once per app instance. One is fastest where the cores are busy: the connections
    /// that arrive while it is at the database all go into the next, so batches are large and their per-batch
    /// cost is shared by many connections. On the benchmark's two cores (32 clients, wrk), one gave 4,500-4,950
    /// first activations a second spread over products and 5,490-5,510 on one product, where four gave
    /// 3,060-3,580 and 3,140-3,170 (and still 2,290-2,550 and 4,130-4,510 with a queue per batch that kept each
    /// product in one, so that no two batches shared a pool). More can help where a commit is slow and the cores
    /// are idle.
    /// </summary>
    [Range(1, 16)]
    public int Workers { get; set; } = 1;
}

/// <summary>
/// Device connections on PostgreSQL, settled in batches: the connections that arrive while a batch is at the
/// database wait for the next one, so a busy gateway pays a round trip and a commit per batch, not per device.
/// The rules are those of <see cref="ConnectionRules"/>; the money is guarded as on the single path, in set
/// form: the batch locks its devices (in id order) and then their pools (in product order), claims each device
/// only if its activation count is still what was read, grants each pool's remaining licenses to its oldest
/// requests and no more, and records one activation per license, all in one transaction. A connection the
/// batch cannot settle (its device changed meanwhile) goes into the next batch; after a few tries, or when a
/// batch fails, connections go one by one through <see cref="DeviceConnectionService"/>.
/// </summary>
public sealed partial class BatchedDeviceConnections : IDeviceConnections, IAsyncDisposable
{
    private const int MaxAttempts = 8;

    // Reconnections are reads; the last-seen time is written at most this often per device.
    private static readonly TimeSpan LastSeenGranularity = TimeSpan.FromHours(1);

    private readonly NpgsqlDataSource _dataSource;
    private readonly TimeProvider _clock;
    private readonly IServiceScopeFactory _scopes;
    private readonly ILogger<BatchedDeviceConnections> _logger;
    private readonly ConnectionBatchingOptions _options;
    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = false });
    private readonly Task[] _workers;

    public BatchedDeviceConnections(
        [FromKeyedServices(DatabaseServiceCollectionExtensions.DeviceConnectionsDataSource)] NpgsqlDataSource dataSource, TimeProvider clock, IServiceScopeFactory scopes, IOptions<ConnectionBatchingOptions> options, ILogger<BatchedDeviceConnections> logger)
    {
        _dataSource = dataSource;
        _clock = clock;
        _scopes = scopes;
        _logger = logger;
        _options = options.Value;
        _workers = [.. Enumerable.Range(0, _options.Workers).Select(_ => Task.Run(WorkAsync))];
    }

    public Task<ConnectionOutcome> ConnectAsync(string? productKey, string? deviceKey, string? dataCenter, CancellationToken cancellationToken = default)
    {
        var (pk, dk, dc) = DeviceConnectionService.Validate(productKey, deviceKey, dataCenter);
        var pending = new Pending(pk, dk, dc);
        if (!_queue.Writer.TryWrite(pending))
        {
            throw new ObjectDisposedException(nameof(BatchedDeviceConnections));
        }

        return pending.Outcome.Task;
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await Task.WhenAll(_workers);
    }

    private async Task WorkAsync()
    {
        var batch = new List<Pending>(_options.BatchSize);
        while (await _queue.Reader.WaitToReadAsync())
        {
            batch.Clear();
            while (batch.Count < _options.BatchSize && _queue.Reader.TryRead(out var pending))
            {
                batch.Add(pending);
            }

            if (batch.Count > 0)
            {
                await SettleAsync(batch);
            }
        }
    }

    private async Task SettleAsync(List<Pending> batch)
    {
        // One device once per batch: a repeat waits for the next batch and sees the first one's outcome.
        var seen = new HashSet<(string, string)>();
        var distinct = new List<Pending>(batch.Count);
        foreach (var pending in batch)
        {
            if (seen.Add((pending.ProductKey, pending.DeviceKey)))
            {
                distinct.Add(pending);
            }
            else
            {
                Retry(pending);
            }
        }

        try
        {
            await SettleDistinctAsync(distinct);
        }
        catch (PostgresException e) when (!e.IsTransient && !DbErrors.IsDatabaseUnavailable(e))
        {
            // Something the batch did not foresee (a constraint, a deadlock the lock order should prevent):
            // nothing of it was committed; settle these connections one by one.
            LogBatchFailed(_logger, e, distinct.Count);
            foreach (var pending in distinct.Where(p => !p.Outcome.Task.IsCompleted))
            {
                _ = SettleAloneAsync(pending);
            }
        }
        catch (Exception e)
        {
            // The database is gone or the batch broke: every request of the batch learns it now, none waits on
            // a retry. Whatever the batch committed before it broke (if anything) is answered as unknown, never as 200.
            if (DbErrors.IsDatabaseUnavailable(e))
            {
                // The pool hands out idle connections untested: after a server restart they are all dead. Drop them.
                _dataSource.Clear();
            }

            foreach (var pending in distinct)
            {
                pending.Outcome.TrySetException(e);
            }
        }
    }

    private async Task SettleDistinctAsync(List<Pending> batch)
    {
        var now = _clock.GetUtcNow().UtcDateTime;
        await using var connection = await _dataSource.OpenConnectionAsync();
        var states = await ResolveAsync(connection, batch, now);

        var work = new Work();
        for (var i = 0; i < batch.Count; i++)
        {
            Plan(batch[i], states[i], now, work);
        }

        if (work.IsEmpty)
        {
            return;
        }

        await WriteAsync(connection, work, now);
    }

    /// <summary>Reads each connection's product and device; creates the devices seen for the first time.</summary>
    private static async Task<State?[]> ResolveAsync(NpgsqlConnection connection, List<Pending> batch, DateTime now)
    {
        await using var command = new NpgsqlCommand(ResolveSql, connection);
        command.Parameters.Add(new NpgsqlParameter("pk", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = batch.Select(p => p.ProductKey).ToArray() });
        command.Parameters.Add(new NpgsqlParameter("dk", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = batch.Select(p => p.DeviceKey).ToArray() });
        command.Parameters.Add(new NpgsqlParameter("dc", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = batch.Select(p => p.DataCenter).ToArray() });
        command.Parameters.Add(new NpgsqlParameter("now", NpgsqlDbType.TimestampTz) { Value = now });
        var states = new State?[batch.Count];
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            var index = (int)reader.GetInt64(0) - 1;
            states[index] = reader.IsDBNull(1)
                ? null
                : new State(
                    ProductId: reader.GetInt64(1),
                    AccountId: reader.GetGuid(2),
                    SpecCode: reader.IsDBNull(3) ? null : reader.GetString(3),
                    ProductAutoRenew: reader.GetBoolean(4),
                    ProductDeleted: reader.GetBoolean(5),
                    ValidityMonths: reader.IsDBNull(6) ? null : reader.GetInt32(6),
                    DeviceId: reader.IsDBNull(7) ? null : reader.GetInt64(7),
                    ActivationCount: reader.IsDBNull(8) ? 0 : reader.GetInt32(8),
                    ActivatedAt: reader.IsDBNull(9) ? null : reader.GetDateTime(9),
                    ExpiresAt: reader.IsDBNull(10) ? null : reader.GetDateTime(10),
                    LapsedAt: reader.IsDBNull(11) ? null : reader.GetDateTime(11),
                    DeletedAt: reader.IsDBNull(12) ? null : reader.GetDateTime(12),
                    DeviceAutoRenew: reader.GetBoolean(13),
                    LastDataCenter: reader.IsDBNull(14) ? null : reader.GetString(14),
                    LastConnectedAt: reader.IsDBNull(15) ? null : reader.GetDateTime(15));
        }

        return states;
    }

    /// <summary>Decides what each connection calls for (the rules of <see cref="ConnectionRules"/>) and collects the writes.</summary>
    private void Plan(Pending pending, State? state, DateTime now, Work work)
    {
        if (state is null)
        {
            pending.Outcome.TrySetException(Refusals.GatewayProductNotFound.Error());
            return;
        }

        if (state.ProductDeleted)
        {
            pending.Outcome.TrySetException(Refusals.ProductDeleted.Error());
            return;
        }

        if (state.DeviceId is not { } deviceId)
        {
            // Created at this moment by another, uncommitted connection: it will be there next time.
            Retry(pending);
            return;
        }

        var step = ConnectionRules.Decide(new DeviceLicenseState(state.ExpiresAt, state.LapsedAt, state.DeletedAt, state.DeviceAutoRenew), state.ProductAutoRenew, now);
        switch (step)
        {
            case ConnectionStep.Valid:
                // Answered at once: a valid device consumes nothing, and where it was last seen is bookkeeping
                // that this batch writes a moment after the answer.
                if (state.LastDataCenter != pending.DataCenter || !(state.LastConnectedAt > now - LastSeenGranularity))
                {
                    work.Touch.Add((deviceId, pending.DataCenter));
                }

                pending.Outcome.TrySetResult(new ConnectionOutcome(ConnectionResult.Valid, false, state.ActivatedAt!.Value, state.ExpiresAt!.Value));
                return;

            case ConnectionStep.Restore:
                work.Restore.Add(new Change(pending, deviceId, state));
                return;

            case ConnectionStep.RefuseAutoRenewOff:
                // Refused once the lapse is committed, as on the single path: whoever reads the device after the
                // refusal sees it lapsed.
                work.LapseAutoRenewOff.Add(new Change(pending, deviceId, state));
                return;

            default:
                if (state.ValidityMonths is not { } months || state.SpecCode is null)
                {
                    // Never licensed: no spec, an empty pool.
                    pending.Outcome.TrySetException(Refusals.NoLicenseAvailable.Error());
                    return;
                }

                var start = step == ConnectionStep.ConsumeRenewal ? state.ExpiresAt!.Value : now;
                work.Consume.Add(new Claim(pending, deviceId, state, step, start, start.AddMonths(months)));
                return;
        }
    }

    /// <summary>All the batch's writes in one round trip and one transaction.</summary>
    private async Task WriteAsync(NpgsqlConnection connection, Work work, DateTime now)
    {
        var lapsedForLackOfLicenses = new List<Claim>();
        var restored = new HashSet<long>();

        // An explicit transaction, committed before any connection is answered: a 200 that says a license was
        // consumed is only ever sent for an activation the database has committed. (In an implicit one the
        // commit happens at the end of the round trip, and a failure there could follow results already read.)
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            await using (var batch = new NpgsqlBatch(connection, transaction))
            {
                // Devices first, in id order; pools after them, in product order: the order the single path and
                // the renewal worker lock in too, so batches, connections and the worker never deadlock.
                var locked = work.DeviceIds().Order().ToArray();
                batch.BatchCommands.Add(Command(LockSql, ("ids", NpgsqlDbType.Array | NpgsqlDbType.Bigint, locked)));
                if (work.Consume.Count > 0)
                {
                    batch.BatchCommands.Add(Command(ConsumeSql,
                        ("ord", NpgsqlDbType.Array | NpgsqlDbType.Integer, Enumerable.Range(0, work.Consume.Count).ToArray()),
                        ("id", NpgsqlDbType.Array | NpgsqlDbType.Bigint, work.Consume.Select(c => c.DeviceId).ToArray()),
                        ("seen", NpgsqlDbType.Array | NpgsqlDbType.Integer, work.Consume.Select(c => c.State.ActivationCount).ToArray()),
                        ("start", NpgsqlDbType.Array | NpgsqlDbType.TimestampTz, work.Consume.Select(c => c.Start).ToArray()),
                        ("stop", NpgsqlDbType.Array | NpgsqlDbType.TimestampTz, work.Consume.Select(c => c.End).ToArray()),
                        ("kind", NpgsqlDbType.Array | NpgsqlDbType.Text, work.Consume.Select(c => ConnectionRules.KindOf(c.Step).ToString()).ToArray()),
                        ("dc", NpgsqlDbType.Array | NpgsqlDbType.Text, work.Consume.Select(c => c.Pending.DataCenter).ToArray()),
                        ("product", NpgsqlDbType.Array | NpgsqlDbType.Bigint, work.Consume.Select(c => c.State.ProductId).ToArray()),
                        ("account", NpgsqlDbType.Array | NpgsqlDbType.Uuid, work.Consume.Select(c => c.State.AccountId).ToArray()),
                        ("spec", NpgsqlDbType.Array | NpgsqlDbType.Text, work.Consume.Select(c => c.State.SpecCode!).ToArray()),
                        ("now", NpgsqlDbType.TimestampTz, now)));
                }

                if (work.Restore.Count > 0)
                {
                    batch.BatchCommands.Add(Command(RestoreSql,
                        ("id", NpgsqlDbType.Array | NpgsqlDbType.Bigint, work.Restore.Select(r => r.DeviceId).ToArray()),
                        ("seen", NpgsqlDbType.Array | NpgsqlDbType.Integer, work.Restore.Select(r => r.State.ActivationCount).ToArray()),
                        ("dc", NpgsqlDbType.Array | NpgsqlDbType.Text, work.Restore.Select(r => r.Pending.DataCenter).ToArray()),
                        ("now", NpgsqlDbType.TimestampTz, now)));
                }

                if (work.LapseAutoRenewOff.Count > 0)
                {
                    batch.BatchCommands.Add(Command(LapseSql,
                        ("id", NpgsqlDbType.Array | NpgsqlDbType.Bigint, work.LapseAutoRenewOff.Select(l => l.DeviceId).ToArray()),
                        ("seen", NpgsqlDbType.Array | NpgsqlDbType.Integer, work.LapseAutoRenewOff.Select(l => l.State.ActivationCount).ToArray()),
                        ("reason", NpgsqlDbType.Array | NpgsqlDbType.Text, work.LapseAutoRenewOff.Select(_ => nameof(LapseReason.AutoRenewOff)).ToArray())));
                }

                if (work.Touch.Count > 0)
                {
                    batch.BatchCommands.Add(Command(TouchSql,
                        ("id", NpgsqlDbType.Array | NpgsqlDbType.Bigint, work.Touch.Select(t => t.DeviceId).ToArray()),
                        ("dc", NpgsqlDbType.Array | NpgsqlDbType.Text, work.Touch.Select(t => t.DataCenter).ToArray()),
                        ("now", NpgsqlDbType.TimestampTz, now)));
                }

                // All the statements in one round trip, in one transaction: all of them or none.
                await using var reader = await batch.ExecuteReaderAsync();
                while (await reader.ReadAsync())
                {
                    // The locked ids: nothing to read.
                }

                if (work.Consume.Count > 0)
                {
                    await reader.NextResultAsync();
                    long claimed = 0, recorded = 0, grantedCount = 0;
                    while (await reader.ReadAsync())
                    {
                        var claim = work.Consume[reader.GetInt32(0)];
                        var claimable = reader.GetBoolean(1);
                        var granted = reader.GetBoolean(2);
                        claimed = reader.GetInt64(3);
                        recorded = reader.GetInt64(4);
                        grantedCount += granted ? 1 : 0;
                        claim.Result = !claimable ? ClaimResult.Changed : granted ? ClaimResult.Consumed : ClaimResult.NoLicense;
                    }

                    if (claimed != grantedCount || recorded != grantedCount)
                    {
                        // Cannot happen with the locks held; if it did, the exception rolls the whole batch back.
                        throw new InvalidOperationException($"A batch granted {grantedCount} licenses but claimed {claimed} devices and recorded {recorded} activations.");
                    }
                }

                if (work.Restore.Count > 0)
                {
                    await reader.NextResultAsync();
                    while (await reader.ReadAsync())
                    {
                        restored.Add(reader.GetInt64(0));
                    }
                }
            }

            await transaction.CommitAsync();
        }

        foreach (var change in work.LapseAutoRenewOff)
        {
            change.Pending.Outcome.TrySetException(Refusals.AutoRenewOff.Error());
        }

        foreach (var change in work.Restore)
        {
            if (restored.Contains(change.DeviceId))
            {
                change.Pending.Outcome.TrySetResult(new ConnectionOutcome(ConnectionResult.Restored, false, change.State.ActivatedAt!.Value, change.State.ExpiresAt!.Value));
            }
            else
            {
                Retry(change.Pending);
            }
        }

        foreach (var claim in work.Consume)
        {
            switch (claim.Result)
            {
                case ClaimResult.Consumed when claim.End <= now:
                    // Renewed where the last period ended, and that period is over too: renew again.
                    Retry(claim.Pending);
                    break;
                case ClaimResult.Consumed:
                    claim.Pending.Outcome.TrySetResult(new ConnectionOutcome(
                        claim.Step == ConnectionStep.ConsumeFirst ? ConnectionResult.Activated : ConnectionResult.Renewed, true, claim.Start, claim.End));
                    break;
                case ClaimResult.NoLicense:
                    if (claim.Step == ConnectionStep.ConsumeRenewal)
                    {
                        lapsedForLackOfLicenses.Add(claim);
                    }
                    else
                    {
                        claim.Pending.Outcome.TrySetException(Refusals.NoLicenseAvailable.Error());
                    }

                    break;
                default:
                    Retry(claim.Pending);
                    break;
            }
        }

        if (lapsedForLackOfLicenses.Count > 0)
        {
            // The renewal found the pool empty: the license lapses, as the worker would have let it.
            await using var lapse = new NpgsqlBatch(connection);
            lapse.BatchCommands.Add(Command(LapseSql,
                ("id", NpgsqlDbType.Array | NpgsqlDbType.Bigint, lapsedForLackOfLicenses.Select(c => c.DeviceId).ToArray()),
                ("seen", NpgsqlDbType.Array | NpgsqlDbType.Integer, lapsedForLackOfLicenses.Select(c => c.State.ActivationCount).ToArray()),
                ("reason", NpgsqlDbType.Array | NpgsqlDbType.Text, lapsedForLackOfLicenses.Select(_ => nameof(LapseReason.NoLicense)).ToArray())));
            await lapse.ExecuteNonQueryAsync();
            foreach (var claim in lapsedForLackOfLicenses)
            {
                claim.Pending.Outcome.TrySetException(Refusals.NoLicenseAvailable.Error());
            }
        }
    }

    private void Retry(Pending pending)
    {
        if (++pending.Attempts >= MaxAttempts)
        {
            // A device this contended is rare; the single path waits on its row lock instead.
            _ = SettleAloneAsync(pending);
            return;
        }

        if (!_queue.Writer.TryWrite(pending))
        {
            _ = SettleAloneAsync(pending);
        }
    }

    private async Task SettleAloneAsync(Pending pending)
    {
        try
        {
            await using var scope = _scopes.CreateAsyncScope();
            scope.ServiceProvider.GetRequiredService<TenantContext>().ActForPlatform("gateway");
            var outcome = await scope.ServiceProvider.GetRequiredService<DeviceConnectionService>()
                .ConnectAsync(pending.ProductKey, pending.DeviceKey, pending.DataCenter);
            pending.Outcome.TrySetResult(outcome);
        }
        catch (Exception e)
        {
            pending.Outcome.TrySetException(e);
        }
    }

    private static NpgsqlBatchCommand Command(string sql, params (string Name, NpgsqlDbType Type, object Value)[] parameters)
    {
        var command = new NpgsqlBatchCommand(sql);
        foreach (var (name, type, value) in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter(name, type) { Value = value });
        }

        return command;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A batch of {Count} connections failed; settling them one by one")]
    private static partial void LogBatchFailed(ILogger logger, Exception exception, int count);

    private sealed class Pending(string productKey, string deviceKey, string dataCenter)
    {
        public string ProductKey { get; } = productKey;
        public string DeviceKey { get; } = deviceKey;
        public string DataCenter { get; } = dataCenter;
        public int Attempts { get; set; }
        public TaskCompletionSource<ConnectionOutcome> Outcome { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private sealed record State(
        long ProductId, Guid AccountId, string? SpecCode, bool ProductAutoRenew, bool ProductDeleted, int? ValidityMonths,
        long? DeviceId, int ActivationCount, DateTime? ActivatedAt, DateTime? ExpiresAt, DateTime? LapsedAt, DateTime? DeletedAt,
        bool DeviceAutoRenew, string? LastDataCenter, DateTime? LastConnectedAt);

    private sealed record Change(Pending Pending, long DeviceId, State State);

    private enum ClaimResult
    {
        Changed,
        Consumed,
        NoLicense,
    }

    private sealed class Claim(Pending pending, long deviceId, State state, ConnectionStep step, DateTime start, DateTime end)
    {
        public Pending Pending { get; } = pending;
        public long DeviceId { get; } = deviceId;
        public State State { get; } = state;
        public ConnectionStep Step { get; } = step;
        public DateTime Start { get; } = start;
        public DateTime End { get; } = end;
        public ClaimResult Result { get; set; }
    }

    private sealed class Work
    {
        public List<Claim> Consume { get; } = [];
        public List<Change> Restore { get; } = [];
        public List<Change> LapseAutoRenewOff { get; } = [];
        public List<(long DeviceId, string DataCenter)> Touch { get; } = [];

        public bool IsEmpty => Consume.Count + Restore.Count + LapseAutoRenewOff.Count + Touch.Count == 0;

        public IEnumerable<long> DeviceIds() =>
            Consume.Select(c => c.DeviceId).Concat(Restore.Select(r => r.DeviceId)).Concat(LapseAutoRenewOff.Select(l => l.DeviceId)).Concat(Touch.Select(t => t.DeviceId)).Distinct();
    }
}
