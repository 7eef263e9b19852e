using System.Globalization;

namespace LicenseConsole.Bench;

/// <summary>Where the machine's CPU went during a measured load, as shares of all its cores.</summary>
public sealed record CpuShares(double App, double Postgres, double Generator, double Busy);

/// <summary>
/// Reads the CPU time of the app, PostgreSQL's processes and this process (the load generator) from /proc
/// before and after a load: the figures that say what a two-core machine spent its time on.
/// </summary>
public sealed class CpuProbe
{
    private readonly int _appPid;
    private readonly (long App, long Postgres, long Generator, long Busy, long All) _start;

    private CpuProbe(int appPid)
    {
        _appPid = appPid;
        _start = Sample();
    }

    public static CpuProbe Start(int appPid) => new(appPid);

    public CpuShares Stop()
    {
        var end = Sample();
        double all = Math.Max(1, end.All - _start.All);
        return new CpuShares((end.App - _start.App) / all, (end.Postgres - _start.Postgres) / all, (end.Generator - _start.Generator) / all, (end.Busy - _start.Busy) / all);
    }

    private (long App, long Postgres, long Generator, long Busy, long All) Sample()
    {
        long app = 0, postgres = 0, generator = 0;
        var self = Environment.ProcessId;
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }

            string stat;
            try
            {
                stat = File.ReadAllText(Path.Combine(directory, "stat"));
            }
            catch (IOException)
            {
                continue;
            }
            catch (UnauthorizedAccessException)
            {
                continue;
            }

            // pid (comm) state ppid … utime stime: the fields after the command name, which may hold spaces.
            var close = stat.LastIndexOf(')');
            var command = stat[(stat.IndexOf('(') + 1)..close];
            var fields = stat[(close + 2)..].Split(' ');
            var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
            var children = long.Parse(fields[13], CultureInfo.InvariantCulture) + long.Parse(fields[14], CultureInfo.InvariantCulture);
            if (pid == _appPid)
            {
                app += ticks;
            }
            else if (pid == self)
            {
                // The benchmark's own time and its finished children's (wrk runs as one for each load).
                generator += ticks + children;
            }
            else if (command.StartsWith("postgres", StringComparison.Ordinal))
            {
                // A backend that ended during the load (a pool trimming its connections) took its time with it, but
                // the postmaster that reaped it counts it among its children's.
                postgres += ticks + children;
            }
        }

        // The first line of /proc/stat: user nice system idle iowait irq softirq steal, in the same ticks.
        var cpu = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Take(8)
            .Select(v => long.Parse(v, CultureInfo.InvariantCulture)).ToArray();
        var all = cpu.Sum();
        return (app, postgres, generator, all - cpu[3] - cpu[4], all);
    }
}
