using System.Globalization;
using System.Text;

namespace LicenseConsole.Bench;

/// <summary>The figures of one whole run, checked against the targets; several runs make the Markdown report.</summary>
public sealed class Report(int run)
{
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(10);

    public int Run { get; } = run;

    /// <summary>Single connections on the seeded fleet: spread, hot, reconnections.</summary>
    public List<Stats> Connect { get; } = [];

    /// <summary>Where the CPU went during each connect load, in the order of <see cref="Connect"/>.</summary>
    public List<CpuShares> ConnectCpu { get; } = [];

    /// <summary>The same three loads through the bulk call.</summary>
    public List<Stats> Bulk { get; } = [];
    public List<CpuShares> BulkCpu { get; } = [];

    /// <summary>The machine's busy share during each pgbench run (fresh spread, seeded spread, seeded hot).</summary>
    public List<CpuShares> PgBenchCpu { get; } = [];

    public Stats? Fresh { get; set; }
    public CpuShares? FreshCpu { get; set; }
    public double PgBenchFresh { get; set; }
    public long FreshScans { get; set; }
    public long FreshDevices { get; set; }

    public List<Stats> Pages { get; } = [];

    /// <summary>The app's CPU samples per load (with --trace).</summary>
    public List<AppProfile> AppProfiles { get; } = [];

    /// <summary>The database's costliest statements per load (with --profile).</summary>
    public List<(string Load, IReadOnlyList<StatementCost> Costs)> Profiles { get; } = [];
    public List<(string When, int Breaches)> LedgerChecks { get; } = [];
    public double ConnectPeakMb { get; set; }
    public long Oversold { get; set; }
    public double PgBenchSpread { get; set; }
    public double PgBenchHot { get; set; }
    public (long Count, TimeSpan Elapsed) RawRenewal { get; set; }
    public (long Count, TimeSpan Elapsed) WorkerRenewal { get; set; }
    public (long Rows, TimeSpan Elapsed, double StartMb, double PeakMb) Export { get; set; }

    /// <summary>The same export in a process that had not run it before.</summary>
    public TimeSpan ColdExport { get; set; }
    public TimeSpan SeedTime { get; set; }
    public TimeSpan Duration { get; set; }

    private Stats Spread => Connect[0];
    private Stats Hot => Connect[1];
    private Stats Reconnect => Connect[2];

    public double SpreadRatio => Spread.PerSecond / PgBenchSpread;
    public double FreshRatio => Fresh is null ? double.NaN : Fresh.PerSecond / PgBenchFresh;
    public double FreshLastToFirst => Fresh is null ? double.NaN : FreshWindows[^1] / FreshWindows[0];
    public double HotRatio => Hot.PerSecond / PgBenchHot;
    public double ReconnectRatio => Reconnect.PerSecond / Spread.PerSecond;
    public double BulkSpreadRatio => Bulk[0].PerSecond / PgBenchSpread;
    public double BulkHotRatio => Bulk[1].PerSecond / PgBenchHot;
    public double BulkReconnectRatio => Bulk[2].PerSecond / Bulk[0].PerSecond;
    public double RenewalRatio => WorkerRenewal.Elapsed.TotalSeconds / RawRenewal.Elapsed.TotalSeconds;
    public IReadOnlyList<double> FreshWindows => Fresh!.Windows;

    /// <summary>The targets one run can meet on its own (the ratios are judged over all runs, see <see cref="ToMarkdown"/>).</summary>
    private IEnumerable<(string Target, bool Met, string Measured)> RunTargets()
    {
        foreach (var page in Pages)
        {
            var limit = page.Name.StartsWith("summary", StringComparison.Ordinal) || page.Name == "dashboard" ? 50 : 100;
            yield return (F($"{page.Name}: p95 ≤ {limit} ms"), page.P95 <= limit, F($"p95 {page.P95:0.0} ms"));
        }

        var rowsPerSecond = Export.Rows / Export.Elapsed.TotalSeconds;
        yield return ("CSV export ≥ 100,000 rows/s", rowsPerSecond >= 100_000, F($"{rowsPerSecond:N0} rows/s ({Export.Rows:N0} rows)"));
        yield return ("CSV export memory growth < 100 MB", Export.PeakMb - Export.StartMb < 100, F($"+{Export.PeakMb - Export.StartMb:0} MB"));
        yield return ("App memory under the connect loads ≤ 400 MB", ConnectPeakMb <= 400, F($"peak {ConnectPeakMb:0} MB"));
        yield return ("No oversell, ledger clean after every scenario", Oversold == 0 && LedgerChecks.All(c => c.Breaches == 0),
            F($"{Oversold} pools over their total; breaches: {string.Join(", ", LedgerChecks.Select(c => $"{c.Breaches} {c.When}"))}"));
    }

    public bool AllTargetsMet => RunTargets().All(t => t.Met);

    /// <summary>Every run's ratios with their minimum, median and maximum, the targets judged on them, and the last run's details.</summary>
    public static string ToMarkdown(IReadOnlyList<Report> runs, BenchOptions options, Fleet fleet, string machine, TimeSpan duration)
    {
        var last = runs[^1];
        var text = new StringBuilder();
        text.AppendLine("# Benchmarks");
        text.AppendLine();
        text.AppendLine(F($"Run on {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC by `dotnet run -c Release --project bench/LicenseConsole.Bench -- all` ({runs.Count} whole runs, {duration:hh\\:mm\\:ss} in all)."));
        text.AppendLine();
        text.AppendLine(F($"- Machine: {machine}; the app, PostgreSQL 15 (durable: fsync and synchronous commit on), the load generator and pgbench share it."));
        text.AppendLine(F($"- Fresh database: migrated by the app at its start, nothing seeded and no ANALYZE run by the benchmark; {FreshProducts} products with licenses to spare, set up through the API; {options.FreshDuration.TotalSeconds:0} s of first activations spread over them (after a warm-up of one second on a product of its own), reported per {Window.TotalSeconds:0} s window; pgbench's same transaction on that database afterwards."));
        text.AppendLine(F($"- Seeded fleet: {Fleet.ProductCount:N0} products, {fleet.Devices:N0} devices ({fleet.GiantDevices:N0} in one product), {fleet.Devices * Fleet.PeriodsPerDevice:N0} activations over three years; seeded with binary COPY (then VACUUM ANALYZE) in {last.SeedTime:mm\\:ss}."));
        text.AppendLine(F($"- Load: {options.Concurrency} concurrent clients for single connections, {options.BulkClients} for the bulk call ({options.BulkSize} connections per call), {options.Duration.TotalSeconds:0} s per scenario, the app published in Release and run as a process (Production environment, log level Warning); pgbench with {options.Concurrency} clients, prepared statements."));
        text.AppendLine("- Each run starts on new databases; figures are of one run each, and the machine's own speed moves between runs: ratios are taken within a run, where the app and pgbench met the same machine.");
        text.AppendLine();

        text.AppendLine("## Targets over all runs");
        text.AppendLine();
        text.AppendLine("| target | met | min | median | max | per run |");
        text.AppendLine("|---|---|---:|---:|---:|---|");
        void Ratio(string target, Func<Report, double> value, Func<double, double, bool> met, string format)
        {
            var values = runs.Select(value).ToList();
            var sorted = values.Order().ToList();
            var median = sorted[sorted.Count / 2];
            text.AppendLine(F($"| {target} | {(met(median, sorted[0]) ? "yes" : "**no**")} | {sorted[0].ToString(format, CultureInfo.InvariantCulture)} | {median.ToString(format, CultureInfo.InvariantCulture)} | {sorted[^1].ToString(format, CultureInfo.InvariantCulture)} | {string.Join(" · ", values.Select(v => v.ToString(format, CultureInfo.InvariantCulture)))} |"));
        }

        Ratio("Spread first activations ≥ 60 % of pgbench (median; no run under 50 %), seeded fleet", r => r.SpreadRatio, (m, min) => m >= 0.6 && min >= 0.5, "P0");
        Ratio("Spread first activations ≥ 60 % of pgbench (median; no run under 50 %), fresh growing database", r => r.FreshRatio, (m, min) => m >= 0.6 && min >= 0.5, "P0");
        Ratio("Fresh database: last 10 s window within 20 % of the first", r => r.FreshLastToFirst, (m, min) => min >= 0.8, "P0");
        Ratio("Bulk call: first activations ≥ 1.5× pgbench", r => r.BulkSpreadRatio, (m, _) => m >= 1.5, "0.00×");
        Ratio("Hot pool ≥ 3× pgbench on one pool row (single connections)", r => r.HotRatio, (m, _) => m >= 3, "0.00×");
        Ratio("Hot pool ≥ 3× pgbench on one pool row (bulk call)", r => r.BulkHotRatio, (m, _) => m >= 3, "0.00×");
        Ratio("Reconnections ≥ 2× first activations (single connections)", r => r.ReconnectRatio, (m, _) => m >= 2, "0.00×");
        Ratio("Reconnections ≥ 2× first activations (bulk call)", r => r.BulkReconnectRatio, (m, _) => m >= 2, "0.00×");
        Ratio("Renewal of 100,000 within 1.15× the raw statement (the previous report's ratio)", r => r.RenewalRatio, (m, _) => m <= 1.15, "0.00×");
        foreach (var (target, _, _) in last.RunTargets())
        {
            var results = runs.Select(r => r.RunTargets().First(t => t.Target == target)).ToList();
            text.AppendLine(F($"| {target} | {(results.All(t => t.Met) ? "yes" : "**no**")} | | | | {string.Join(" · ", results.Select(t => t.Measured))} |"));
        }

        text.AppendLine();
        text.AppendLine("## Device connections, every run");
        text.AppendLine();
        text.AppendLine("| run | fresh: connections/s | pgbench | per 10 s window | seeded spread | pgbench | hot | pgbench, one row | reconnections | bulk spread | bulk hot | bulk reconnections |");
        text.AppendLine("|---:|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var r in runs)
        {
            text.AppendLine(F($"| {r.Run} | {r.Fresh?.PerSecond:N0} | {r.PgBenchFresh:N0} | {(r.Fresh is null ? "" : string.Join(", ", r.FreshWindows.Select(w => w.ToString("N0", CultureInfo.InvariantCulture))))} | {r.Spread.PerSecond:N0} | {r.PgBenchSpread:N0} | {r.Hot.PerSecond:N0} | {r.PgBenchHot:N0} | {r.Reconnect.PerSecond:N0} | {r.Bulk[0].PerSecond:N0} | {r.Bulk[1].PerSecond:N0} | {r.Bulk[2].PerSecond:N0} |"));
        }

        text.AppendLine();
        text.AppendLine(F($"## The last run (run {last.Run}) in detail"));
        text.AppendLine();
        text.AppendLine("| scenario | connections/s | p50 ms | p95 ms | p99 ms | requests | errors | CPU busy | app | PostgreSQL | load generator |");
        text.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        void Row(string prefix, Stats s, CpuShares c) =>
            text.AppendLine(F($"| {prefix}{s.Name} | {s.PerSecond:N0} | {s.P50:0.0} | {s.P95:0.0} | {s.P99:0.0} | {s.Count:N0} | {s.Errors:N0} | {c.Busy:P0} | {c.App:P0} | {c.Postgres:P0} | {c.Generator:P0} |"));
        if (last.Fresh is not null)
        {
            Row("", last.Fresh, last.FreshCpu!);
        }

        for (var i = 0; i < last.Connect.Count; i++)
        {
            Row("", last.Connect[i], last.ConnectCpu[i]);
        }

        for (var i = 0; i < last.Bulk.Count; i++)
        {
            Row("bulk call: ", last.Bulk[i], last.BulkCpu[i]);
        }

        var pg = last.PgBenchCpu;
        text.AppendLine(F($"| pgbench, same transaction, spread, fresh database | {last.PgBenchFresh:N0} tps | | | | | | {pg[0].Busy:P0} | | | |"));
        text.AppendLine(F($"| pgbench, same transaction, spread, seeded fleet | {last.PgBenchSpread:N0} tps | | | | | | {pg[^2].Busy:P0} | | | |"));
        text.AppendLine(F($"| pgbench, same transaction, one pool row | {last.PgBenchHot:N0} tps | | | | | | {pg[^1].Busy:P0} | | | |"));
        text.AppendLine();
        text.AppendLine("CPU columns: shares of both cores over the load, read from /proc (PostgreSQL: all its processes; the load generator: wrk and the benchmark's own process). A bulk call's latency is that of the whole call.");
        text.AppendLine();
        if (last.Fresh is not null)
        {
            text.AppendLine(F($"Fresh database after its load: {last.FreshDevices:N0} devices; sequential scans of devices, activations and product pools during the whole scenario: {last.FreshScans:N0}."));
            text.AppendLine();
        }

        text.AppendLine(F($"App memory (resident) peak during the connect loads: {last.ConnectPeakMb:0} MB. Pools over their total afterwards: {last.Oversold}."));
        text.AppendLine();
        foreach (var (load, costs) in last.Profiles)
        {
            text.AppendLine(F($"Database profile of '{load}' (pg_stat_statements):"));
            text.AppendLine();
            text.AppendLine("| µs per connection | calls | mean ms | planning, mean ms | rows | WAL records | statement |");
            text.AppendLine("|---:|---:|---:|---:|---:|---:|---|");
            foreach (var c in costs)
            {
                text.AppendLine(F($"| {c.PerUnitUs:0.0} | {c.Calls:N0} | {c.MeanMs:0.000} | {c.PlanMeanMs:0.000} | {c.Rows:N0} | {c.WalRecords:N0} | `{c.Statement.Replace("|", "\\|", StringComparison.Ordinal)}` |"));
            }

            text.AppendLine();
        }

        foreach (var profile in last.AppProfiles)
        {
            text.AppendLine(F($"App profile of '{profile.Load}' (perf, CPU samples of the app's process: by function alone, then with what it called):"));
            text.AppendLine();
            text.AppendLine("```");
            text.AppendLine(profile.Exclusive);
            text.AppendLine();
            text.AppendLine(profile.Inclusive);
            text.AppendLine("```");
            text.AppendLine();
        }

        text.AppendLine("### Pages (one client, 100 sequential requests each, after 50 to warm up: the tiered JIT compiles a path fully after about 30 calls)");
        text.AppendLine();
        text.AppendLine("| page | p50 ms | p95 ms |");
        text.AppendLine("|---|---:|---:|");
        foreach (var p in last.Pages)
        {
            text.AppendLine(F($"| {p.Name} | {p.P50:0.0} | {p.P95:0.0} |"));
        }

        text.AppendLine();
        text.AppendLine(F($"CSV export of {last.Export.Rows:N0} rows: {last.Export.Elapsed.TotalSeconds:0.0} s ({last.Export.Rows / last.Export.Elapsed.TotalSeconds:N0} rows/s); app memory {last.Export.StartMb:0} MB before, {last.Export.PeakMb:0} MB at its peak. The first export of the freshly started instance (code still being compiled) took {last.ColdExport.TotalSeconds:0.0} s; the figures above are the second."));
        text.AppendLine();
        text.AppendLine("### Renewal of 100,000 licenses that expired at once");
        text.AppendLine();
        text.AppendLine("| how | licenses | seconds |");
        text.AppendLine("|---|---:|---:|");
        text.AppendLine(F($"| one raw set-based `UPDATE … FROM` | {last.RawRenewal.Count:N0} | {last.RawRenewal.Elapsed.TotalSeconds:0.00} |"));
        text.AppendLine(F($"| the worker (`RenewalJob`) | {last.WorkerRenewal.Count:N0} | {last.WorkerRenewal.Elapsed.TotalSeconds:0.00} |"));
        text.AppendLine();
        text.AppendLine("### Ledger");
        text.AppendLine();
        foreach (var (when, breaches) in last.LedgerChecks)
        {
            text.AppendLine(F($"- {when}: {breaches} breach(es)"));
        }

        text.AppendLine();
        text.AppendLine("Where the time goes, what each index costs and what was tried: [benchmarks-analysis.md](benchmarks-analysis.md).");

        return text.ToString();
    }

    private static string F(FormattableString value) => value.ToString(CultureInfo.InvariantCulture);

    private const int FreshProducts = Bench.FreshProducts;
}
