using System.Globalization;
using LicenseConsole.BrowserTests.Infrastructure;

namespace LicenseConsole.BrowserTests.Allocations;

/// <summary>The allocate form on a page of its own (/allocations/new): the dialog's fallback, where the server's refusals show.</summary>
public sealed class AllocatePageTests(ConsoleFixture fixture) : ConsoleTest(fixture)
{
    [Fact]
    public async Task Next_QuantityAboveThePool_ShowsTheMaximumBesideTheQuantity()
    {
        var productKey = await SignedInWithPoolAndProductAsync();
        await Page.GotoAsync($"allocations/new?productKey={productKey}");
        await Expect(Page.GetByTestId("allocate-page-max")).ToHaveTextAsync("Maximum allocatable: 100");

        await Page.GetByTestId("allocate-quantity").FillAsync("150");
        await Page.GetByTestId("allocate-next").ClickAsync();

        await Expect(Page.GetByTestId("allocate-quantity-error")).ToHaveTextAsync("At most 100 can be allocated.");
        await Expect(Page.GetByTestId("allocate-confirm")).ToHaveCountAsync(0);
        await ExpectProductTotalAsync(productKey, "10");
    }

    [Fact]
    public async Task Confirm_QuantityRaisedAboveThePool_IsRefusedBesideTheQuantityAndNothingChanges()
    {
        var productKey = await SignedInWithPoolAndProductAsync();
        await ToConfirmStepAsync(productKey, 30);

        // What a second tab that allocated meanwhile would do to this form: it now asks for more than is left.
        await Page.EvaluateAsync("() => document.querySelector('form[method=post] [name=Quantity]').value = '150'");
        await Page.GetByTestId("allocate-confirm").ClickAsync();

        await Expect(Page.GetByTestId("allocate-quantity-error")).ToHaveTextAsync("Only 100 unallocated STD-1Y licenses are left; you asked for 150.");
        await ExpectProductTotalAsync(productKey, "10");
    }

    [Fact]
    public async Task Confirm_SpecAlteredToAnotherSpec_ShowsTheSpecMismatchAndNothingChanges()
    {
        var productKey = await SignedInWithPoolAndProductAsync();
        await ToConfirmStepAsync(productKey, 5);

        await Page.EvaluateAsync("() => document.querySelector('form[method=post] [name=SpecCode]').value = 'STD-2Y'");
        await Page.GetByTestId("allocate-confirm").ClickAsync();

        await Expect(Page.GetByTestId("allocate-spec-error")).ToHaveTextAsync("This product takes STD-1Y licenses only, not STD-2Y: a product holds one license spec.");
        await Expect(Page.GetByTestId("allocate-confirm")).ToHaveCountAsync(0);
        await ExpectProductTotalAsync(productKey, "10");
        await Page.GotoAsync("");
        await Expect(Page.GetByTestId("unallocated")).ToHaveTextAsync("120");
    }

    [Fact]
    public async Task Confirm_SameFormSentTwice_AllocatesOnce()
    {
        var productKey = await SignedInWithPoolAndProductAsync();
        await ToConfirmStepAsync(productKey, 7);

        // A resend that the page's own guard would not see (a flaky network, a browser retry): the same form, twice.
        var statuses = await Page.EvaluateAsync<int[]>("""
            async () => {
              const form = document.querySelector('[data-testid=allocate-confirm]').form;
              const send = () => fetch(form.action, { method: 'POST', body: new FormData(form), redirect: 'manual' }).then(r => r.status);
              return [await send(), await send()];
            }
            """);

        Assert.All(statuses, s => Assert.Contains(s, new[] { 0, 302 }));
        await ExpectProductTotalAsync(productKey, "17");
        await Page.GotoAsync("allocations");
        await Expect(Page.GetByTestId("allocations").Locator("tbody tr")).ToHaveCountAsync(1);
    }

    /// <summary>Signs in an account with 100 unallocated STD-1Y and 20 STD-2Y licenses and a product holding 10 STD-1Y.</summary>
    private async Task<string> SignedInWithPoolAndProductAsync()
    {
        var account = await SignedInAccountAsync();
        await Api.BuyAsync(account, "STD-1Y", 100);
        await Api.BuyAsync(account, "STD-2Y", 20);
        return await Api.ProductWithLicensesAsync(account, "Gateway", 10);
    }

    private async Task ToConfirmStepAsync(string productKey, int quantity)
    {
        await Page.GotoAsync($"allocations/new?productKey={productKey}");
        await Page.GetByTestId("allocate-quantity").FillAsync(quantity.ToString(CultureInfo.InvariantCulture));
        await Page.GetByTestId("allocate-next").ClickAsync();
        await Expect(Page.GetByTestId("allocate-summary")).ToHaveTextAsync($"Allocate {quantity} STD-1Y licenses to Gateway.");
        await Expect(Page.Locator("main")).ToContainTextAsync("An allocation cannot be undone.");
    }

    private async Task ExpectProductTotalAsync(string productKey, string total)
    {
        await Page.GotoAsync($"products/{productKey}");
        await Expect(Page.GetByTestId("total")).ToHaveTextAsync(total);
    }
}
