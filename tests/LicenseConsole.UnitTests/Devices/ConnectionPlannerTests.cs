using LicenseConsole.Common;
using LicenseConsole.Devices;
using LicenseConsole.Licensing;

namespace LicenseConsole.UnitTests.Devices;

public sealed class ConnectionPlannerTests
{
    private static readonly DateTime Now = new(2026, 6, 1, 12, 0, 0, DateTimeKind.Utc);
    private static readonly Guid Account = Guid.NewGuid();
    private static readonly ProductLedgerState Licensed = new(7, Account, "STD-1Y", 12, AutoRenew: true, Deleted: false);

    [Fact]
    public void Plan_UnknownProduct_RefusesWithoutWriting()
    {
        var plan = Plan(("nope", "d1", null));

        Assert.True(plan.Work.IsEmpty);
        Assert.Equal(ErrorCodes.ProductNotFound, Refusal(ConnectionPlanner.AnsweredByRead(plan)[0]));
    }

    [Fact]
    public void Plan_DeletedProduct_RefusesWithoutWriting()
    {
        var plan = Plan(("pk", "d1", new ConnectionState(Licensed with { Deleted = true }, null)));

        Assert.True(plan.Work.IsEmpty);
        Assert.Equal(ErrorCodes.ProductDeleted, Refusal(ConnectionPlanner.AnsweredByRead(plan)[0]));
    }

    [Fact]
    public void Plan_NewDevice_GrantsAFirstPeriodFromNowAndCreatesTheDeviceWithIt()
    {
        var plan = Plan(("pk", "d1", new ConnectionState(Licensed, null)));

        var grant = Assert.Single(plan.Work.Grants);
        Assert.Equal((null, 7L, "d1", "STD-1Y"), (grant.DeviceId, grant.ProductId, grant.DeviceKey, grant.SpecCode));
        Assert.Equal((Now, Now.AddMonths(12), ActivationKind.First), (grant.Start, grant.End, grant.Kind));
        Assert.True(grant.Connecting);
        Assert.Null(grant.LapseIfRefused);

        var answer = Settle(plan, Granted(GrantResult.Consumed))[0]!;
        Assert.Equal(new ConnectionOutcome(ConnectionResult.Activated, true, Now, Now.AddMonths(12)), answer.Outcome);
    }

    [Fact]
    public void Plan_NewDeviceOfAProductWithoutLicenses_CreatesItUnlicensedAndRefuses()
    {
        var plan = Plan(("pk", "d1", new ConnectionState(Licensed with { SpecCode = null, ValidityMonths = null }, null)));

        Assert.Null(Assert.Single(plan.Work.Grants).SpecCode);
        Assert.Equal(ErrorCodes.NoLicenseAvailable, Refusal(Settle(plan, Granted(GrantResult.NoLicense))[0]));
    }

    [Fact]
    public void Plan_ValidDeviceSeenLately_IsAnsweredByTheReadAlone()
    {
        var device = Device(expiresAt: Now.AddDays(40)) with { LastConnectedAt = Now.AddMinutes(-5) };
        var plan = Plan(("pk", "d1", new ConnectionState(Licensed, device)));

        Assert.True(plan.Work.IsEmpty);
        var outcome = ConnectionPlanner.AnsweredByRead(plan)[0]!.Outcome;
        Assert.Equal(new ConnectionOutcome(ConnectionResult.Valid, false, device.ActivatedAt!.Value, device.ExpiresAt!.Value), outcome);
    }

    [Theory]
    [InlineData("eu-west", 5)]
    [InlineData("cn-east", 90)]
    public void Plan_ValidDeviceSeenElsewhereOrLongAgo_RecordsTheSighting(string dataCenter, int minutesAgo)
    {
        var device = Device(expiresAt: Now.AddDays(40)) with { LastDataCenter = "cn-east", LastConnectedAt = Now.AddMinutes(-minutesAgo) };
        var plan = Plan(("pk", "d1", new ConnectionState(Licensed, device)), dataCenter);

        Assert.Equal(new DeviceSighting(device.Id, dataCenter), Assert.Single(plan.Work.Sightings));
        Assert.NotNull(ConnectionPlanner.AnsweredByRead(plan)[0]!.Outcome);
    }

    [Fact]
    public void Plan_DeletedDeviceWithinItsValidity_IsRestoredWithoutConsuming()
    {
        var device = Device(expiresAt: Now.AddDays(40)) with { DeletedAt = Now.AddDays(-1) };
        var plan = Plan(("pk", "d1", new ConnectionState(Licensed, device)));

        Assert.Equal(new DeviceRestore(device.Id, device.ActivationCount, "cn-east"), Assert.Single(plan.Work.Restores));
        Assert.Equal(ConnectionResult.Restored, Settle(plan, new LedgerResult([], [true], [], false))[0]!.Outcome!.Result);
        Assert.Null(Settle(plan, new LedgerResult([], [false], [], false))[0]);
    }

    [Fact]
    public void Plan_ExpiredWithAutoRenewInEffect_RenewsFromTheOldEndAndLapsesIfThePoolIsEmpty()
    {
        var expiry = Now.AddDays(-3);
        var plan = Plan(("pk", "d1", new ConnectionState(Licensed, Device(expiresAt: expiry))));

        var grant = Assert.Single(plan.Work.Grants);
        Assert.Equal((expiry, expiry.AddMonths(12), ActivationKind.Renewal), (grant.Start, grant.End, grant.Kind));
        Assert.Equal(LapseReason.NoLicense, grant.LapseIfRefused);
        Assert.Equal(ConnectionResult.Renewed, Settle(plan, Granted(GrantResult.Consumed))[0]!.Outcome!.Result);
        Assert.Equal(ErrorCodes.NoLicenseAvailable, Refusal(Settle(plan, Granted(GrantResult.NoLicense))[0]));
    }

    [Fact]
    public void Settle_RenewedPeriodThatIsOverToo_GoesRoundAgain()
    {
        var plan = Plan(("pk", "d1", new ConnectionState(Licensed, Device(expiresAt: Now.AddMonths(-13)))));

        Assert.Null(Settle(plan, Granted(GrantResult.Consumed))[0]);
    }

    [Fact]
    public void Plan_ExpiredWithAutoRenewOff_LapsesThenRefuses()
    {
        var device = Device(expiresAt: Now.AddDays(-3)) with { AutoRenew = false };
        var plan = Plan(("pk", "d1", new ConnectionState(Licensed, device)));

        Assert.Equal(new DeviceLapse(device.Id, device.ActivationCount, LapseReason.AutoRenewOff), Assert.Single(plan.Work.Lapses));
        Assert.Null(ConnectionPlanner.AnsweredByRead(plan)[0]);
        Assert.Equal(ErrorCodes.AutoRenewOff, Refusal(Settle(plan, new LedgerResult([], [], [true], false))[0]));
    }

    [Fact]
    public void Plan_LapsedWithAutoRenewOff_RefusesWithoutWriting()
    {
        var device = Device(expiresAt: Now.AddDays(-3)) with { LapsedAt = Now.AddDays(-3) };
        var plan = Plan(("pk", "d1", new ConnectionState(Licensed with { AutoRenew = false }, device)));

        Assert.True(plan.Work.IsEmpty);
        Assert.Equal(ErrorCodes.AutoRenewOff, Refusal(ConnectionPlanner.AnsweredByRead(plan)[0]));
    }

    [Fact]
    public void Plan_LapsedWithAutoRenewBackOn_ConsumesFromNow()
    {
        var device = Device(expiresAt: Now.AddDays(-30)) with { LapsedAt = Now.AddDays(-30) };
        var plan = Plan(("pk", "d1", new ConnectionState(Licensed, device)));

        var grant = Assert.Single(plan.Work.Grants);
        Assert.Equal((Now, ActivationKind.AfterLapse, (LapseReason?)null), (grant.Start, grant.Kind, grant.LapseIfRefused));
    }

    [Fact]
    public void Plan_DeviceRepeatedInTheBatch_TheRepeatIsAReconnection()
    {
        var state = new ConnectionState(Licensed, null);
        var plan = Plan(("pk", "d1", state), ("pk", "d2", state), ("pk", "d1", state));

        Assert.Equal(["d1", "d2"], plan.Work.Grants.Select(g => g.DeviceKey));
        var answers = Settle(plan, Granted(GrantResult.Consumed, GrantResult.Consumed));
        Assert.Equal(new ConnectionOutcome(ConnectionResult.Activated, true, Now, Now.AddMonths(12)), answers[0]!.Outcome);
        Assert.Equal(new ConnectionOutcome(ConnectionResult.Valid, false, Now, Now.AddMonths(12)), answers[2]!.Outcome);
    }

    [Fact]
    public void Plan_RefusedDeviceRepeatedInTheBatch_TheRepeatIsRefusedAlike()
    {
        var state = new ConnectionState(Licensed, null);
        var plan = Plan(("pk", "d1", state), ("pk", "d1", state));

        var answers = Settle(plan, Granted(GrantResult.NoLicense));
        Assert.Equal([ErrorCodes.NoLicenseAvailable, ErrorCodes.NoLicenseAvailable], answers.Select(Refusal));
    }

    [Fact]
    public void Settle_ChangedDevice_GoesRoundAgainAndTheRestIsAnswered()
    {
        var plan = Plan(("pk", "d1", new ConnectionState(Licensed, null)), ("pk", "d2", new ConnectionState(Licensed, Device(Now.AddDays(-1)))));

        var answers = Settle(plan, Granted(GrantResult.Consumed, GrantResult.Changed));
        Assert.NotNull(answers[0]);
        Assert.Null(answers[1]);
    }

    [Fact]
    public void Settle_Conflict_EveryWrittenConnectionGoesRoundAgainAndTheReadsStayAnswered()
    {
        var valid = Device(expiresAt: Now.AddDays(40)) with { LastConnectedAt = Now };
        var plan = Plan(("pk", "d1", new ConnectionState(Licensed, null)), ("pk", "d2", new ConnectionState(Licensed, valid)), ("pk", "d2", new ConnectionState(Licensed, valid)));

        var answers = Settle(plan, new LedgerResult([], [], [], Conflict: true));
        Assert.Null(answers[0]);
        Assert.Equal(ConnectionResult.Valid, answers[1]!.Outcome!.Result);
        Assert.Equal(ConnectionResult.Valid, answers[2]!.Outcome!.Result);
    }

    private static DeviceLedgerState Device(DateTime expiresAt) =>
        new(42, 3, expiresAt.AddMonths(-12), expiresAt, null, null, AutoRenew: true, "cn-east", Now.AddDays(-2));

    private static ConnectionPlan Plan(params (string ProductKey, string DeviceKey, ConnectionState? State)[] connections) => Plan(connections, "cn-east");

    private static ConnectionPlan Plan((string ProductKey, string DeviceKey, ConnectionState? State) connection, string dataCenter) => Plan([connection], dataCenter);

    private static ConnectionPlan Plan((string ProductKey, string DeviceKey, ConnectionState? State)[] connections, string dataCenter) =>
        ConnectionPlanner.Plan([.. connections.Select(c => new ConnectionRequest(c.ProductKey, c.DeviceKey, dataCenter))], [.. connections.Select(c => c.State)], Now);

    private static LedgerResult Granted(params GrantResult[] grants) => new(grants, [], [], false);

    private static ConnectionAnswer?[] Settle(ConnectionPlan plan, LedgerResult result) => ConnectionPlanner.Settle(plan, result, Now);

    private static string? Refusal(ConnectionAnswer? answer) => answer?.Refusal?.Code;
}
