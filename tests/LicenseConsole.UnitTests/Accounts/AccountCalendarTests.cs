using LicenseConsole.Accounts;
using LicenseConsole.Common;

namespace LicenseConsole.UnitTests.Accounts;

public sealed class AccountCalendarTests
{
    private static readonly TimeZoneInfo Shanghai = AccountCalendar.Find("Asia/Shanghai");

    [Fact]
    public void Range_OneDayInShanghai_RunsFromItsLocalMidnightToTheNext()
    {
        var day = new DateOnly(2026, 3, 1);

        var range = AccountCalendar.Range(day, day, Shanghai, "to");

        Assert.Equal(new DateTime(2026, 2, 28, 16, 0, 0, DateTimeKind.Utc), range.From);
        Assert.Equal(new DateTime(2026, 3, 1, 16, 0, 0, DateTimeKind.Utc), range.Until);
        Assert.True(range.Contains(new DateTime(2026, 2, 28, 16, 30, 0, DateTimeKind.Utc)));
        Assert.False(range.Contains(new DateTime(2026, 3, 1, 16, 0, 0, DateTimeKind.Utc)));
    }

    [Fact]
    public void Range_AcrossADaylightSavingChange_UsesEachDaysOwnOffset()
    {
        var berlin = AccountCalendar.Find("Europe/Berlin");

        var range = AccountCalendar.Range(new DateOnly(2026, 3, 29), new DateOnly(2026, 3, 29), berlin, "to");

        Assert.Equal(new DateTime(2026, 3, 28, 23, 0, 0, DateTimeKind.Utc), range.From);
        Assert.Equal(new DateTime(2026, 3, 29, 22, 0, 0, DateTimeKind.Utc), range.Until);
    }

    [Fact]
    public void Range_OpenEnds_AreNull()
    {
        var range = AccountCalendar.Range(null, null, Shanghai, "to");

        Assert.Equal(new UtcRange(null, null), range);
        Assert.True(range.Contains(DateTime.UtcNow));
        Assert.False(range.Contains(null));
    }

    [Fact]
    public void Range_EndBeforeStart_IsRefusedNamingTheEndField()
    {
        var error = Assert.Throws<DomainException>(() => AccountCalendar.Range(new DateOnly(2026, 3, 2), new DateOnly(2026, 3, 1), Shanghai, "activatedTo"));

        Assert.Equal((ErrorCodes.ValidationFailed, "activatedTo"), (error.Code, error.Field));
    }

    [Fact]
    public void Find_UnknownZone_FallsBackToUtc() =>
        Assert.Equal(TimeZoneInfo.Utc, AccountCalendar.Find("Mars/Olympus_Mons"));
}
