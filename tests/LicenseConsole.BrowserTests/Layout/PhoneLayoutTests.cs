using System.Text.RegularExpressions;
using LicenseConsole.BrowserTests.Infrastructure;

namespace LicenseConsole.BrowserTests.Layout;

/// <summary>
/// The console on a phone (390×844, as a user found it in Chromium) and on a tablet held upright (768×1024), with
/// names and keys as long as their fields allow: no page scrolls sideways, nor any list in its box (a list's rows
/// are cards on these screens), the title takes at most two lines, the top bar's controls stay on the screen,
/// and the sidebar stays out of the way until the top bar's menu button opens it. And the tab's title names the
/// page once.
/// </summary>
public sealed class PhoneLayoutTests(ConsoleFixture fixture) : LayoutTest(fixture)
{
    private const int PhoneWidth = 390;
    private const int PhoneHeight = 844;
    private const int TabletWidth = 768;
    private const int TabletHeight = 1024;

    [Theory]
    [InlineData("en", "Main menu", "Alert recipients", PhoneWidth, PhoneHeight)]
    [InlineData("zh-CN", "主菜单", "接警人设置", PhoneWidth, PhoneHeight)]
    [InlineData("en", "Main menu", "Alert recipients", TabletWidth, TabletHeight)]
    [InlineData("zh-CN", "主菜单", "接警人设置", TabletWidth, TabletHeight)]
    public async Task EveryPage_NarrowScreenAndLongNames_NoSidewaysScrollTitleInTwoLinesMenuBehindItsButton(string language, string menuName, string linkName, int width, int height)
    {
        var (account, productKey, deviceKey) = await AccountWithLongNamesAsync();
        await SignInAsync(Page, account);
        await Page.SetViewportSizeAsync(width, height);
        await Page.GotoAsync("");
        if (language == "zh-CN")
        {
            await Page.GetByTestId("culture-zh").ClickAsync();
            await Expect(Page.Locator("html")).ToHaveAttributeAsync("lang", "zh-CN");
        }

        var problems = new List<string>();
        foreach (var path in EveryPage(productKey, deviceKey))
        {
            var response = await Page.GotoAsync(path);
            Assert.True(response?.Status == 200, $"/{path} answered {response?.Status}");
            problems.AddRange((await LayoutProblemsAsync(Page)).Select(p => $"/{path}: {p}"));
            await Screenshots.TourAsync(Page, TourName(path, productKey, deviceKey), language);
            await MenuOpensFromItsButtonAsync(Page, menuName, path);
        }

        Assert.True(problems.Count == 0, string.Join("\n", problems));

        // The menu's links work: one of them leads to its page, where the menu is closed again.
        await Page.GotoAsync("");
        var menu = Page.GetByRole(AriaRole.Navigation, new() { Name = menuName });
        await Page.GetByTestId("menu-toggle").ClickAsync();
        await menu.GetByRole(AriaRole.Link, new() { Name = linkName }).ClickAsync();
        await Expect(Page).ToHaveURLAsync(new Regex("/alert-recipients$"));
        await Expect(Page.Locator(".topbar-title")).ToHaveTextAsync(linkName);
        await Expect(menu).ToBeHiddenAsync();
    }

    [Theory]
    [InlineData("en")]
    [InlineData("zh-CN")]
    public async Task UserMenu_PhoneWidth_OpensInsideTheScreen(string language)
    {
        await SignedInAccountAsync();
        await Page.SetViewportSizeAsync(PhoneWidth, PhoneHeight);
        await Page.GotoAsync("");
        if (language == "zh-CN")
        {
            await Page.GetByTestId("culture-zh").ClickAsync();
            await Expect(Page.Locator("html")).ToHaveAttributeAsync("lang", "zh-CN");
        }

        await Page.GetByTestId("user-menu").ClickAsync();

        var menu = Page.Locator(".dropdown-menu.show");
        await Expect(menu.GetByTestId("change-password-link")).ToBeVisibleAsync();
        await Expect(menu.GetByTestId("sign-out")).ToBeVisibleAsync();
        var box = (await menu.BoundingBoxAsync())!;
        Assert.True(box.X >= 0 && box.X + box.Width <= PhoneWidth, $"The user menu spans {box.X}–{box.X + box.Width} px of a {PhoneWidth} px screen.");
        await menu.GetByTestId("change-password-link").ClickAsync();
        await Expect(Page).ToHaveURLAsync(new Regex("/account/password$"));
    }

    [Fact]
    public async Task SamplePages_Phone_FitTheScreenInBothLanguagesWithListsAsLabelledCards()
    {
        var sample = await SampleAccount.CreateAsync(Api);
        var thermostat = sample.Products.Single(p => p.Name == "Smart Thermostat");
        var later = await NewPageAsync(await Fixture.LaterAppAsync());
        await SignInAsync(later, sample.Account);
        await later.SetViewportSizeAsync(PhoneWidth, PhoneHeight);

        await later.GotoAsync("");
        await Expect(later.Locator("#forecast-chart")).ToBeVisibleAsync();
        Assert.Empty(await LayoutProblemsAsync(later));
        await Screenshots.SaveAsync(later, "dashboard.phone.en.png");

        // A list's row is a card whose cells name their column.
        await later.GotoAsync($"products/{thermostat.ProductKey}");
        var firstDevice = later.GetByTestId("devices").Locator("tbody tr").First;
        await Expect(firstDevice.Locator("td").First).ToHaveAttributeAsync("data-label", "Device key");
        Assert.Equal("block", await firstDevice.EvaluateAsync<string>("row => getComputedStyle(row).display"));
        Assert.Empty(await LayoutProblemsAsync(later));
        await Screenshots.SaveAsync(later, "product-detail.phone.en.png");

        await later.GetByTestId("culture-zh").ClickAsync();
        await Expect(later.Locator("html")).ToHaveAttributeAsync("lang", "zh-CN");
        foreach (var (path, file) in new[] { ("", "dashboard.phone.zh.png"), ("products", "products.phone.zh.png"), ("devices/expiring", "expiring.phone.zh.png") })
        {
            await later.GotoAsync(path);
            Assert.Empty(await LayoutProblemsAsync(later));
            await Screenshots.SaveAsync(later, file);
        }

        await Expect(later.GetByTestId("expiring-devices").Locator("tbody tr").First.Locator("td").First).ToHaveAttributeAsync("data-label", "产品名称");

        // What a card's cell holds keeps its size: the usage bar is drawn, not squeezed to nothing.
        await later.GotoAsync("products");
        await Expect(later.GetByTestId("products").Locator("tbody tr").First.Locator(".progress-bar")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task BrowserTitle_EveryKindOfPage_NamesThePageOnceThenTheConsole()
    {
        var anonymous = await NewPageAsync();
        await anonymous.GotoAsync("account/sign-in");
        await Expect(anonymous).ToHaveTitleAsync("Sign in · LicenseConsole");

        await SignedInAccountAsync();
        await Page.GotoAsync("");
        await Expect(Page).ToHaveTitleAsync("License management · LicenseConsole");
        await Page.GotoAsync("products");
        await Expect(Page).ToHaveTitleAsync("Product licenses · LicenseConsole");

        await Page.GetByTestId("culture-zh").ClickAsync();
        await Expect(Page).ToHaveTitleAsync("产品激活码列表 · LicenseConsole");
        await Page.GotoAsync("");
        await Expect(Page).ToHaveTitleAsync("激活码管理 · LicenseConsole");
    }

    /// <summary>What is wrong with the page's layout at its width: sideways scroll, a title over two lines, top-bar controls off the screen.</summary>
    private static async Task<IReadOnlyList<string>> LayoutProblemsAsync(IPage page) =>
        await page.EvaluateAsync<string[]>("""
            () => {
              const problems = [];
              const width = window.innerWidth;
              const name = e => e.tagName.toLowerCase() + (e.dataset.testid ? `[${e.dataset.testid}]` : '') + (e.className && typeof e.className === 'string' ? '.' + e.className.trim().split(/\s+/).join('.') : '');
              if (document.documentElement.scrollWidth > width) {
                const scrolled = e => { for (let p = e.parentElement; p; p = p.parentElement) { if (['auto', 'scroll', 'hidden'].includes(getComputedStyle(p).overflowX)) return true; } return false; };
                const beyond = e => e.getBoundingClientRect().right > width + 0.5 && !scrolled(e);
                const wide = [...document.querySelectorAll('body *')].filter(e => beyond(e) && ![...e.children].some(beyond)).slice(0, 5).map(name);
                problems.push(`the page is ${document.documentElement.scrollWidth} px wide in a ${width} px window; beyond it: ${wide.join(', ')}`);
              }
              for (const box of document.querySelectorAll('main .table-responsive')) {
                if (box.getBoundingClientRect().width > 0 && box.scrollWidth > box.clientWidth + 1) {
                  problems.push(`${name(box.querySelector('table'))} scrolls sideways: ${box.scrollWidth} px in a ${box.clientWidth} px box`);
                }
              }
              const title = document.querySelector('.topbar-title');
              const lines = title.getBoundingClientRect().height / parseFloat(getComputedStyle(title).lineHeight);
              if (lines > 2.05) {
                problems.push(`the title takes ${lines.toFixed(1)} lines`);
              }
              for (const id of ['menu-toggle', 'data-center', 'culture-switch', 'user-menu']) {
                const box = document.querySelector(`[data-testid="${id}"]`).getBoundingClientRect();
                if (box.width === 0 || box.left < 0 || box.right > width + 0.5) {
                  problems.push(`${id} spans ${box.left.toFixed(0)}–${box.right.toFixed(0)} px`);
                }
              }
              return problems;
            }
            """);

    /// <summary>The sidebar is hidden; its button opens it (with its links on the screen) and Escape closes it.</summary>
    private static async Task MenuOpensFromItsButtonAsync(IPage page, string menuName, string path)
    {
        var menu = page.GetByRole(AriaRole.Navigation, new() { Name = menuName });
        var toggle = page.GetByTestId("menu-toggle");
        await Expect(menu).ToBeHiddenAsync();
        await Expect(toggle).ToHaveAttributeAsync("aria-expanded", "false");

        await toggle.ClickAsync();

        await Expect(menu).ToBeVisibleAsync();
        await Expect(toggle).ToHaveAttributeAsync("aria-expanded", "true");
        var links = menu.GetByRole(AriaRole.Link);
        Assert.True(await links.CountAsync() >= 8, $"/{path}: the owner's menu has {await links.CountAsync()} links.");
        foreach (var link in await links.AllAsync())
        {
            await Expect(link).ToBeInViewportAsync();
        }

        await page.Keyboard.PressAsync("Escape");
        await Expect(menu).ToBeHiddenAsync();
        await Expect(toggle).ToHaveAttributeAsync("aria-expanded", "false");
        await Expect(toggle).ToBeFocusedAsync();
    }
}
