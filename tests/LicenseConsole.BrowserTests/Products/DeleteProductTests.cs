using System.Text.RegularExpressions;
using LicenseConsole.BrowserTests.Infrastructure;

namespace LicenseConsole.BrowserTests.Products;

public sealed class DeleteProductTests(ConsoleFixture fixture) : ConsoleTest(fixture)
{
    [Fact]
    public async Task Delete_Page_ShowsWhatWillBeForfeitedAndAsksForTheProductKey()
    {
        var productKey = await SignedInWithProductAsync();
        await Page.GotoAsync($"products/{productKey}");

        await Page.GetByTestId("delete-product").ClickAsync();

        await Expect(Page.GetByTestId("forfeit-used")).ToHaveTextAsync("3");
        await Expect(Page.GetByTestId("forfeit-unused")).ToHaveTextAsync("7");
        await Expect(Page.GetByTestId("forfeit-devices")).ToHaveTextAsync("3");
        await Expect(Page.Locator("label[for=confirm]")).ToHaveTextAsync($"Type the product key {productKey} to confirm.");
        await Screenshots.SaveAsync(Page, "delete-product.png");
    }

    [Fact]
    public async Task Delete_WrongProductKey_IsRefusedAndTheProductStays()
    {
        var productKey = await SignedInWithProductAsync();
        await Page.GotoAsync($"products/{productKey}/delete");
        AcceptDialogs(Page);

        await Page.GetByTestId("delete-confirm").FillAsync(productKey + "x");
        await Page.GetByTestId("delete-submit").ClickAsync();

        await Expect(Page.GetByTestId("delete-error")).ToHaveTextAsync("Type the product key exactly as shown to confirm the deletion.");
        await Page.GotoAsync($"products/{productKey}");
        await Expect(Page.GetByTestId("product-name")).ToHaveTextAsync("Doomed Gadget");
        await Expect(Page.GetByTestId("total")).ToHaveTextAsync("10");
    }

    [Fact]
    public async Task Delete_BrowserConfirmDismissed_NothingIsSent()
    {
        var productKey = await SignedInWithProductAsync();
        await Page.GotoAsync($"products/{productKey}/delete");
        var asked = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        Page.Dialog += async (_, dialog) =>
        {
            await dialog.DismissAsync();
            asked.TrySetResult(dialog.Message);
        };

        await Page.GetByTestId("delete-confirm").FillAsync(productKey);
        await Page.GetByTestId("delete-submit").ClickAsync();

        Assert.Equal("Really delete Doomed Gadget? This cannot be undone.", await asked.Task.WaitAsync(TimeSpan.FromSeconds(15), Ct));
        await Expect(Page).ToHaveURLAsync(new Regex($"/products/{productKey}/delete$"));
        await Page.GotoAsync("products");
        await Expect(Page.GetByTestId("products")).ToContainTextAsync("Doomed Gadget");
    }

    [Fact]
    public async Task Delete_RightProductKeyAndConfirmAccepted_DeletesItAndItsLicensesLeaveTheTotals()
    {
        var productKey = await SignedInWithProductAsync();
        await Page.GotoAsync("");
        await Expect(Page.GetByTestId("total")).ToHaveTextAsync("60");
        await Page.GotoAsync($"products/{productKey}/delete");
        var confirms = AcceptDialogs(Page);

        await Page.GetByTestId("delete-confirm").FillAsync(productKey);
        await Page.GetByTestId("delete-submit").ClickAsync();

        await Expect(Page).ToHaveURLAsync(new Regex("/products$"));
        await Expect(Page.GetByTestId("success")).ToContainTextAsync("Deleted product Doomed Gadget; its licenses are forfeited.");
        await Expect(Page.GetByTestId("products")).Not.ToContainTextAsync("Doomed Gadget");
        Assert.Equal(["Really delete Doomed Gadget? This cannot be undone."], confirms);
        await Page.GotoAsync("");
        await Expect(Page.GetByTestId("total")).ToHaveTextAsync("50");
        await Expect(Page.GetByTestId("used")).ToHaveTextAsync("0");
        await Expect(Page.GetByTestId("unallocated")).ToHaveTextAsync("50");
        await Expect(Page.GetByTestId("forfeited")).ToHaveTextAsync("10");
    }

    /// <summary>An account with 50 unallocated licenses and a product "Doomed Gadget" holding 10, three of them used.</summary>
    private async Task<string> SignedInWithProductAsync()
    {
        var account = await SignedInAccountAsync();
        await Api.BuyAsync(account, "STD-1Y", 50);
        var productKey = await Api.ProductWithLicensesAsync(account, "Doomed Gadget", 10);
        await Api.ConnectManyAsync(productKey, "gadget-", 3);
        return productKey;
    }
}
