using System.Net;
using LicenseConsole.IntegrationTests.Infrastructure;

namespace LicenseConsole.IntegrationTests.Web;

public abstract class ConsoleSignInTests(AppFixture app)
{
    [Theory]
    [InlineData("/")]
    [InlineData("/products/pkanything")]
    public async Task Get_Anonymous_RedirectsToSignIn(string path)
    {
        using var client = app.CreateClient();

        var response = await client.GetAsync(path, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/account/sign-in", response.Headers.Location!.AbsolutePath);
        Assert.Contains("ReturnUrl=" + Uri.EscapeDataString(path), response.Headers.Location.Query, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SignIn_RightPassword_ReachesTheDashboard()
    {
        var account = await TestAccounts.CreateAsync(app.Factory.Services);
        using var client = app.CreateClient();

        var signIn = await client.SignInAsync(account.OwnerEmail.ToUpperInvariant(), TestAccounts.Password);
        var dashboard = await client.GetAsync("/", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        Assert.Equal("/", signIn.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.OK, dashboard.StatusCode);
        Assert.Contains(account.OwnerEmail, await dashboard.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SignIn_WrongPassword_ShowsAnErrorAndStaysSignedOut()
    {
        var account = await TestAccounts.CreateAsync(app.Factory.Services);
        using var client = app.CreateClient();

        var signIn = await client.SignInAsync(account.OwnerEmail, "Wrong-Password-1");
        var dashboard = await client.GetAsync("/", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Unauthorized, signIn.StatusCode);
        Assert.Contains("Invalid email or password.", await signIn.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, dashboard.StatusCode);
    }

    [Fact]
    public async Task SignIn_FiveWrongPasswords_LocksTheUserOutEvenForTheRightOne()
    {
        var account = await TestAccounts.CreateAsync(app.Factory.Services);
        using var client = app.CreateClient();
        for (var i = 0; i < 5; i++)
        {
            await client.SignInAsync(account.OwnerEmail, "Wrong-Password-" + i);
        }

        var signIn = await client.SignInAsync(account.OwnerEmail, TestAccounts.Password);

        Assert.Equal(HttpStatusCode.Unauthorized, signIn.StatusCode);
        Assert.Contains("Invalid email or password.", await signIn.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync("/", TestContext.Current.CancellationToken)).StatusCode);
    }

    [Fact]
    public async Task SignIn_EmptyFields_ShowsAMessageBesideEachField()
    {
        using var client = app.CreateClient();
        var token = await client.AntiforgeryTokenAsync("/account/sign-in");

        var response = await client.PostAsync("/account/sign-in", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Email"] = "",
            ["Password"] = "",
            ["__RequestVerificationToken"] = token,
        }), TestContext.Current.CancellationToken);
        var html = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("Enter your email.", html, StringComparison.Ordinal);
        Assert.Contains("Enter your password.", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SignIn_WithoutAntiforgeryToken_IsRefused()
    {
        var account = await TestAccounts.CreateAsync(app.Factory.Services);
        using var client = app.CreateClient();

        var response = await client.PostAsync("/account/sign-in", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Email"] = account.OwnerEmail,
            ["Password"] = TestAccounts.Password,
        }), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync("/", TestContext.Current.CancellationToken)).StatusCode);
    }

    [Fact]
    public async Task SignIn_ReturnUrlToAnotherSite_GoesToTheDashboardInstead()
    {
        var account = await TestAccounts.CreateAsync(app.Factory.Services);
        using var client = app.CreateClient();
        var token = await client.AntiforgeryTokenAsync("/account/sign-in");

        var response = await client.PostAsync("/account/sign-in", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Email"] = account.OwnerEmail,
            ["Password"] = TestAccounts.Password,
            ["ReturnUrl"] = "https://evil.example/phish",
            ["__RequestVerificationToken"] = token,
        }), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/", response.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task SignOut_SignedIn_EndsTheSession()
    {
        var account = await TestAccounts.CreateAsync(app.Factory.Services);
        using var client = app.CreateClient();
        await client.SignInAsync(account.OwnerEmail, TestAccounts.Password);
        var token = await client.AntiforgeryTokenAsync("/");

        var response = await client.PostAsync("/account/sign-out",
            new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token }), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync("/", TestContext.Current.CancellationToken)).StatusCode);
    }

    [Fact]
    public async Task Health_DatabaseReachable_Returns200WithoutSignIn()
    {
        using var client = app.CreateClient();

        var response = await client.GetAsync("/health", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }
}

public sealed class PostgresConsoleSignInTests(PostgresApp app) : ConsoleSignInTests(app), IClassFixture<PostgresApp>;

public sealed class SqliteConsoleSignInTests(SqliteApp app) : ConsoleSignInTests(app), IClassFixture<SqliteApp>;
