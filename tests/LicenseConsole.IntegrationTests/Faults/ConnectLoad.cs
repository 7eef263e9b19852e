using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;

namespace LicenseConsole.IntegrationTests.Faults;

/// <summary>
/// One <c>POST /api/v1/devices/connect</c> as the gateway saw it: when it was sent (since the load began),
/// how long it took, and what came back. Status 0: no answer (the app was gone, or the client gave up).
/// </summary>
public sealed record ConnectAttempt(
    int Client, string ProductKey, string DeviceKey, TimeSpan SentAt, TimeSpan Took, int Status,
    string? Code, bool Consumed, DateTime? ActivatedAt, string? ContentType, bool RetryAfter, string? Failure)
{
    public bool Answered => Status != 0;

    /// <summary>A license was surely consumed for the device by this request.</summary>
    public bool ConsumedForSure => Status == 200 && Consumed;

    /// <summary>The request may or may not have changed the ledger: no answer, or an answer that cannot tell.</summary>
    public bool OutcomeUnknown => Status is 0 or >= 500;
}

/// <summary>
/// The gateway under load: <c>clients</c> concurrent clients each send one connection after another (a
/// client timeout of 30 s, as a gateway would have) until stopped, and every attempt is recorded. Each
/// client asks <c>target</c> where the app is at every request, so the app may be killed and come back
/// elsewhere. After a failure a client waits a little before the next request, as a gateway backs off.
/// </summary>
public sealed class ConnectLoad : IAsyncDisposable
{
    public static readonly TimeSpan ClientTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan PauseAfterFailure = TimeSpan.FromMilliseconds(150);
    private readonly Func<int, Uri> _target;
    private readonly Func<Random, int, (string ProductKey, string DeviceKey)> _next;
    private readonly int _clients;
    private readonly HttpClient _http;
    private readonly ConcurrentQueue<ConnectAttempt> _attempts = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Stopwatch _clock = new();
    private Task[] _running = [];
    private int _answered;

    /// <param name="clients">How many clients send at once.</param>
    /// <param name="target">The app each client talks to (by client number), asked again at every request.</param>
    /// <param name="next">The product and device a client connects next (by its own random source and client number).</param>
    public ConnectLoad(int clients, Func<int, Uri> target, Func<Random, int, (string ProductKey, string DeviceKey)> next)
    {
        _clients = clients;
        _target = target;
        _next = next;
        _http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = clients * 2, PooledConnectionIdleTimeout = TimeSpan.FromSeconds(5) })
        {
            Timeout = ClientTimeout,
        };
    }

    /// <summary>Time since the load began: the time line the attempts are recorded on.</summary>
    public TimeSpan Elapsed => _clock.Elapsed;

    public int Answered => Volatile.Read(ref _answered);

    /// <summary>
    /// Device keys of two kinds across <paramref name="products"/>: new ones (first connections, each sent once)
    /// and a shared set of <paramref name="repeatedPerProduct"/> per product that every client reconnects, so that
    /// the same device is often in flight from several clients at once.
    /// </summary>
    public static Func<Random, int, (string, string)> MixedKeys(IReadOnlyList<FleetProduct> products, int repeatedPerProduct)
    {
        var sequence = 0;
        return (random, client) =>
        {
            var product = products[random.Next(products.Count)].ProductKey;
            var device = random.Next(100) < 40
                ? $"new-{client}-{Interlocked.Increment(ref sequence)}"
                : $"shared-{random.Next(repeatedPerProduct)}";
            return (product, device);
        };
    }

    public void Start()
    {
        _clock.Start();
        _running = [.. Enumerable.Range(0, _clients).Select(client => Task.Run(() => RunClientAsync(client)))];
    }

    /// <summary>Waits until <paramref name="count"/> answers came in since the load began.</summary>
    public async Task WaitForAnswersAsync(int count, TimeSpan timeout)
    {
        var until = _clock.Elapsed + timeout;
        while (Answered < count)
        {
            Assert.True(_clock.Elapsed < until, $"Only {Answered} of {count} connections were answered within {timeout}.");
            await Task.Delay(50, TestContext.Current.CancellationToken);
        }
    }

    /// <summary>Stops the clients (each finishes the request it is sending) and returns every attempt.</summary>
    public async Task<IReadOnlyList<ConnectAttempt>> StopAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_running);
        return [.. _attempts.OrderBy(a => a.SentAt)];
    }

    public async ValueTask DisposeAsync()
    {
        if (!_stop.IsCancellationRequested)
        {
            await StopAsync();
        }

        _http.Dispose();
        _stop.Dispose();
    }

    private async Task RunClientAsync(int client)
    {
        var random = new Random(client * 7919);
        while (!_stop.IsCancellationRequested)
        {
            var (productKey, deviceKey) = _next(random, client);
            var attempt = await ConnectAsync(client, productKey, deviceKey);
            _attempts.Enqueue(attempt);
            if (attempt.Answered)
            {
                Interlocked.Increment(ref _answered);
            }

            if (attempt.Status is 0 or >= 500)
            {
                try
                {
                    await Task.Delay(PauseAfterFailure, _stop.Token);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    private async Task<ConnectAttempt> ConnectAsync(int client, string productKey, string deviceKey)
    {
        var sentAt = _clock.Elapsed;
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_target(client), "api/v1/devices/connect"))
            {
                Content = JsonContent.Create(new { productKey, deviceKey, dataCenter = FaultFleet.DataCenter }),
            };
            request.Headers.Add("X-Api-Key", PublishedConsole.PlatformKey);

            // Not the load's stop token: a request once sent is seen through, so that its outcome is known.
            using var response = await _http.SendAsync(request, CancellationToken.None);
            var body = await response.Content.ReadAsStringAsync(CancellationToken.None);
            var took = _clock.Elapsed - sentAt;
            var status = (int)response.StatusCode;
            var contentType = response.Content.Headers.ContentType?.MediaType;
            var retryAfter = response.Headers.RetryAfter is not null;
            var json = contentType?.Contains("json", StringComparison.Ordinal) == true ? TryParse(body) : null;
            if (status == 200 && json is { } answer)
            {
                return new ConnectAttempt(client, productKey, deviceKey, sentAt, took, status, null,
                    answer.GetProperty("consumed").GetBoolean(), answer.GetProperty("activatedAt").GetDateTime().ToUniversalTime(), contentType, retryAfter, null);
            }

            var code = json is { } problem && problem.TryGetProperty("code", out var c) ? c.GetString() : null;
            return new ConnectAttempt(client, productKey, deviceKey, sentAt, took, status, code, false, null, contentType, retryAfter,
                json is null ? Excerpt(body) : null);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
        {
            var failure = e is TaskCanceledException ? $"no answer within {ClientTimeout.TotalSeconds:0} s" : "no answer: " + e.GetBaseException().Message;
            return new ConnectAttempt(client, productKey, deviceKey, sentAt, _clock.Elapsed - sentAt, 0, null, false, null, null, false, failure);
        }
    }

    private static JsonElement? TryParse(string body)
    {
        try
        {
            return JsonDocument.Parse(body).RootElement.Clone();
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string Excerpt(string body) => body.Length > 200 ? body[..200] : body;
}

/// <summary>The figures a fault test prints: what was sent and what came back.</summary>
public static class LoadFigures
{
    public static string Describe(IReadOnlyCollection<ConnectAttempt> attempts)
    {
        var statuses = attempts.Where(a => a.Answered).GroupBy(a => a.Status).OrderBy(g => g.Key)
            .Select(g => string.Create(CultureInfo.InvariantCulture, $"{g.Key}: {g.Count()}"));
        var other = attempts.Count(a => a.Answered && a.Status is not (200 or 403 or 503));
        var slowest = attempts.Count == 0 ? TimeSpan.Zero : attempts.Max(a => a.Took);
        return string.Create(CultureInfo.InvariantCulture,
            $"requests sent {attempts.Count}; 200s {attempts.Count(a => a.Status == 200)} (consumed {attempts.Count(a => a.ConsumedForSure)}); " +
            $"403s {attempts.Count(a => a.Status == 403)}; 503s {attempts.Count(a => a.Status == 503)}; other statuses {other}; " +
            $"no answer {attempts.Count(a => !a.Answered)}; by status [{string.Join(", ", statuses)}]; slowest {slowest.TotalMilliseconds:0} ms");
    }
}
