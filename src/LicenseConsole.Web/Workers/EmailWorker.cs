using LicenseConsole.Email;
using LicenseConsole.Renewal;
using Microsoft.Extensions.Options;

namespace LicenseConsole.Web.Workers;

/// <summary>Drains the email outbox every <c>Email:DispatchInterval</c> (runs where the renewal worker runs).</summary>
public sealed class EmailWorker(
    IServiceScopeFactory scopes, TimeProvider clock, IOptions<RenewalOptions> renewal, IOptions<EmailOptions> options, ILogger<EmailWorker> logger)
    : RecurringWorker(scopes, clock, logger)
{
    protected override bool Enabled => renewal.Value.Enabled;

    protected override TimeSpan Interval => options.Value.DispatchInterval;

    protected override Task RunOnceAsync(IServiceProvider services, CancellationToken cancellationToken) =>
        services.GetRequiredService<OutboxDispatcher>().DispatchAsync(cancellationToken);
}
