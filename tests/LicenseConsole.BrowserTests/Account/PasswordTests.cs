using System.Text.RegularExpressions;
using LicenseConsole.BrowserTests.Infrastructure;

namespace LicenseConsole.BrowserTests.Account;

public sealed class PasswordTests(ConsoleFixture fixture) : ConsoleTest(fixture)
{
    private const string NewPassword = "Changed-Password-2027";

    [Theory]
    [InlineData("owner")]
    [InlineData("viewer")]
    public async Task ChangePassword_RightCurrentPassword_SignsInWithTheNewOneAndNoLongerWithTheOld(string who)
    {
        var user = await SignedInAsAsync(who);
        await Page.GotoAsync("");
        await Page.GetByTestId("user-menu").ClickAsync();
        await Page.GetByTestId("change-password-link").ClickAsync();
        await Expect(Page).ToHaveURLAsync(new Regex("/account/password$"));

        await ChangeAsync(user.Password, NewPassword);

        await Expect(Page.GetByTestId("success")).ToContainTextAsync("Your password was changed. Your other sessions were signed out.");
        await Expect(Page.GetByTestId("user-email")).ToHaveTextAsync(user.Email);
        var later = await NewPageAsync();
        await later.GotoAsync("account/sign-in");
        await later.GetByTestId("email").FillAsync(user.Email);
        await later.GetByTestId("password").FillAsync(user.Password);
        await later.GetByTestId("sign-in").ClickAsync();
        await Expect(later.GetByTestId("sign-in-error")).ToContainTextAsync("Invalid email or password.");
        await SignInThroughTheFormAsync(later, user.Email, NewPassword);
    }

    [Fact]
    public async Task ChangePassword_WrongCurrentPassword_IsRefusedBesideTheFieldAndChangesNothing()
    {
        var user = await SignedInAsAsync("operator");
        await Page.GotoAsync("account/password");

        await ChangeAsync("Wrong-Password-2026", NewPassword);

        await Expect(Page.Locator("[data-valmsg-for='CurrentPassword']")).ToHaveTextAsync("The current password is not right.");
        await Expect(Page.GetByTestId("success")).ToHaveCountAsync(0);
        var later = await NewPageAsync();
        await SignInThroughTheFormAsync(later, user.Email, user.Password);
    }

    [Fact]
    public async Task ChangePassword_AnotherSessionOfTheUser_IsSignedOut()
    {
        var user = await SignedInAsAsync("admin");
        var other = await NewPageAsync();
        await SignInAsync(other, user);
        await other.GotoAsync("products");
        await Expect(other.GetByTestId("user-email")).ToHaveTextAsync(user.Email);
        await Page.GotoAsync("account/password");

        await ChangeAsync(user.Password, NewPassword);

        await Expect(Page.GetByTestId("success")).ToBeVisibleAsync();
        await other.ReloadAsync();
        await Expect(other).ToHaveURLAsync(new Regex("/account/sign-in"));
        await Expect(other.GetByTestId("user-email")).ToHaveCountAsync(0);
    }

    private async Task ChangeAsync(string current, string next)
    {
        await Page.GetByTestId("current-password").FillAsync(current);
        await Page.GetByTestId("new-password").FillAsync(next);
        await Page.GetByTestId("change-password").ClickAsync();
    }

    /// <summary>A new account's owner, or a sub-account of it with role <paramref name="who"/>, signed in on <see cref="ConsoleTest.Page"/>.</summary>
    private async Task<TestUser> SignedInAsAsync(string who)
    {
        var owner = await Api.CreateAccountAsync();
        var user = who == "owner" ? owner.User : await SubAccountAsync(owner, who);
        await SignInAsync(Page, user);
        return user;
    }
}
