using LicenseConsole.Common;
using LicenseConsole.IntegrationTests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace LicenseConsole.IntegrationTests.Web;

public sealed class ClockOffsetTests(PostgresDatabase database) : IClassFixture<PostgresDatabase>
{
    private static readonly Dictionary<string, string?> Offset = new() { ["Clock:Offset"] = "400.00:00:00" };

    [Fact]
    public async Task ClockOffset_InTheTestingEnvironment_MovesTheAppsClockForward()
    {
        await using var app = new ConsoleAppFactory(database, Offset);

        var clock = app.Services.GetRequiredService<TimeProvider>();

        var offset = Assert.IsType<OffsetTimeProvider>(clock);
        Assert.Equal(TimeSpan.FromDays(400), offset.Offset);
        Assert.InRange(clock.GetUtcNow() - DateTimeOffset.UtcNow, TimeSpan.FromDays(399), TimeSpan.FromDays(401));
    }

    [Fact]
    public async Task ClockOffset_InProduction_IsIgnored()
    {
        await using var app = new ConsoleAppFactory(database, Offset, "Production");

        Assert.Same(TimeProvider.System, app.Services.GetRequiredService<TimeProvider>());
    }
}
