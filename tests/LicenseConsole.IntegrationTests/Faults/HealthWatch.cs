using System.Diagnostics;

namespace LicenseConsole.IntegrationTests.Faults;

/// <summary>One answer of <c>/health</c> (status 0: none), on the time line of the load.</summary>
public sealed record HealthAnswer(TimeSpan At, int Status, TimeSpan Took);

/// <summary>Asks the app's <c>/health</c> every quarter of a second, as a load balancer would, and keeps the answers.</summary>
public sealed class HealthWatch : IAsyncDisposable
{
    private static readonly TimeSpan Every = TimeSpan.FromMilliseconds(250);
    private readonly HttpClient _http;
    private readonly Func<TimeSpan> _clock;
    private readonly List<HealthAnswer> _answers = [];
    private readonly Lock _lock = new();
    private readonly CancellationTokenSource _stop = new();
    private Task _running = Task.CompletedTask;

    /// <param name="app">The app to watch.</param>
    /// <param name="clock">The time line to record the answers on (the load's).</param>
    public HealthWatch(Uri app, Func<TimeSpan> clock)
    {
        _http = new HttpClient { BaseAddress = app, Timeout = TimeSpan.FromSeconds(10) };
        _clock = clock;
    }

    public IReadOnlyList<HealthAnswer> Answers
    {
        get
        {
            lock (_lock)
            {
                return [.. _answers];
            }
        }
    }

    public void Start() => _running = Task.Run(WatchAsync);

    /// <summary>The first answer with <paramref name="status"/> at or after <paramref name="since"/>; fails after <paramref name="timeout"/>.</summary>
    public async Task<HealthAnswer> WaitForAsync(int status, TimeSpan since, TimeSpan timeout)
    {
        var waited = Stopwatch.StartNew();
        while (true)
        {
            var answer = Answers.FirstOrDefault(a => a.At >= since && a.Status == status);
            if (answer is not null)
            {
                return answer;
            }

            Assert.True(waited.Elapsed < timeout, $"/health did not answer {status} within {timeout}; last answers: " +
                string.Join(", ", Answers.TakeLast(5).Select(a => $"{a.Status} at {a.At.TotalSeconds:0.0} s")));
            await Task.Delay(50, TestContext.Current.CancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _running;
        _http.Dispose();
        _stop.Dispose();
    }

    private async Task WatchAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var at = _clock();
            int status;
            try
            {
                using var response = await _http.GetAsync("health", CancellationToken.None);
                status = (int)response.StatusCode;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                status = 0;
            }

            lock (_lock)
            {
                _answers.Add(new HealthAnswer(at, status, _clock() - at));
            }

            try
            {
                await Task.Delay(Every, _stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
