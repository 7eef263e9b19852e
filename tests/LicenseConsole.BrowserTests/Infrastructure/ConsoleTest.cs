namespace LicenseConsole.BrowserTests.Infrastructure;

/// <summary>
/// A browser test: a fresh browser context and page on the app for each test, the platform API to set up data,
/// and on failure a screenshot of every open page and the app's last log lines in the test's output.
/// </summary>
public abstract class ConsoleTest(ConsoleFixture fixture) : IAsyncLifetime
{
    private readonly Dictionary<IBrowserContext, ConsoleProcess> _contexts = [];

    protected ConsoleFixture Fixture => fixture;

    protected PlatformApi Api => fixture.Api;

    /// <summary>The page of this test, on <see cref="ConsoleFixture.App"/>, not signed in.</summary>
    protected IPage Page { get; private set; } = null!;

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    public virtual async ValueTask InitializeAsync() => Page = await NewPageAsync();

    /// <summary>A page in a browser context of its own (another user, another app): nothing shared with <see cref="Page"/>.</summary>
    protected async Task<IPage> NewPageAsync(ConsoleProcess? app = null)
    {
        app ??= fixture.App;
        var context = await fixture.NewContextAsync(app);
        _contexts.Add(context, app);
        return await context.NewPageAsync();
    }

    /// <summary>Signs in through the sign-in page, as a person does, and waits for the overview.</summary>
    protected static async Task SignInThroughTheFormAsync(IPage page, string email, string password)
    {
        await page.GotoAsync("account/sign-in");
        await page.GetByTestId("email").FillAsync(email);
        await page.GetByTestId("password").FillAsync(password);
        await page.GetByTestId("sign-in").ClickAsync();
        await Expect(page.GetByTestId("user-email")).ToHaveTextAsync(email);
    }

    /// <summary>
    /// Signs <paramref name="page"/>'s browser context in without showing a page: the sign-in form is posted over
    /// HTTP and the cookies it sets are handed to the browser. The sign-in page itself has tests of its own; the
    /// others start on the page they are about.
    /// </summary>
    protected Task SignInAsync(IPage page, TestAccount account) => SignInAsync(page, account.User);

    /// <inheritdoc cref="SignInAsync(IPage, TestAccount)"/>
    protected async Task SignInAsync(IPage page, TestUser user)
    {
        var app = _contexts[page.Context];
        using var session = await ConsoleHttpSession.SignInAsync(app.BaseAddress, user);
        await page.Context.AddCookiesAsync(session.Cookies.Select(c => new Microsoft.Playwright.Cookie
        {
            Name = c.Name,
            Value = c.Value,
            Url = app.BaseAddress.ToString(),
        }));
    }

    /// <summary>A sub-account of <paramref name="owner"/> that the owner adds through the console's JSON API.</summary>
    protected async Task<TestUser> SubAccountAsync(TestAccount owner, string role, bool maintainsRecipients = true, params string[] productKeys)
    {
        using var session = await ConsoleHttpSession.SignInAsync(fixture.App.BaseAddress, owner.User);
        return await session.CreateSubAccountAsync(role, maintainsRecipients, productKeys);
    }

    /// <summary>A new account (its own data, unique email) with <see cref="Page"/> signed in as its owner.</summary>
    protected async Task<TestAccount> SignedInAccountAsync(string dataCenter = "eu-west")
    {
        var account = await Api.CreateAccountAsync(dataCenter);
        await SignInAsync(Page, account);
        return account;
    }

    /// <summary>Accepts every browser confirm dialog of <paramref name="page"/>, and returns their messages as they come.</summary>
    protected static List<string> AcceptDialogs(IPage page)
    {
        var messages = new List<string>();
        page.Dialog += async (_, dialog) =>
        {
            messages.Add(dialog.Message);
            await dialog.AcceptAsync();
        };
        return messages;
    }

    public virtual async ValueTask DisposeAsync()
    {
        if (TestContext.Current.TestState?.Result == TestResult.Failed && TestContext.Current.TestOutputHelper is { } output)
        {
            await ReportFailureAsync(output);
        }

        foreach (var context in _contexts.Keys)
        {
            await context.CloseAsync();
        }

        GC.SuppressFinalize(this);
    }

    private async Task ReportFailureAsync(ITestOutputHelper output)
    {
        var name = string.Concat((TestContext.Current.Test?.TestDisplayName ?? "test").Split(Path.GetInvalidFileNameChars()));
        var folder = Path.Combine(AppContext.BaseDirectory, "failures");
        Directory.CreateDirectory(folder);
        var index = 0;
        foreach (var page in _contexts.Keys.SelectMany(c => c.Pages))
        {
            var file = Path.Combine(folder, $"{name}.{index++}.png");
            try
            {
                await page.ScreenshotAsync(new PageScreenshotOptions { FullPage = true, Path = file });
                output.WriteLine($"Page {page.Url}: screenshot {file}");
            }
            catch (PlaywrightException e)
            {
                output.WriteLine($"Page {page.Url}: no screenshot ({e.Message})");
            }
        }

        output.WriteLine(fixture.AppOutput());
    }
}
