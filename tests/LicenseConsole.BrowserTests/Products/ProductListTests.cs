using System.Globalization;
using LicenseConsole.BrowserTests.Infrastructure;

namespace LicenseConsole.BrowserTests.Products;

public sealed class ProductListTests(ConsoleFixture fixture) : ConsoleTest(fixture)
{
    [Fact]
    public async Task Products_SampleAccount_ListsEveryProductWithSpecAndCounts()
    {
        var sample = await SampleAccount.CreateAsync(Api);
        await SignInAsync(Page, sample.Account);

        await Page.GotoAsync("products");

        var rows = Page.GetByTestId("products").Locator("tbody tr");
        await Expect(rows).ToHaveCountAsync(sample.Products.Count);
        foreach (var product in sample.Products)
        {
            var cells = rows.Filter(new() { HasText = product.ProductKey }).Locator("td");
            await Expect(cells.Nth(0)).ToContainTextAsync(product.Name);
            await Expect(cells.Nth(2)).ToHaveTextAsync(product.SpecCode);
            await Expect(cells.Nth(3)).ToHaveTextAsync(product.Licenses.ToString(CultureInfo.InvariantCulture));
            await Expect(cells.Nth(4)).ToHaveTextAsync(product.Devices.ToString(CultureInfo.InvariantCulture));
            await Expect(cells.Nth(5)).ToHaveTextAsync((product.Licenses - product.Devices).ToString(CultureInfo.InvariantCulture));
        }

        await Screenshots.SaveAsync(Page, "products.png");
    }

    [Fact]
    public async Task Create_NameAndProductKey_OpensTheNewProductsPageAndListsIt()
    {
        await SignedInAccountAsync();
        var productKey = PlatformApi.NewKey("pk");
        await Page.GotoAsync("products");

        await Page.GetByTestId("new-product-name").FillAsync("Garden Valve");
        await Page.GetByTestId("new-product-key").FillAsync(productKey);
        await Page.GetByTestId("create-product").ClickAsync();

        await Expect(Page.GetByTestId("success")).ToContainTextAsync($"Created product Garden Valve ({productKey}).");
        await Expect(Page.GetByTestId("product-name")).ToHaveTextAsync("Garden Valve");
        await Expect(Page.GetByTestId("product-key")).ToHaveTextAsync(productKey);
        await Expect(Page.GetByTestId("total")).ToHaveTextAsync("0");
        await Page.GotoAsync("products");
        await Expect(Page.GetByTestId("products")).ToContainTextAsync("Garden Valve");
    }

    [Fact]
    public async Task Search_PartOfAName_ListsOnlyTheMatchingProduct()
    {
        var sample = await SampleAccount.CreateAsync(Api);
        await SignInAsync(Page, sample.Account);
        await Page.GotoAsync("products");

        await Page.GetByTestId("product-search").FillAsync("door");
        await Page.GetByTestId("product-search").PressAsync("Enter");

        var rows = Page.GetByTestId("products").Locator("tbody tr");
        await Expect(rows).ToHaveCountAsync(1);
        await Expect(rows).ToContainTextAsync("Door Sensor");
        await Page.GetByTestId("product-details").ClickAsync();
        await Expect(Page.GetByTestId("product-name")).ToHaveTextAsync("Door Sensor");
    }
}
