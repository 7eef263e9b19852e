using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using LicenseConsole.Accounts;
using LicenseConsole.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace LicenseConsole.Bench;

public sealed partial class Bench
{
    private static string SpreadProducts => Lua.Spread("bench%04d", 2, Fleet.ProductCount - 2);

    private static string HotProduct => Wrk.Quote(Fleet.ProductKey(Fleet.HotProduct));

    private static string GiantProduct => Wrk.Quote(Fleet.ProductKey(Fleet.GiantProduct));

    private string GiantDevice => Lua.Device(Fleet.GiantProduct, _fleet.GiantDevices);

    /// <summary>The gateway's load: first activations spread over many products, all on one product, reconnections.</summary>
    private async Task ConnectLoadsAsync(ConsoleProcess app)
    {
        var c = options.Concurrency;
        var spread = SpreadProducts;
        Log("Warming the app up");
        await Wrk.RunAsync("warm-up", app.BaseAddress, ConnectPath, PlatformKey, "", Lua.Connect(spread, Lua.NewDevice($"warm{_report.Run}-")), c, TimeSpan.FromSeconds(5));

        await using var memory = MemoryProbe.Start(app.ProcessId);
        async Task<Stats> LoadAsync(string name, string body, string profile)
        {
            Log($"Connect: {name}");
            await ProfileStartAsync(_connectionString);
            var cpu = CpuProbe.Start(app.ProcessId);
            var stats = await TracedAsync(app, profile, () => Wrk.RunAsync(name, app.BaseAddress, ConnectPath, PlatformKey, "", body, c, options.Duration));
            _report.ConnectCpu.Add(cpu.Stop());
            Log($"  {stats.PerSecond:N0}/s, p95 {stats.P95:0.0} ms, errors {stats.Errors}");
            await ProfileEndAsync(_connectionString, profile, stats.Count);
            return stats;
        }

        _report.Connect.Add(await LoadAsync("first activations, spread over 998 products", Lua.Connect(spread, Lua.NewDevice($"spread{_report.Run}-")), "seeded fleet, first activations spread"));
        _report.Connect.Add(await LoadAsync("first activations, one hot product", Lua.Connect(HotProduct, Lua.NewDevice($"hot{_report.Run}-")), "seeded fleet, first activations on one product"));
        _report.Connect.Add(await LoadAsync("reconnections of valid devices", Lua.Connect(GiantProduct, GiantDevice), "seeded fleet, reconnections"));
        _report.ConnectPeakMb = Math.Max(_report.ConnectPeakMb, memory.PeakMb);
    }

    /// <summary>With --trace, the app's CPU samples during the load (the figures of a traced load are not for comparing).</summary>
    private async Task<Stats> TracedAsync(ConsoleProcess app, string load, Func<Task<Stats>> run)
    {
        if (!options.Trace)
        {
            return await run();
        }

        var (stats, profile) = await AppTrace.DuringAsync(load, app.ProcessId, options.Duration - TimeSpan.FromSeconds(4), run);
        _report.AppProfiles.Add(profile);
        Log($"  app profile of '{load}', by function alone:\n{profile.Exclusive}");
        return stats;
    }

    /// <summary>The gateway's bulk call: the same three loads, many connections per call.</summary>
    private async Task BulkLoadsAsync(ConsoleProcess app)
    {
        var size = options.BulkSize;
        var spread = SpreadProducts;
        await using var memory = MemoryProbe.Start(app.ProcessId);
        async Task<Stats> LoadAsync(string name, string product, string device, TimeSpan duration, bool measured = true)
        {
            Task<Stats> Run() => Wrk.RunAsync(name, app.BaseAddress, BulkPath, PlatformKey, Lua.Bulk(size, product, device), "body()", options.BulkClients, duration, size);
            Log($"Connect in bulk ({size} per call, {options.BulkClients} clients): {name}");
            await ProfileStartAsync(_connectionString);
            var cpu = CpuProbe.Start(app.ProcessId);
            var stats = await (measured ? TracedAsync(app, "bulk call, " + name, Run) : Run());
            if (measured)
            {
                _report.BulkCpu.Add(cpu.Stop());
                Log($"  {stats.PerSecond:N0} connections/s, p95 {stats.P95:0.0} ms per call, errors {stats.Errors}");
                await ProfileEndAsync(_connectionString, "bulk call, " + name, stats.Count * size);
            }

            return stats;
        }

        await LoadAsync("warm-up", spread, Lua.NewDevice($"bwarm{_report.Run}-"), TimeSpan.FromSeconds(3), measured: false);
        _report.Bulk.Add(await LoadAsync("first activations, spread over 998 products", spread, Lua.NewDevice($"bspread{_report.Run}-"), options.Duration));
        _report.Bulk.Add(await LoadAsync("first activations, one hot product", HotProduct, Lua.NewDevice($"bhot{_report.Run}-"), options.Duration));
        _report.Bulk.Add(await LoadAsync("reconnections of valid devices", GiantProduct, GiantDevice, options.Duration));
        _report.ConnectPeakMb = Math.Max(_report.ConnectPeakMb, memory.PeakMb);
        _report.Oversold = await ScalarAsync("SELECT count(*) FROM product_pools WHERE used > total");
    }

    /// <summary>
    /// The database's own limit for the same consumption: pgbench runs the pool's conditional update and the
    /// activation insert, at the same concurrency, on the given database: spread over <paramref name="products"/>,
    /// and on the one pool row of <paramref name="hotProduct"/> when given.
    /// </summary>
    private async Task<(double Spread, double Hot)> PgBenchAsync(string connectionString, Guid accountId, long[] products, long? hotProduct)
    {
        Log("pgbench: the same transaction as raw SQL");
        var clients = options.Concurrency;
        var all = hotProduct is { } hot ? [.. products, hot] : products;
        await ExecuteAsync(connectionString, $"""
            INSERT INTO devices (account_id, product_id, device_key, auto_renew, created_at, activation_count)
            SELECT '{accountId}', p, 'pgbench-' || p || '-' || c, true, now(), 0
            FROM unnest(ARRAY[{string.Join(",", all)}]::bigint[]) WITH ORDINALITY AS t(p, n), generate_series(0, {clients - 1}) AS c
            ORDER BY n, c
            """);
        if (all.Where((id, i) => id != all[0] + i).Any())
        {
            throw new InvalidOperationException("pgbench's script reaches the products by position: their ids must run on without a gap.");
        }

        // The device of client c for the product at position n (1-based) of the list above.
        var firstDevice = await ScalarAsync(connectionString, "SELECT min(id) FROM devices WHERE device_key LIKE 'pgbench-%'");
        var script = Path.Combine(Path.GetTempPath(), $"lc-pgbench-{Guid.NewGuid():N}.sql");
        string Script(string position) => $"""
            \set n {position}
            \set pid {all[0]} + :n - 1
            \set did {firstDevice} + (:n - 1) * {clients} + :client_id
            BEGIN;
            UPDATE product_pools SET used = used + 1 WHERE product_id = :pid AND used < total;
            INSERT INTO activations (account_id, product_id, device_id, spec_code, activated_at, expires_at, kind, data_center, recorded_at)
                VALUES ('{accountId}', :pid, :did, 'STD-1Y', clock_timestamp(), clock_timestamp() + interval '1 year', 'First', 'cn-east', clock_timestamp());
            END;
            """;

        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        async Task<(double Tps, CpuShares Cpu)> RunAsync(string position)
        {
            await File.WriteAllTextAsync(script, Script(position));
            var cpu = CpuProbe.Start(0);
            var output = await _cluster.RunServerBinaryAsync("pgbench",
            [
                "-h", builder.Host!, "-p", builder.Port.ToString(CultureInfo.InvariantCulture), "-U", builder.Username ?? "postgres", "-n",
                "-M", "prepared", "-c", clients.ToString(CultureInfo.InvariantCulture), "-j", "2",
                "-T", ((int)options.Duration.TotalSeconds).ToString(CultureInfo.InvariantCulture), "-f", script, builder.Database!,
            ], CancellationToken.None);
            var match = TpsPattern().Match(output);
            return match.Success
                ? (double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture), cpu.Stop())
                : throw new InvalidOperationException("pgbench said:\n" + output);
        }

        try
        {
            var spread = await RunAsync($"random(1, {products.Length})");
            _report.PgBenchCpu.Add(spread.Cpu);
            Log($"  spread: {spread.Tps:N0} tps");
            if (hotProduct is null)
            {
                return (spread.Tps, 0);
            }

            var hotRun = await RunAsync((products.Length + 1).ToString(CultureInfo.InvariantCulture));
            _report.PgBenchCpu.Add(hotRun.Cpu);
            Log($"  hot: {hotRun.Tps:N0} tps");
            return (spread.Tps, hotRun.Tps);
        }
        finally
        {
            File.Delete(script);
        }
    }

    /// <summary>100,000 licenses that expired at once: the worker against one raw set-based statement doing the same.</summary>
    private async Task RenewalAsync()
    {
        var (bFirst, bLast) = Fleet.RenewalHalfB;
        Log("Renewal: one raw set-based UPDATE … FROM over half B");
        var raw = Stopwatch.StartNew();
        var rawCount = await ScalarAsync($"""
            WITH due AS (
                SELECT d.id, d.account_id, d.product_id, d.expires_at, coalesce(d.last_data_center, 'cn-east') AS data_center
                FROM devices d
                WHERE d.product_id BETWEEN {bFirst} AND {bLast} AND d.expires_at <= now() AND d.lapsed_at IS NULL AND d.deleted_at IS NULL
            ),
            taken AS (
                UPDATE product_pools pp SET used = pp.used + g.n
                FROM (SELECT product_id, count(*) AS n FROM due GROUP BY product_id) g
                WHERE pp.product_id = g.product_id
            ),
            renewed AS (
                UPDATE devices d SET activated_at = due.expires_at, expires_at = due.expires_at + interval '12 months', activation_count = d.activation_count + 1
                FROM due WHERE d.id = due.id
            ),
            recorded AS (
                INSERT INTO activations (account_id, product_id, device_id, spec_code, activated_at, expires_at, kind, data_center, recorded_at)
                SELECT account_id, product_id, id, 'STD-1Y', expires_at, expires_at + interval '12 months', 'Renewal', data_center, now() FROM due
            )
            SELECT count(*) FROM due
            """);
        _report.RawRenewal = (rawCount, raw.Elapsed);
        Log($"  {rawCount:N0} renewed in {raw.Elapsed.TotalSeconds:0.00} s");

        // The raw statement's dirty pages written out first, so that the worker does not pay for them.
        await CheckpointAsync();
        Log("Renewal: the worker over half A");
        await using var scope = _services!.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<TenantContext>().ActForPlatform("worker");
        await ProfileStartAsync(_connectionString);
        var worker = Stopwatch.StartNew();
        var outcome = await RenewalJob(scope.ServiceProvider).RunAsync(CancellationToken.None);
        _report.WorkerRenewal = (outcome.Renewed, worker.Elapsed);
        await ProfileEndAsync(_connectionString, "the worker's renewals", outcome.Renewed + outcome.Lapsed);
        Log($"  {outcome.Renewed:N0} renewed, {outcome.Lapsed:N0} lapsed in {worker.Elapsed.TotalSeconds:0.00} s");
    }

    /// <summary>What a person waits for, with the fleet loaded: one client, sequential requests.</summary>
    private async Task PagesAsync(ConsoleProcess app)
    {
        Log("Pages: signing in");
        using var client = await SignedInClientAsync(app, TimeSpan.FromMinutes(2));

        using var api = new HttpClient { BaseAddress = app.BaseAddress };
        api.DefaultRequestHeaders.Add("X-Api-Key", _accountKey);

        var zone = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");
        string Day(DateTime utc) => TimeZoneInfo.ConvertTimeFromUtc(utc, zone).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var giant = Fleet.ProductKey(Fleet.GiantProduct);
        var activatedFrom = Day(_fleet.Now.AddMonths(-12));
        var activatedTo = Day(_fleet.Now.AddMonths(-6));
        var deepKey = Fleet.DeviceKey(Fleet.GiantProduct, _fleet.GiantDevices * 4 / 5);
        var pages = new (string Name, HttpClient Client, string Path)[]
        {
            ("summary (API)", api, "api/v1/summary"),
            ("dashboard", client, ""),
            ("device page, activation dates, first page", client, $"products/{giant}?ActivatedFrom={activatedFrom}&ActivatedTo={activatedTo}"),
            ("device page, activation dates, deep page", client, $"products/{giant}?ActivatedFrom={activatedFrom}&ActivatedTo={activatedTo}&After={deepKey}"),
            ("device page, no filter, deep page", client, $"products/{giant}?After={deepKey}"),
            ("expiring devices, first page", client, "devices/expiring"),
            ("expiring devices, expiry dates, page 100", client, $"devices/expiring?ExpiresFrom={Day(_fleet.Now.AddDays(7))}&ExpiresTo={Day(_fleet.Now.AddDays(21))}&Page=100"),
        };
        foreach (var (name, http, path) in pages)
        {
            var stats = await HttpLoad.GetSeriesAsync(name, http, path, warmup: 50, count: 100);
            _report.Pages.Add(stats);
            Log($"  {name}: p50 {stats.P50:0.0} ms, p95 {stats.P95:0.0} ms");
        }
    }

    /// <summary>
    /// The CSV export streaming 1,000,000 rows: an instance whose "expiring" threshold spans ten years, so the
    /// expiring-devices export holds every live device of the fleet.
    /// </summary>
    private async Task ExportAsync()
    {
        Log("Export: every device through the expiring-devices CSV export");
        var app = await StartAppAsync("export", new Dictionary<string, string> { ["Licensing__ExpiringThresholdDays"] = "3650" });
        using var client = await SignedInClientAsync(app, TimeSpan.FromMinutes(10));
        (await client.GetAsync("devices/expiring")).Dispose();

        // The first export of a fresh process also compiles its code paths (tiered JIT): timed apart, as the cold
        // run. Memory is watched across both.
        await using var memory = MemoryProbe.Start(app.ProcessId);
        var cold = await ExportOnceAsync(client);
        Log($"  cold: {cold.Rows:N0} rows in {cold.Elapsed.TotalSeconds:0.0} s");
        var warm = await ExportOnceAsync(client);
        _report.Export = (warm.Rows, warm.Elapsed, memory.StartMb, memory.PeakMb);
        _report.ColdExport = cold.Elapsed;
        Log($"  {warm.Rows:N0} rows in {warm.Elapsed.TotalSeconds:0.0} s; memory {memory.StartMb:0} → peak {memory.PeakMb:0} MB");
    }

    private static async Task<(long Rows, TimeSpan Elapsed)> ExportOnceAsync(HttpClient client)
    {
        var watch = Stopwatch.StartNew();
        using var response = await client.GetAsync("devices/expiring/export", HttpCompletionOption.ResponseHeadersRead);
        response.EnsureSuccessStatusCode();
        await using var stream = await response.Content.ReadAsStreamAsync();
        var buffer = new byte[64 * 1024];
        long lines = 0;
        int read;
        while ((read = await stream.ReadAsync(buffer)) > 0)
        {
            lines += buffer.AsSpan(0, read).Count((byte)'\n');
        }

        return (lines - 1, watch.Elapsed);
    }

    /// <summary>
    /// A client signed in as the fleet's owner that carries its cookies itself. The app runs in Production, where
    /// every cookie is Secure, and a CookieContainer sends no Secure cookie over the plain http of the loopback
    /// the bench uses; a browser would be on https.
    /// </summary>
    private static async Task<HttpClient> SignedInClientAsync(ConsoleProcess app, TimeSpan timeout)
    {
        var client = new HttpClient(new HttpClientHandler { UseCookies = false, AllowAutoRedirect = false }) { BaseAddress = app.BaseAddress, Timeout = timeout };
        var cookies = new Dictionary<string, string>();
        using var form = await client.GetAsync("account/sign-in");
        KeepCookies(form, cookies);
        var token = TokenPattern().Match(await form.Content.ReadAsStringAsync()).Groups[1].Value;
        using var request = new HttpRequestMessage(HttpMethod.Post, "account/sign-in")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["Email"] = OwnerEmail,
                ["Password"] = OwnerPassword,
                ["__RequestVerificationToken"] = token,
            }),
        };
        request.Headers.Add("Cookie", CookieHeader(cookies));
        using var response = await client.SendAsync(request);
        if (response.StatusCode != HttpStatusCode.Redirect)
        {
            client.Dispose();
            throw new InvalidOperationException($"Signing in answered {(int)response.StatusCode}.");
        }

        KeepCookies(response, cookies);
        client.DefaultRequestHeaders.Add("Cookie", CookieHeader(cookies));
        return client;
    }

    private static void KeepCookies(HttpResponseMessage response, Dictionary<string, string> cookies)
    {
        foreach (var setCookie in response.Headers.TryGetValues("Set-Cookie", out var values) ? values : [])
        {
            var pair = setCookie.Split(';', 2)[0].Split('=', 2);
            cookies[pair[0].Trim()] = pair.Length > 1 ? pair[1] : "";
        }
    }

    private static string CookieHeader(Dictionary<string, string> cookies) => string.Join("; ", cookies.Select(c => $"{c.Key}={c.Value}"));

    [GeneratedRegex(@"tps = ([0-9.]+) \(without initial connection time\)")]
    private static partial Regex TpsPattern();

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();
}
