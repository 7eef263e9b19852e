using System.Net;
using LicenseConsole.BrowserTests.Infrastructure;

namespace LicenseConsole.BrowserTests.Security;

/// <summary>
/// The console under its Content-Security-Policy (no inline script, no inline style) in a real browser: every
/// page reachable from the overview, in English and Chinese, with the charts and dialogs at work, raises no
/// policy violation and no script error. The account's names are markup, which must show as text and run nothing.
/// </summary>
public sealed class ContentSecurityPolicyTests(ConsoleFixture fixture) : ConsoleTest(fixture)
{
    private const string ScriptName = "<script>alert(1)</script>";
    private const string AttributeName = "\"'><img src=x onerror=alert(2)>";

    // Records violations as the browser reports them, from before the page's first script.
    private const string ViolationListener = """
        window.__policyViolations = [];
        document.addEventListener('securitypolicyviolation', function (e) {
          window.__policyViolations.push(e.violatedDirective + ' blocked ' + (e.blockedURI || 'inline') + ' at ' + e.sourceFile + ':' + e.lineNumber);
        });
        """;

    [Theory]
    [InlineData("en")]
    [InlineData("zh-CN")]
    public async Task EveryPage_AccountWithMarkupNames_NoPolicyViolationNoScriptErrorNoAlert(string language)
    {
        var (account, scriptProduct, attributeProduct) = await AccountWithMarkupNamesAsync();
        await SignInAsync(Page, account);
        var problems = await WatchAsync(Page);
        await Page.GotoAsync("");
        if (language == "zh-CN")
        {
            await Page.GetByTestId("culture-zh").ClickAsync();
            await Expect(Page.Locator("html")).ToHaveAttributeAsync("lang", "zh-CN");
        }

        var visited = await CrawlAsync(Page, problems, ["", "allocations/new", $"allocations/new?productKey={attributeProduct}"]);
        await UseTheScriptsAsync(Page, problems, scriptProduct);

        Assert.True(problems.Count == 0, string.Join("\n", problems));
        foreach (var page in new[] { "", "products", $"products/{scriptProduct}", $"products/{scriptProduct}/delete", $"products/{scriptProduct}/devices/xss-001",
            "allocations", "allocations/new", "devices/expiring", "alert-recipients", "settings/sub-accounts", "settings/api-keys", "audit" })
        {
            Assert.True(visited.Contains(page), $"The crawl did not reach /{page}; it reached: {string.Join(", ", visited)}");
        }
    }

    [Fact]
    public async Task SignInAndErrorPages_NoPolicyViolation()
    {
        var problems = await WatchAsync(Page);

        await Page.GotoAsync("account/sign-in");
        await Expect(Page.GetByTestId("sign-in")).ToBeVisibleAsync();
        await CollectAsync(Page, problems);
        var account = await Api.CreateAccountAsync();
        await SignInThroughTheFormAsync(Page, account.Email, account.Password);
        await CollectAsync(Page, problems);
        var missing = await Page.GotoAsync("products/pk-nothing-here");
        await Expect(Page.GetByTestId("error-title")).ToHaveTextAsync("Not found");
        await CollectAsync(Page, problems);

        Assert.Equal((int)HttpStatusCode.NotFound, missing!.Status);

        // The browser reports the 404 of the page itself as a console error: it is the page under test, not a fault.
        Assert.True(problems.All(p => p.Contains("404", StringComparison.Ordinal)), string.Join("\n", problems));
    }

    [Fact]
    public async Task ProductNamedAsMarkup_ShowsAsTextOnItsPageAndInTheDialog()
    {
        var (account, scriptProduct, _) = await AccountWithMarkupNamesAsync();
        await SignInAsync(Page, account);
        var problems = await WatchAsync(Page);

        await Page.GotoAsync($"products/{scriptProduct}");
        await Expect(Page.GetByTestId("product-name")).ToHaveTextAsync(ScriptName);
        await Page.GetByTestId("open-allocate").ClickAsync();
        await Expect(Page.GetByTestId("allocate-product").Locator("option:checked")).ToContainTextAsync(ScriptName);
        await CollectAsync(Page, problems);

        Assert.Equal(0, await Page.Locator("img[src='x']").CountAsync());
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    /// <summary>An account whose products, recipient and allocation carry names that are markup, with devices and licenses.</summary>
    private async Task<(TestAccount Account, string ScriptProduct, string AttributeProduct)> AccountWithMarkupNamesAsync()
    {
        var account = await Api.CreateAccountAsync();
        var scriptProduct = await Api.ProductWithLicensesAsync(account, ScriptName, 5);
        var attributeProduct = await Api.ProductWithLicensesAsync(account, AttributeName, 3);
        await Api.BuyAsync(account, "STD-1Y", 10);
        await Api.AllocateAsync(account, attributeProduct, "STD-1Y", 2);
        await Api.ConnectManyAsync(scriptProduct, "xss-", 3);
        await Api.ConnectManyAsync(attributeProduct, "attr-", 2);
        await Api.AddRecipientAsync(account, ScriptName, $"ops-{Guid.NewGuid():N}@example.com");
        return (account, scriptProduct, attributeProduct);
    }

    /// <summary>Visits the seeds and every page they link to on the app (exports aside), by path; returns the paths visited.</summary>
    private async Task<HashSet<string>> CrawlAsync(IPage page, List<string> problems, string[] seeds)
    {
        var origin = new Uri(page.Url).GetLeftPart(UriPartial.Authority);
        var queue = new Queue<string>(seeds);
        var visited = new HashSet<string>(StringComparer.Ordinal);
        while (queue.TryDequeue(out var path) && visited.Count < 60)
        {
            if (!visited.Add(path))
            {
                continue;
            }

            var response = await page.GotoAsync(path);
            Assert.True(response?.Status == 200, $"/{path} answered {response?.Status}");
            await NetworkIdleAsync(page);
            await CollectAsync(page, problems);
            foreach (var link in await page.EvalOnSelectorAllAsync<string[]>("a[href]", "links => links.map(a => a.href)"))
            {
                var uri = new Uri(link);
                var linked = uri.AbsolutePath.TrimStart('/');
                if (uri.GetLeftPart(UriPartial.Authority) == origin && !linked.EndsWith("/export", StringComparison.Ordinal) && !visited.Contains(linked))
                {
                    queue.Enqueue(linked);
                }
            }
        }

        return visited;
    }

    /// <summary>What the pages' scripts do: the charts, the allocation dialog (with its fetch), the unallocated dialog, a confirm.</summary>
    private static async Task UseTheScriptsAsync(IPage page, List<string> problems, string productKey)
    {
        await page.GotoAsync("");
        Assert.True(await page.EvaluateAsync<bool>("() => !!Chart.getChart(document.getElementById('usage-chart')) && !!Chart.getChart(document.getElementById('forecast-chart'))"),
            "The overview's charts were not drawn.");
        await page.GetByTestId("view-unallocated").ClickAsync();
        await Expect(page.GetByTestId("unallocated-by-spec")).ToBeVisibleAsync();

        // Bootstrap focuses the dialog once its opening transition ends; an Escape before that is ignored.
        await Expect(page.Locator("#unallocated-dialog")).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("Escape");
        await Expect(page.GetByTestId("unallocated-by-spec")).ToBeHiddenAsync();
        await page.GetByTestId("open-allocate").First.ClickAsync();
        await page.GetByTestId("allocate-product").SelectOptionAsync(productKey);
        await Expect(page.GetByTestId("allocate-max")).Not.ToBeEmptyAsync();
        await page.GetByTestId("allocate-quantity").FillAsync("1");
        await page.GetByTestId("allocate-next").ClickAsync();
        await Expect(page.GetByTestId("allocate-summary")).Not.ToBeEmptyAsync();
        await CollectAsync(page, problems);

        // A confirm dialog (revoking a key) is shown by site.js and dismissed: nothing is revoked.
        await page.GotoAsync("settings/api-keys");
        await page.Locator("form[data-confirm] button[type='submit']").First.ClickAsync();
        await Expect(page.Locator("form[data-confirm]").First).ToBeVisibleAsync();
        await CollectAsync(page, problems);
    }

    /// <summary>Listens on <paramref name="page"/> for console errors, uncaught errors and alerts; violations are collected per document.</summary>
    private static async Task<List<string>> WatchAsync(IPage page)
    {
        var problems = new List<string>();
        await page.AddInitScriptAsync(ViolationListener);
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                lock (problems)
                {
                    problems.Add($"{page.Url}: console error: {message.Text}");
                }
            }
        };
        page.PageError += (_, error) =>
        {
            lock (problems)
            {
                problems.Add($"{page.Url}: uncaught error: {error}");
            }
        };
        page.Dialog += async (_, dialog) =>
        {
            if (dialog.Type != "confirm")
            {
                lock (problems)
                {
                    problems.Add($"{page.Url}: {dialog.Type} dialog: {dialog.Message}");
                }
            }

            await dialog.DismissAsync();
        };
        return problems;
    }

    /// <summary>
    /// Waits until the page's requests are done. A wait for a load state can miss the state that arrives while it
    /// subscribes (playwright-dotnet#3364); the state is still recorded, so the next short wait finds it.
    /// </summary>
    private static async Task NetworkIdleAsync(IPage page)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await page.WaitForLoadStateAsync(LoadState.NetworkIdle, new() { Timeout = 1_000 });
                return;
            }
            catch (TimeoutException) when (attempt < 15)
            {
            }
        }
    }

    private static async Task CollectAsync(IPage page, List<string> problems)
    {
        var violations = await page.EvaluateAsync<string[]>("() => window.__policyViolations || ['the violation listener did not run']");
        lock (problems)
        {
            problems.AddRange(violations.Select(v => $"{page.Url}: {v}"));
        }
    }
}
