using System.ComponentModel.DataAnnotations;
using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LicenseConsole.Devices;

/// <summary>Configuration section <c>Connections</c>: how single device connections are batched on PostgreSQL.</summary>
public sealed class ConnectionBatchingOptions
{
    public const string Section = "Connections";

    /// <summary>At most this many connections are settled in one batch.</summary>
    [Range(1, 10_000)]
    public int BatchSize { get; set; } = 256;

    /// <summary>
    /// Batches in flight at once per app instance, at most. One batch is at the database whenever connections wait;
    /// a further one starts only while a whole batch waits behind those in flight. A light load thus makes large
    /// batches on one database session, whose cost is shared by more connections, and a load one session cannot
    /// keep up with spreads over several (docs/benchmarks-analysis.md has the figures).
    /// </summary>
    [Range(1, 16)]
    public int Workers { get; set; } = 4;
}

/// <summary>
/// Single device connections on PostgreSQL, settled in batches: the connections that arrive while a batch is at
/// the database go together in the next one, so a busy gateway pays a round trip and a commit per batch, not per
/// device. A hosted service: the host starts it, and on shutdown it settles what is queued before it stops.
/// </summary>
public sealed partial class ConnectionBatcher(ConnectionSettlement settlement, IOptions<ConnectionBatchingOptions> options, ILogger<ConnectionBatcher> logger)
    : BackgroundService
{
    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>();

    // Wakes an idle further worker when a whole batch waits. Never disposed: it holds no wait handle, and a late
    // wake (a connection refused while the host stops) must not meet a disposed semaphore.
    private readonly SemaphoreSlim _backlog = new(0);
    private volatile bool _stopping;

    private int BatchSize => options.Value.BatchSize;

    /// <summary>The connection's answer once its batch is committed; the caller's cancellation ends the wait.</summary>
    public async Task<ConnectionAnswer> SettleAsync(ConnectionRequest request, CancellationToken cancellationToken)
    {
        var pending = new Pending(request, cancellationToken);
        if (!_queue.Writer.TryWrite(pending))
        {
            throw new InvalidOperationException("The app is stopping; connections are no longer taken.");
        }

        WakeFurtherWorkerWhileAWholeBatchWaits();
        return await pending.Answer.Task.WaitAsync(cancellationToken);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        // No new connections; the first worker settles the queued ones, the further workers end.
        _queue.Writer.TryComplete();
        _stopping = true;
        _backlog.Release(options.Value.Workers);
        await base.StopAsync(cancellationToken);
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll([FirstWorkerAsync(), .. Enumerable.Range(1, options.Value.Workers - 1).Select(_ => FurtherWorkerAsync())]);

    /// <summary>Settles whatever waits, one batch after another, until the queue is completed and empty.</summary>
    private async Task FirstWorkerAsync()
    {
        while (await _queue.Reader.WaitToReadAsync())
        {
            await SettleNextBatchAsync();
        }
    }

    /// <summary>Settles batches only while a whole batch waits behind those in flight.</summary>
    private async Task FurtherWorkerAsync()
    {
        while (true)
        {
            await _backlog.WaitAsync();
            if (_stopping)
            {
                return;
            }

            while (_queue.Reader.Count >= BatchSize)
            {
                await SettleNextBatchAsync();
            }
        }
    }

    private async Task SettleNextBatchAsync()
    {
        var batch = new List<Pending>(BatchSize);
        while (batch.Count < BatchSize && _queue.Reader.TryRead(out var pending))
        {
            // A caller that gave up before its batch began is not settled.
            if (!pending.CancellationToken.IsCancellationRequested)
            {
                batch.Add(pending);
            }
        }

        if (batch.Count == 0)
        {
            return;
        }

        WakeFurtherWorkerWhileAWholeBatchWaits();
        try
        {
            await settlement.SettleAsync([.. batch.Select(p => p.Request)], (i, answer) => batch[i].Answer.TrySetResult(answer), CancellationToken.None);
        }
        catch (Exception e)
        {
            // Whatever the batch committed before it broke (if anything) is answered as unknown, never as 200.
            LogBatchFailed(logger, e, batch.Count);
            foreach (var pending in batch)
            {
                pending.Answer.TrySetException(e);
            }
        }
    }

    private void WakeFurtherWorkerWhileAWholeBatchWaits()
    {
        if (_queue.Reader.Count >= BatchSize && _backlog.CurrentCount == 0)
        {
            _backlog.Release();
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A batch of {Count} connections failed")]
    private static partial void LogBatchFailed(ILogger logger, Exception exception, int count);

    private sealed class Pending(ConnectionRequest request, CancellationToken cancellationToken)
    {
        public ConnectionRequest Request { get; } = request;

        public CancellationToken CancellationToken { get; } = cancellationToken;

        public TaskCompletionSource<ConnectionAnswer> Answer { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
