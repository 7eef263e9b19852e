using System.Text.RegularExpressions;
using LicenseConsole.BrowserTests.Infrastructure;

namespace LicenseConsole.BrowserTests.Allocations;

public sealed class AllocationRecordsTests(ConsoleFixture fixture) : ConsoleTest(fixture)
{
    [Fact]
    public async Task Records_TwoProductsAllocated_ListsBothAndFiltersByProduct()
    {
        var account = await SignedInAccountAsync();
        await Api.BuyAsync(account, "STD-1Y", 100);
        await Api.BuyAsync(account, "STD-2Y", 50);
        var thermostat = await Api.CreateProductAsync(account, "Smart Thermostat");
        var sensor = await Api.CreateProductAsync(account, "Door Sensor");
        await Api.AllocateAsync(account, thermostat, "STD-1Y", 30);
        await Api.AllocateAsync(account, sensor, "STD-2Y", 12);
        await Api.AllocateAsync(account, thermostat, "STD-1Y", 5);

        await Page.GotoAsync("allocations");

        var rows = Page.GetByTestId("allocations").Locator("tbody tr");
        await Expect(rows).ToHaveCountAsync(3);
        await Expect(rows.Nth(0).Locator("td").Nth(1)).ToHaveTextAsync("Smart Thermostat");
        await Expect(rows.Nth(0).Locator("td").Nth(4)).ToHaveTextAsync("5");
        await Expect(rows.Nth(1).Locator("td").Nth(1)).ToHaveTextAsync("Door Sensor");
        await Expect(rows.Nth(1).Locator("td").Nth(3)).ToHaveTextAsync("STD-2Y");
        await Expect(rows.Nth(1).Locator("td").Nth(5)).ToHaveTextAsync("api-key:browser tests");
        await Screenshots.SaveAsync(Page, "allocations.png");

        await Page.GetByTestId("allocations-product").SelectOptionAsync(sensor);
        await Page.GetByTestId("allocations-search").ClickAsync();

        await Expect(Page).ToHaveURLAsync(new Regex($"productKey={sensor}"));
        await Expect(rows).ToHaveCountAsync(1);
        var cells = rows.Locator("td");
        await Expect(cells.Nth(1)).ToHaveTextAsync("Door Sensor");
        await Expect(cells.Nth(2)).ToHaveTextAsync(sensor);
        await Expect(cells.Nth(3)).ToHaveTextAsync("STD-2Y");
        await Expect(cells.Nth(4)).ToHaveTextAsync("12");
    }
}
