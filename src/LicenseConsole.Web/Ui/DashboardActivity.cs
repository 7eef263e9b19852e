using LicenseConsole.Common;
using LicenseConsole.Licensing;
using LicenseConsole.Renewal;

namespace LicenseConsole.Web.Ui;

/// <summary>The dashboard's "what happened lately": the newest allocations and the worker's status.</summary>
public sealed class DashboardActivity(AllocationService allocations, WorkerStatusService worker)
{
    public async Task<(IReadOnlyList<AllocationRecord> Recent, WorkerStatus Worker)> ReadAsync(CancellationToken cancellationToken)
    {
        var recent = await allocations.ListAsync(null, PageRequest.From(1, 5), cancellationToken);
        return (recent.Items, await worker.GetAsync(cancellationToken));
    }
}
