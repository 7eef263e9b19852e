using LicenseConsole.BrowserTests.Infrastructure;

namespace LicenseConsole.BrowserTests.Security;

/// <summary>
/// The Docker Compose first run serves Production on plain http at localhost. Its cookies are Secure, which a
/// browser accepts from localhost (a secure context even on http): signing in works there, and the cookie stays
/// Secure and HttpOnly.
/// </summary>
public sealed class ProductionCookieTests(ConsoleFixture fixture) : ConsoleTest(fixture)
{
    [Fact]
    public async Task SignIn_ProductionOnPlainHttpAtLocalhost_SignsInWithASecureHttpOnlyCookie()
    {
        var app = await Fixture.ProductionAppAsync();
        var account = await Api.CreateAccountAsync();
        var page = await NewPageAsync(app);
        var localhost = new UriBuilder(app.BaseAddress) { Host = "localhost" }.Uri;

        await page.GotoAsync(new Uri(localhost, "account/sign-in").ToString());
        await page.GetByTestId("email").FillAsync(account.Email);
        await page.GetByTestId("password").FillAsync(account.Password);
        await page.GetByTestId("sign-in").ClickAsync();

        await Expect(page.GetByTestId("user-email")).ToHaveTextAsync(account.Email);
        var cookie = (await page.Context.CookiesAsync()).Single(c => c.Name == "LicenseConsole.Auth");
        Assert.True(cookie.Secure, "The sign-in cookie is not Secure in Production.");
        Assert.True(cookie.HttpOnly, "The sign-in cookie is readable by scripts.");
        Assert.Equal(SameSiteAttribute.Lax, cookie.SameSite);
    }
}
