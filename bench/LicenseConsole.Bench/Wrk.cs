using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace LicenseConsole.Bench;

/// <summary>
/// The gateway's load, from wrk (Debian's package): a closed loop of connections, each sending its next request
/// as soon as the last one answered, with the bodies made by a Lua script. A native load generator leaves the
/// two cores to the app and PostgreSQL, as a gateway on another machine would.
/// </summary>
public static class Wrk
{
    private const int Threads = 2;

    /// <summary>
    /// Runs wrk for <paramref name="duration"/> with <paramref name="connections"/> connections. <paramref name="body"/>
    /// is a Lua expression for the next body, in terms of <c>tid</c> (the thread, 0 or 1) and <c>n</c> (its request
    /// count so far, from 1); <paramref name="prelude"/> defines what it uses.
    /// </summary>
    public static async Task<Stats> RunAsync(
        string name, Uri baseAddress, string path, string apiKey, string prelude, string body, int connections, TimeSpan duration, int unitsPerRequest = 1)
    {
        var script = Path.Combine(Path.GetTempPath(), $"lc-wrk-{Guid.NewGuid():N}.lua");
        await File.WriteAllTextAsync(script, $$"""
            local threads = 0
            function setup(thread)
              thread:set("tid", threads)
              threads = threads + 1
            end
            local n = 0
            {{prelude}}
            local headers = { ["Content-Type"] = "application/json", ["X-Api-Key"] = "{{apiKey}}" }
            function request()
              n = n + 1
              return wrk.format("POST", "{{path}}", headers, {{body}})
            end
            function done(summary, latency, requests)
              local e = summary.errors
              io.write(string.format('WRK {"requests":%d,"micros":%d,"status":%d,"socket":%d,"p50":%.3f,"p95":%.3f,"p99":%.3f}\n',
                summary.requests, summary.duration, e.status, e.connect + e.read + e.write + e.timeout,
                latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000))
            end
            """);
        try
        {
            var start = new ProcessStartInfo("wrk")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (var argument in new[]
            {
                "-t", Threads.ToString(CultureInfo.InvariantCulture), "-c", connections.ToString(CultureInfo.InvariantCulture),
                "-d", $"{(int)duration.TotalSeconds}s", "--timeout", "30s", "-s", script, baseAddress.ToString().TrimEnd('/'),
            })
            {
                start.ArgumentList.Add(argument);
            }

            using var process = Process.Start(start) ?? throw new InvalidOperationException("wrk did not start.");
            var output = await process.StandardOutput.ReadToEndAsync();
            var errors = await process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            var line = output.Split('\n').FirstOrDefault(l => l.StartsWith("WRK ", StringComparison.Ordinal))
                ?? throw new InvalidOperationException($"wrk said:\n{output}\n{errors}");
            var result = JsonDocument.Parse(line[4..]).RootElement;
            double Ms(string member) => result.GetProperty(member).GetDouble();
            return new Stats(
                name,
                requests: result.GetProperty("requests").GetInt64(),
                elapsed: TimeSpan.FromMicroseconds(result.GetProperty("micros").GetInt64()),
                errors: result.GetProperty("status").GetInt64() + result.GetProperty("socket").GetInt64(),
                p50: Ms("p50"), p95: Ms("p95"), p99: Ms("p99"),
                unitsPerRequest: unitsPerRequest);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException("The benchmark needs wrk: apt-get install -y wrk", e);
        }
        finally
        {
            File.Delete(script);
        }
    }

    /// <summary>A Lua string literal.</summary>
    public static string Quote(string text) => "\"" + text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
}
