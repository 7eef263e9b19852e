using LicenseConsole.Renewal;
using Microsoft.Extensions.Options;

namespace LicenseConsole.Web.Workers;

/// <summary>Renews expired licenses and raises resource alerts every <c>Renewal:Interval</c>.</summary>
public sealed class RenewalWorker(IServiceScopeFactory scopes, TimeProvider clock, IOptions<RenewalOptions> options, ILogger<RenewalWorker> logger)
    : RecurringWorker(scopes, clock, logger)
{
    protected override bool Enabled => options.Value.Enabled;

    protected override TimeSpan Interval => options.Value.Interval;

    protected override Task RunOnceAsync(IServiceProvider services, CancellationToken cancellationToken) =>
        services.GetRequiredService<WorkerCycle>().RunOnceAsync(cancellationToken);
}
