using System.Text.RegularExpressions;
using LicenseConsole.BrowserTests.Infrastructure;

namespace LicenseConsole.BrowserTests.Account;

public sealed class SignInTests(ConsoleFixture fixture) : ConsoleTest(fixture)
{
    [Fact]
    public async Task SignIn_RightPassword_ShowsTheOverviewWithTheUsersEmail()
    {
        var account = await Api.CreateAccountAsync();
        await Page.GotoAsync("");
        await Expect(Page).ToHaveURLAsync(new Regex("/account/sign-in"));
        await Screenshots.SaveAsync(Page, "sign-in.png");

        await Page.GetByTestId("email").FillAsync(account.Email);
        await Page.GetByTestId("password").FillAsync(account.Password);
        await Page.GetByTestId("sign-in").ClickAsync();

        await Expect(Page.GetByTestId("user-email")).ToHaveTextAsync(account.Email);
        await Expect(Page.GetByTestId("data-center")).ToContainTextAsync("eu-west");
        await Expect(Page.GetByRole(AriaRole.Navigation)).ToContainTextAsync("Product licenses");
    }

    [Fact]
    public async Task SignIn_WrongPassword_ShowsTheErrorAndStaysOnTheSignInPage()
    {
        var account = await Api.CreateAccountAsync();
        await Page.GotoAsync("account/sign-in");

        await Page.GetByTestId("email").FillAsync(account.Email);
        await Page.GetByTestId("password").FillAsync("Wrong-Password-1");
        await Page.GetByTestId("sign-in").ClickAsync();

        await Expect(Page.GetByTestId("sign-in-error")).ToContainTextAsync("Invalid email or password.");
        await Expect(Page.GetByTestId("password")).ToHaveValueAsync("");
        await Expect(Page.GetByTestId("user-email")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task SignOut_FromTheUserMenu_ReturnsToSignInAndPagesNeedSignInAgain()
    {
        await SignedInAccountAsync();
        await Page.GotoAsync("");

        await Page.GetByTestId("user-menu").ClickAsync();
        await Page.GetByTestId("sign-out").ClickAsync();

        await Expect(Page.GetByTestId("sign-in")).ToBeVisibleAsync();
        await Page.GotoAsync("products");
        await Expect(Page).ToHaveURLAsync(new Regex("/account/sign-in\\?ReturnUrl=%2Fproducts"));
        await Expect(Page.GetByTestId("user-email")).ToHaveCountAsync(0);
    }
}
