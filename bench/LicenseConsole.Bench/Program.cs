using System.Globalization;
using LicenseConsole.Bench;

// dotnet run -c Release --project bench/LicenseConsole.Bench -- all [--devices N] [--seconds S] [--clients C] [--connection CS] [--output FILE]
// dotnet run -c Release --project bench/LicenseConsole.Bench -- seed --connection CS   (only the fleet, into a given database)
if (args.Length == 0 || args[0] is not ("all" or "seed"))
{
    Console.Error.WriteLine("usage: LicenseConsole.Bench all|seed [--devices 1000000] [--seconds 20] [--clients 32] [--connection <PostgreSQL connection string>] [--output docs/benchmarks.md]");
    return 2;
}

string? Option(string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();
var options = new BenchOptions(
    Devices: int.Parse(Option("--devices") ?? "1000000", CultureInfo.InvariantCulture),
    Duration: TimeSpan.FromSeconds(int.Parse(Option("--seconds") ?? "20", CultureInfo.InvariantCulture)),
    Concurrency: int.Parse(Option("--clients") ?? "32", CultureInfo.InvariantCulture),
    ConnectionString: Option("--connection"),
    Output: Option("--output") ?? Path.Combine(LicenseConsole.TestSupport.AppPublisher.RepositoryRoot, "docs", "benchmarks.md"));

// The cluster and the app processes are ended however the run ends (an exception skips ProcessExit).
await using var bench = new Bench(options);
try
{
    return args[0] == "seed" ? await bench.SeedOnlyAsync() : await bench.RunAsync();
}
catch (Exception e)
{
    Console.Error.WriteLine(e);
    return 1;
}
