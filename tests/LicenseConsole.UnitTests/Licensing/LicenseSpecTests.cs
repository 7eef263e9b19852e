using LicenseConsole.Licensing;

namespace LicenseConsole.UnitTests.Licensing;

public sealed class LicenseSpecTests
{
    [Fact]
    public void DefaultCatalog_Always_HoldsOneTwoAndThreeYears()
    {
        var catalog = LicenseSpec.DefaultCatalog.ToDictionary(s => s.Code, s => s.ValidityMonths);

        Assert.Equal(12, catalog["STD-1Y"]);
        Assert.Equal(24, catalog["STD-2Y"]);
        Assert.Equal(36, catalog["STD-3Y"]);
    }

    [Fact]
    public void PeriodEnd_OneYearSpec_EndsOnTheSameInstantNextYear()
    {
        var spec = new LicenseSpec { Code = "STD-1Y", Name = "1y", ChineseName = "1 年", ValidityMonths = 12 };
        var start = new DateTime(2026, 3, 1, 8, 30, 0, DateTimeKind.Utc);

        Assert.Equal(new DateTime(2027, 3, 1, 8, 30, 0, DateTimeKind.Utc), spec.PeriodEnd(start));
    }

    [Fact]
    public void PeriodEnd_StartingOnLeapDay_EndsOnTheLastDayOfFebruary()
    {
        var spec = new LicenseSpec { Code = "STD-1Y", Name = "1y", ChineseName = "1 年", ValidityMonths = 12 };

        Assert.Equal(new DateTime(2029, 2, 28, 0, 0, 0, DateTimeKind.Utc), spec.PeriodEnd(new DateTime(2028, 2, 29, 0, 0, 0, DateTimeKind.Utc)));
    }
}
