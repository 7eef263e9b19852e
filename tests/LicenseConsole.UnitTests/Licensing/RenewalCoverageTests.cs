using LicenseConsole.Licensing;

namespace LicenseConsole.UnitTests.Licensing;

public sealed class RenewalCoverageTests
{
    private static readonly DateTime Start = new(2026, 3, 1, 4, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void Forecast_OneProductShortAnotherWithLicensesToSpare_ShortfallIsTheShortProductsAlone()
    {
        // Together the two pools (2 + 100) would cover all 10 renewals; per product, the sensors are 6 short.
        var forecast = RenewalCoverage.Forecast(Start, 4, [
            new ProductRenewals("pk-sensor", "Door Sensor", 2, [0, 0, 8, 0]),
            new ProductRenewals("pk-thermo", "Thermostat", 100, [0, 2, 0, 0]),
        ]);

        var shortfall = Assert.Single(forecast.Shortfalls);
        Assert.Equal(("pk-sensor", 2L, 8L, 6L, Start.AddDays(14)), (shortfall.ProductKey, shortfall.Remaining, shortfall.RenewalsDue, shortfall.Short, shortfall.FirstShortWeek));
        Assert.Equal([0L, 0L, 6L, 0L], shortfall.ShortPerWeek);
        Assert.Equal([0L, 2L, 8L, 0L], forecast.Weeks.Select(w => w.RenewalsDue));
        Assert.Equal([0L, 2L, 2L, 0L], forecast.Weeks.Select(w => w.Covered));
        Assert.Equal([0L, 0L, 6L, 0L], forecast.Weeks.Select(w => w.Short));
        Assert.Equal(Start.AddDays(21), forecast.Weeks[3].WeekStart);
    }

    [Fact]
    public void Forecast_PoolDrainsOverTheWeeks_EarlierRenewalsTakeTheLicensesFirst()
    {
        var forecast = RenewalCoverage.Forecast(Start, 3, [new ProductRenewals("pk-a", "A", 5, [3, 3, 3])]);

        var shortfall = Assert.Single(forecast.Shortfalls);
        Assert.Equal([0L, 1L, 3L], shortfall.ShortPerWeek);
        Assert.Equal(Start.AddDays(7), shortfall.FirstShortWeek);
        Assert.Equal([3L, 2L, 0L], forecast.Weeks.Select(w => w.Covered));
    }

    [Fact]
    public void Forecast_PoolOverdrawnOrEmpty_CountsNothingAsCovered()
    {
        var forecast = RenewalCoverage.Forecast(Start, 2, [new ProductRenewals("pk-a", "A", -3, [1, 1])]);

        var shortfall = Assert.Single(forecast.Shortfalls);
        Assert.Equal((0L, 2L), (shortfall.Remaining, shortfall.Short));
        Assert.All(forecast.Weeks, w => Assert.Equal(0, w.Covered));
    }

    [Fact]
    public void Forecast_EveryPoolLargeEnough_NoShortfall()
    {
        var forecast = RenewalCoverage.Forecast(Start, 2, [new ProductRenewals("pk-a", "A", 4, [2, 2])]);

        Assert.Empty(forecast.Shortfalls);
        Assert.Equal([2L, 2L], forecast.Weeks.Select(w => w.Covered));
    }

    [Fact]
    public void Forecast_SeveralShortfalls_EarliestFirstThenLargest()
    {
        var forecast = RenewalCoverage.Forecast(Start, 3, [
            new ProductRenewals("pk-late", "Late", 0, [0, 0, 9]),
            new ProductRenewals("pk-small", "Small", 0, [0, 1, 0]),
            new ProductRenewals("pk-big", "Big", 0, [0, 5, 0]),
        ]);

        Assert.Equal(["pk-big", "pk-small", "pk-late"], forecast.Shortfalls.Select(s => s.ProductKey));
    }

    [Fact]
    public void Series_FewProductsShort_NamesEachLargestFirst()
    {
        var series = RenewalCoverage.Series([Shortfall("pk-a", 1, 0), Shortfall("pk-b", 5, 1), Shortfall("pk-c", 3, 2)], named: 4);

        Assert.Equal(["pk-b", "pk-c", "pk-a"], series.Select(s => s.ProductKey));
        Assert.DoesNotContain(series, s => s.IsOthers);
        Assert.Equal([0L, 5L, 0L], series[0].ShortPerWeek);
    }

    [Fact]
    public void Series_OneMoreThanNamed_NamesThatOneTooRatherThanCallItOthers()
    {
        var series = RenewalCoverage.Series([.. Enumerable.Range(1, 5).Select(i => Shortfall("pk-" + i, i, 0))], named: 4);

        Assert.Equal(5, series.Count);
        Assert.DoesNotContain(series, s => s.IsOthers);
    }

    [Fact]
    public void Series_ThirtyProductsShort_NamesTheLargestAndSumsTheRestAsOthers()
    {
        var shortfalls = Enumerable.Range(1, 30).Select(i => Shortfall("pk-" + i, i, i % 3)).ToList();

        var series = RenewalCoverage.Series(shortfalls, named: 4);

        Assert.Equal(5, series.Count);
        Assert.Equal(["pk-30", "pk-29", "pk-28", "pk-27"], series.Take(4).Select(s => s.ProductKey));
        var others = series[4];
        Assert.True(others.IsOthers);
        Assert.Equal(26, others.Products);
        Assert.Equal(Enumerable.Range(1, 26).Sum(), others.Short);
        Assert.Equal(
            Enumerable.Range(0, 3).Select(w => (long)Enumerable.Range(1, 26).Where(i => i % 3 == w).Sum()),
            others.ShortPerWeek);
        Assert.Equal(shortfalls.Sum(s => s.Short), series.Sum(s => s.Short));
    }

    [Fact]
    public void Series_NothingShort_NoSeries()
    {
        Assert.Empty(RenewalCoverage.Series([], named: 4));
    }

    private static ProductShortfall Shortfall(string productKey, long shortBy, int week)
    {
        var perWeek = new long[3];
        perWeek[week] = shortBy;
        return new ProductShortfall(productKey, "Product " + productKey, 0, shortBy, shortBy, Start.AddDays(7 * week), perWeek);
    }
}
