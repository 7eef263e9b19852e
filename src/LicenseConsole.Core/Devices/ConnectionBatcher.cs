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
    /// Batches in flight at once per app instance. The connections that arrive while the batches are at the
    /// database wait for the next, so fewer batches in flight make larger batches whose cost is shared by more
    /// connections (docs/benchmarks.md has the figures).
    /// </summary>
    [Range(1, 16)]
    public int Workers { get; set; } = 1;
}

/// <summary>
/// Single device connections on PostgreSQL, settled in batches: the connections that arrive while a batch is at
/// the database go together in the next one, so a busy gateway pays a round trip and a commit per batch, not per
/// device. A hosted service: the host starts it, and on shutdown it settles what is queued before it stops.
/// </summary>
public sealed partial class ConnectionBatcher(ConnectionSettlement settlement, IOptions<ConnectionBatchingOptions> options, ILogger<ConnectionBatcher> logger)
    : BackgroundService
{
    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = options.Value.Workers == 1 });

    /// <summary>The connection's answer once its batch is committed; the caller's cancellation ends the wait.</summary>
    public async Task<ConnectionAnswer> SettleAsync(ConnectionRequest request, CancellationToken cancellationToken)
    {
        var pending = new Pending(request, cancellationToken);
        if (!_queue.Writer.TryWrite(pending))
        {
            throw new InvalidOperationException("The app is stopping; connections are no longer taken.");
        }

        return await pending.Answer.Task.WaitAsync(cancellationToken);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        // No new connections; the queued ones are settled, then the workers end.
        _queue.Writer.TryComplete();
        await base.StopAsync(cancellationToken);
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(Enumerable.Range(0, options.Value.Workers).Select(_ => WorkAsync()));

    private async Task WorkAsync()
    {
        var size = options.Value.BatchSize;
        var batch = new List<Pending>(size);
        while (await _queue.Reader.WaitToReadAsync())
        {
            batch.Clear();
            while (batch.Count < size && _queue.Reader.TryRead(out var pending))
            {
                // A caller that gave up before its batch began is not settled.
                if (!pending.CancellationToken.IsCancellationRequested)
                {
                    batch.Add(pending);
                }
            }

            if (batch.Count == 0)
            {
                continue;
            }

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
