using LicenseConsole.BrowserTests.Infrastructure;

namespace LicenseConsole.BrowserTests.AlertRecipients;

public sealed class AlertRecipientsTests(ConsoleFixture fixture) : ConsoleTest(fixture)
{
    private ILocator Recipients => Page.GetByTestId("recipients").Locator("tbody tr");

    [Fact]
    public async Task Add_NameAndEmail_IsListedWithASuccessNote()
    {
        var account = await SignedInAccountAsync();
        await Page.GotoAsync("alert-recipients");

        await AddAsync("Ops on call", "ops@example.com");

        await Expect(Page.GetByTestId("success")).ToContainTextAsync("Ops on call (ops@example.com) will receive resource alerts.");
        await Expect(Recipients).ToHaveCountAsync(2);
        await Expect(Page.Locator("tr[data-recipient='ops@example.com'] td").Nth(0)).ToHaveTextAsync("Ops on call");
        await Expect(Page.Locator($"tr[data-recipient='{account.Email}']")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task Add_BadEmail_ShowsTheErrorBesideTheFieldAndAddsNothing()
    {
        await SignedInAccountAsync();
        await Page.GotoAsync("alert-recipients");

        await AddAsync("Ops", "ops.example.com");

        await Expect(Page.GetByTestId("recipient-email-error")).ToHaveTextAsync("Enter a valid email address.");
        await Expect(Page.GetByTestId("recipient-name")).ToHaveValueAsync("Ops");
        await Expect(Recipients).ToHaveCountAsync(1);
    }

    [Fact]
    public async Task Add_EmailListedAlready_IsRefusedBesideTheField()
    {
        await SignedInAccountAsync();
        await Page.GotoAsync("alert-recipients");
        await AddAsync("Ops", "ops@example.com");
        await Expect(Page.GetByTestId("success")).ToBeVisibleAsync();

        await AddAsync("Ops again", "OPS@example.com");

        await Expect(Page.GetByTestId("recipient-email-error")).ToHaveTextAsync("This email address receives alerts already.");
        await Expect(Recipients).ToHaveCountAsync(2);
    }

    [Fact]
    public async Task Remove_AfterConfirming_TheRecipientIsGone()
    {
        var account = await SignedInAccountAsync();
        await Api.AddRecipientAsync(account, "Ops", "ops@example.com");
        await Api.AddRecipientAsync(account, "Night shift", "night@example.com");
        await Page.GotoAsync("alert-recipients");
        await Expect(Recipients).ToHaveCountAsync(3);
        await Screenshots.SaveAsync(Page, "alert-recipients.png");
        var confirms = AcceptDialogs(Page);

        await Page.Locator("tr[data-recipient='ops@example.com']").GetByTestId("remove-recipient").ClickAsync();

        await Expect(Page.GetByTestId("success")).ToContainTextAsync("The recipient was removed.");
        await Expect(Recipients).ToHaveCountAsync(2);
        await Expect(Page.Locator("tr[data-recipient='ops@example.com']")).ToHaveCountAsync(0);
        Assert.Equal(["Stop sending alerts to ops@example.com?"], confirms);
    }

    [Fact]
    public async Task OwnerRow_IsShownAsFixedWithoutARemoveButton()
    {
        var account = await SignedInAccountAsync();
        await Page.GotoAsync("alert-recipients");

        var owner = Page.Locator($"tr[data-recipient='{account.Email}']");
        await Expect(owner.Locator("td").Nth(0)).ToHaveTextAsync("Account owner");
        await Expect(owner.Locator("td").Nth(2)).ToHaveTextAsync("Always receives alerts");
        await Expect(owner.GetByTestId("owner-fixed")).ToHaveTextAsync("Fixed");
        await Expect(owner.GetByTestId("remove-recipient")).ToHaveCountAsync(0);
    }

    private async Task AddAsync(string name, string email)
    {
        await Page.GetByTestId("recipient-name").FillAsync(name);
        await Page.GetByTestId("recipient-email").FillAsync(email);
        await Page.GetByTestId("add-recipient").ClickAsync();
    }
}
