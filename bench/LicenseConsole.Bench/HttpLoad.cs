using System.Diagnostics;
using System.Net.Http.Headers;

namespace LicenseConsole.Bench;

/// <summary>
/// A closed-loop HTTP load: <c>concurrency</c> clients each send their next request as soon as the last one
/// answered, for a fixed time. Bodies are made before the clock starts, so the generator does little work.
/// </summary>
public static class HttpLoad
{
    public static async Task<Stats> RunAsync(
        string name, Uri baseAddress, string path, IReadOnlyDictionary<string, string> headers,
        Func<int, int, byte[]> body, int concurrency, TimeSpan duration, Func<HttpResponseMessage, bool>? ok = null,
        int premade = 4096, int unitsPerRequest = 1)
    {
        ok ??= r => r.IsSuccessStatusCode;
        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = concurrency, PooledConnectionLifetime = Timeout.InfiniteTimeSpan };
        using var client = new HttpClient(handler) { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };
        foreach (var (key, value) in headers)
        {
            client.DefaultRequestHeaders.Add(key, value);
        }

        var latencies = new List<double>[concurrency];
        var completions = new List<double>[concurrency];
        var errors = new int[concurrency];
        var bodies = Enumerable.Range(0, concurrency).Select(c => Enumerable.Range(0, premade).Select(i => body(c, i)).ToArray()).ToArray();
        using var stop = new CancellationTokenSource(duration);
        var started = Stopwatch.StartNew();
        var clients = Enumerable.Range(0, concurrency).Select(c => Task.Run(async () =>
        {
            var mine = latencies[c] = new List<double>(100_000);
            var done = completions[c] = new List<double>(100_000);
            var i = 0;
            while (!stop.IsCancellationRequested)
            {
                var payload = i < bodies[c].Length ? bodies[c][i] : body(c, i);
                i++;
                var sent = Stopwatch.GetTimestamp();
                using var content = new ByteArrayContent(payload);
                content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                try
                {
                    using var response = await client.PostAsync(path, content, CancellationToken.None);
                    await response.Content.LoadIntoBufferAsync();
                    mine.Add(Stopwatch.GetElapsedTime(sent).TotalMilliseconds);
                    done.Add(started.Elapsed.TotalSeconds);
                    if (!ok(response))
                    {
                        errors[c]++;
                    }
                }
                catch (HttpRequestException)
                {
                    errors[c]++;
                }
            }
        })).ToArray();
        await Task.WhenAll(clients);
        return new Stats(name, [.. latencies.SelectMany(l => l)], started.Elapsed, errors.Sum(), unitsPerRequest, [.. completions.SelectMany(l => l)]);
    }

    /// <summary>Sequential GETs (one client): the latency a person sees.</summary>
    public static async Task<Stats> GetSeriesAsync(string name, HttpClient client, string path, int warmup, int count)
    {
        for (var i = 0; i < warmup; i++)
        {
            using var response = await client.GetAsync(path);
            response.EnsureSuccessStatusCode();
            await response.Content.LoadIntoBufferAsync();
        }

        var latencies = new List<double>(count);
        var errors = 0;
        var started = Stopwatch.StartNew();
        for (var i = 0; i < count; i++)
        {
            var sent = Stopwatch.GetTimestamp();
            using var response = await client.GetAsync(path);
            await response.Content.LoadIntoBufferAsync();
            latencies.Add(Stopwatch.GetElapsedTime(sent).TotalMilliseconds);
            errors += response.IsSuccessStatusCode ? 0 : 1;
        }

        return new Stats(name, latencies, started.Elapsed, errors);
    }
}
