using LicenseConsole.Devices;

namespace LicenseConsole.UnitTests.Devices;

public sealed class ConnectionRulesTests
{
    private static readonly DateTime Now = new(2026, 6, 1, 12, 0, 0, DateTimeKind.Utc);
    private static readonly DateTime Later = Now.AddDays(10);
    private static readonly DateTime Earlier = Now.AddDays(-10);

    [Fact]
    public void Decide_NeverActivated_ConsumesAFirstLicense() =>
        Assert.Equal(ConnectionStep.ConsumeFirst, ConnectionRules.Decide(new(null, null, null, true), true, Now));

    [Fact]
    public void Decide_ValidLicense_ConsumesNothing() =>
        Assert.Equal(ConnectionStep.Valid, ConnectionRules.Decide(new(Later, null, null, true), true, Now));

    [Fact]
    public void Decide_ValidLicenseWithAutoRenewOff_StillConnects() =>
        Assert.Equal(ConnectionStep.Valid, ConnectionRules.Decide(new(Later, null, null, false), false, Now));

    [Fact]
    public void Decide_LicenseEndingThisVeryInstant_IsExpired() =>
        Assert.Equal(ConnectionStep.ConsumeRenewal, ConnectionRules.Decide(new(Now, null, null, true), true, Now));

    [Fact]
    public void Decide_ExpiredWithAutoRenewInEffect_RenewsFromTheOldEnd() =>
        Assert.Equal(ConnectionStep.ConsumeRenewal, ConnectionRules.Decide(new(Earlier, null, null, true), true, Now));

    [Theory]
    [InlineData(false, true)]
    [InlineData(true, false)]
    [InlineData(false, false)]
    public void Decide_ExpiredWithAutoRenewOffForProductOrDevice_IsRefused(bool productAutoRenew, bool deviceAutoRenew) =>
        Assert.Equal(ConnectionStep.RefuseAutoRenewOff, ConnectionRules.Decide(new(Earlier, null, null, deviceAutoRenew), productAutoRenew, Now));

    [Fact]
    public void Decide_LapsedAndAutoRenewBackOn_ConsumesFromNow() =>
        Assert.Equal(ConnectionStep.ConsumeAfterLapse, ConnectionRules.Decide(new(Earlier, Earlier, null, true), true, Now));

    [Fact]
    public void Decide_DeletedWithinValidity_IsRestored() =>
        Assert.Equal(ConnectionStep.Restore, ConnectionRules.Decide(new(Later, null, Earlier, true), true, Now));

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Decide_DeletedAfterValidity_IsAFirstConnectionWhateverAutoRenew(bool autoRenew) =>
        Assert.Equal(ConnectionStep.ConsumeFirst, ConnectionRules.Decide(new(Earlier, null, Earlier, autoRenew), autoRenew, Now));

    [Fact]
    public void KindOf_ConsumingSteps_NameTheirActivationKind()
    {
        Assert.Equal(ActivationKind.First, ConnectionRules.KindOf(ConnectionStep.ConsumeFirst));
        Assert.Equal(ActivationKind.Renewal, ConnectionRules.KindOf(ConnectionStep.ConsumeRenewal));
        Assert.Equal(ActivationKind.AfterLapse, ConnectionRules.KindOf(ConnectionStep.ConsumeAfterLapse));
        Assert.Throws<ArgumentOutOfRangeException>(() => ConnectionRules.KindOf(ConnectionStep.Valid));
    }
}
