using LicenseConsole.Devices;

namespace LicenseConsole.UnitTests.Devices;

public sealed class DeviceStatusesTests
{
    private static readonly DateTime Now = new(2026, 6, 1, 0, 0, 0, DateTimeKind.Utc);
    private static readonly DateTime Horizon = Now.AddDays(30);

    [Theory]
    [InlineData(null, false, false, DeviceStatus.Inactive)]
    [InlineData(31.0, false, false, DeviceStatus.Valid)]
    [InlineData(30.0, false, false, DeviceStatus.Expiring)]
    [InlineData(0.5, false, false, DeviceStatus.Expiring)]
    [InlineData(0.0, false, false, DeviceStatus.Expired)]
    [InlineData(-3.0, true, false, DeviceStatus.Lapsed)]
    [InlineData(100.0, false, true, DeviceStatus.Deleted)]
    public void Of_DaysLeft_MapsToTheStatusTheConsoleShows(double? daysLeft, bool lapsed, bool deleted, DeviceStatus expected)
    {
        DateTime? expires = daysLeft is { } d ? Now.AddDays(d) : null;

        var status = DeviceStatuses.Of(expires, lapsed ? expires : null, deleted ? Now : null, Now, Horizon);

        Assert.Equal(expected, status);
        Assert.Equal(expected.ToString().ToLowerInvariant(), status.ToApi());
    }
}
