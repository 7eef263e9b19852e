using LicenseConsole.Devices;
using LicenseConsole.Licensing;
using LicenseConsole.Renewal;

namespace LicenseConsole.UnitTests.Renewal;

public sealed class RenewalPlannerTests
{
    private static readonly DateTime Expiry = new(2026, 1, 31, 8, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void Plan_AutoRenewInEffect_RenewsFromTheOldEndAndLapsesIfThePoolIsEmpty()
    {
        var work = RenewalPlanner.Plan([Due(1)]);

        var grant = Assert.Single(work.Grants);
        Assert.Equal((1L, 3, 7L), (grant.DeviceId!.Value, grant.SeenActivationCount, grant.ProductId));
        Assert.Equal((Expiry, new DateTime(2027, 1, 31, 8, 0, 0, DateTimeKind.Utc), ActivationKind.Renewal), (grant.Start, grant.End, grant.Kind));
        Assert.False(grant.Connecting);
        Assert.Equal(LapseReason.NoLicense, grant.LapseIfRefused);
        Assert.Empty(work.Lapses);
    }

    [Theory]
    [InlineData(false, true)]
    [InlineData(true, false)]
    public void Plan_AutoRenewOffForProductOrDevice_Lapses(bool productAutoRenew, bool deviceAutoRenew)
    {
        var work = RenewalPlanner.Plan([Due(1) with { ProductAutoRenew = productAutoRenew, DeviceAutoRenew = deviceAutoRenew }]);

        Assert.Empty(work.Grants);
        Assert.Equal(new DeviceLapse(1, 3, LapseReason.AutoRenewOff), Assert.Single(work.Lapses));
    }

    [Fact]
    public void Plan_OldestFirst_KeepsTheQueuesOrderForThePool()
    {
        var work = RenewalPlanner.Plan([Due(5), Due(2), Due(9)]);

        Assert.Equal([5L, 2L, 9L], work.Grants.Select(g => g.DeviceId!.Value));
    }

    private static DueRenewal Due(long deviceId) =>
        new(deviceId, Guid.Empty, 7, 3, Expiry, "cn-east", "STD-1Y", 12, DeviceAutoRenew: true, ProductAutoRenew: true);
}
