namespace LicenseConsole.Renewal;

/// <summary>One run of the background worker, for the dashboard and for operators.</summary>
public sealed class WorkerRun
{
    public long Id { get; init; }

    /// <summary>Which app instance ran it (machine and process).</summary>
    public required string Instance { get; init; }

    public DateTime StartedAt { get; init; }
    public DateTime? FinishedAt { get; set; }
    public int Renewed { get; set; }
    public int Lapsed { get; set; }
    public int AlertsRaised { get; set; }
    public int EmailsSent { get; set; }
    public int EmailsFailed { get; set; }
    public string? Error { get; set; }
}
