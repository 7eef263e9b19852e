using LicenseConsole.IntegrationTests.Infrastructure;
using LicenseConsole.Licensing;
using Microsoft.Extensions.DependencyInjection;

namespace LicenseConsole.IntegrationTests.Licensing;

/// <summary>The forecast counts the renewals due at most once a minute, but an allocation or a purchase shows in it at once.</summary>
public sealed class LicenseForecastTests(PostgresDatabase database) : IClassFixture<PostgresDatabase>
{
    [Fact]
    public async Task Forecast_RightAfterAnAllocation_CountsTheNewLicenses()
    {
        await using var ledger = new Ledger(database);
        var account = await ledger.CreateAccountAsync();
        var product = await ledger.ProductWithLicensesAsync(account, 2);
        await ledger.ConnectAsync(product.ProductKey, "dk-1");
        await ledger.ConnectAsync(product.ProductKey, "dk-2");
        ledger.Clock.Advance(TimeSpan.FromDays(365 - 20));
        var before = await ForecastAsync(ledger, account.Id);

        await ledger.BuyAsync(account, "STD-1Y", 5);
        await ledger.AllocateAsync(account, product.ProductKey, "STD-1Y", 5);
        var after = await ForecastAsync(ledger, account.Id);

        var shortfall = Assert.Single(before.Shortfalls);
        Assert.Equal((0L, 2L, 2L), (shortfall.Remaining, shortfall.RenewalsDue, shortfall.Short));
        Assert.Empty(after.Shortfalls);
        Assert.Equal(2, after.Weeks.Sum(w => w.Covered));
    }

    [Fact]
    public async Task Forecast_OneProductShortAnotherWithLicensesToSpare_ShortIsCountedPerProductInTheWeekItFalls()
    {
        await using var ledger = new Ledger(database);
        var account = await ledger.CreateAccountAsync();
        var empty = await ledger.ProductWithLicensesAsync(account, 3);
        var spare = await ledger.ProductWithLicensesAsync(account, 10);
        await ledger.ConnectManyAsync(
            (empty.ProductKey, "dk-1"), (empty.ProductKey, "dk-2"), (empty.ProductKey, "dk-3"), (spare.ProductKey, "dk-1"), (spare.ProductKey, "dk-2"));
        ledger.Clock.Advance(TimeSpan.FromDays(365 - 20));

        var forecast = await ForecastAsync(ledger, account.Id);

        // The spare product's 8 licenses would cover all 5 renewals if the pools were added up; they cannot renew the other's devices.
        var shortfall = Assert.Single(forecast.Shortfalls);
        Assert.Equal((empty.ProductKey, 0L, 3L, 3L), (shortfall.ProductKey, shortfall.Remaining, shortfall.RenewalsDue, shortfall.Short));
        Assert.Equal(3, shortfall.ShortPerWeek[2]);
        Assert.Equal(3, shortfall.ShortPerWeek.Sum());
        Assert.Equal((5L, 2L, 3L), (forecast.Weeks[2].RenewalsDue, forecast.Weeks[2].Covered, forecast.Weeks[2].Short));
        Assert.Equal(5, forecast.Weeks.Sum(w => w.RenewalsDue));
    }

    private static Task<LicenseForecast> ForecastAsync(Ledger ledger, Guid account) =>
        ledger.AsAccountAsync(account, s => s.GetRequiredService<LicenseForecastService>().ForecastAsync());
}
