using System.Globalization;
using LicenseConsole.Bench;

// dotnet run -c Release --project bench/LicenseConsole.Bench -- all [--profile] [--trace] [--runs 3] [--devices N] [--seconds S] [--fresh-seconds S] [--clients C] [--bulk-size N] [--bulk-clients C] [--app KEY=VALUE]... [--connection CS] [--output FILE]
// dotnet run -c Release --project bench/LicenseConsole.Bench -- seed --connection CS   (only the fleet, into a given database)
// dotnet run -c Release --project bench/LicenseConsole.Bench -- renewal [--profile] [--runs N]   (only the renewal comparison, each run on a new fleet)
if (args.Length == 0 || args[0] is not ("all" or "seed" or "fresh" or "renewal"))
{
    Console.Error.WriteLine("usage: LicenseConsole.Bench all|seed|fresh|renewal [--profile] [--trace] [--runs 3] [--devices 1000000] [--seconds 20] [--fresh-seconds 60] [--clients 32] [--bulk-size 250] [--bulk-clients 8] [--app Connections__Workers=2]... [--connection <PostgreSQL connection string>] [--output docs/benchmarks.md]");
    return 2;
}

string? Option(string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();
var options = new BenchOptions(
    Devices: int.Parse(Option("--devices") ?? "1000000", CultureInfo.InvariantCulture),
    Duration: TimeSpan.FromSeconds(int.Parse(Option("--seconds") ?? "20", CultureInfo.InvariantCulture)),
    Concurrency: int.Parse(Option("--clients") ?? "32", CultureInfo.InvariantCulture),
    ConnectionString: Option("--connection"),
    Output: Option("--output") ?? Path.Combine(LicenseConsole.TestSupport.AppPublisher.RepositoryRoot, "docs", "benchmarks.md"),
    Runs: int.Parse(Option("--runs") ?? "3", CultureInfo.InvariantCulture),
    FreshDuration: TimeSpan.FromSeconds(int.Parse(Option("--fresh-seconds") ?? "60", CultureInfo.InvariantCulture)),
    BulkSize: int.Parse(Option("--bulk-size") ?? "250", CultureInfo.InvariantCulture),
    BulkClients: int.Parse(Option("--bulk-clients") ?? "8", CultureInfo.InvariantCulture),
    Profile: args.Contains("--profile"),
    // Settings for the app under test (environment variable names), for experiments: --app Connections__Workers=2
    AppSettings: args.Zip(args.Skip(1)).Where(p => p.First == "--app").Select(p => p.Second.Split('=', 2)).ToDictionary(kv => kv[0], kv => kv[1]),
    FreshOnly: args[0] == "fresh",
    Trace: args.Contains("--trace"));

// The cluster and the app processes are ended however the run ends (an exception skips ProcessExit).
await using var bench = new Bench(options);
try
{
    return args[0] switch
    {
        "seed" => await bench.SeedOnlyAsync(),
        "renewal" => await bench.RenewalOnlyAsync(),
        _ => await bench.RunAsync(),
    };
}
catch (Exception e)
{
    Console.Error.WriteLine(e);
    return 1;
}
