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

    [Theory]
    [InlineData("2026-12-08T15:00:00Z", "2026-12-08T15:59:00Z", 0)] // 23:00 → 23:59 in Shanghai: later today
    [InlineData("2026-12-08T15:00:00Z", "2026-12-08T16:00:00Z", 1)] // 23:00 → 00:00 the next day: one hour, but tomorrow
    [InlineData("2026-12-08T16:00:00Z", "2027-01-08T15:59:00Z", 30)] // 9 December 00:00 → 8 January 23:59
    [InlineData("2026-12-08T16:00:00Z", "2026-12-06T16:00:00Z", -2)]
    public void DaysUntil_CountsCalendarDaysInTheAccountsZone(string now, string until, int days) =>
        Assert.Equal(days, AccountCalendar.DaysUntil(Utc(now), Utc(until), Shanghai));

    [Fact]
    public void Find_UnknownZone_FallsBackToUtc() =>
        Assert.Equal(TimeZoneInfo.Utc, AccountCalendar.Find("Mars/Olympus_Mons"));

    private static DateTime Utc(string instant) =>
        DateTime.Parse(instant, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AdjustToUniversal | System.Globalization.DateTimeStyles.AssumeUniversal);
}
