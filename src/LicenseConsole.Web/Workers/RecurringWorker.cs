using LicenseConsole.Accounts;

namespace LicenseConsole.Web.Workers;

/// <summary>
/// Runs a piece of work now and then every interval, each time in a fresh DI scope acting for the platform.
/// A failing turn is logged and the next one runs as planned: an unhandled exception would stop the host.
/// </summary>
public abstract partial class RecurringWorker(IServiceScopeFactory scopes, TimeProvider clock, ILogger logger) : BackgroundService
{
    protected abstract bool Enabled { get; }

    protected abstract TimeSpan Interval { get; }

    protected abstract Task RunOnceAsync(IServiceProvider services, CancellationToken cancellationToken);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!Enabled)
        {
            return;
        }

        using var timer = new PeriodicTimer(Interval, clock);
        do
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                scope.ServiceProvider.GetRequiredService<TenantContext>().ActForPlatform("worker");
                await RunOnceAsync(scope.ServiceProvider, stoppingToken);
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                LogTurnFailed(logger, e, GetType().Name);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "{Worker} failed this turn; it runs again at the next interval")]
    private static partial void LogTurnFailed(ILogger logger, Exception exception, string worker);
}
