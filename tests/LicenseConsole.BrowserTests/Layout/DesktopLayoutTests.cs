using LicenseConsole.BrowserTests.Infrastructure;

namespace LicenseConsole.BrowserTests.Layout;

/// <summary>
/// The console on a desktop screen (1440×900) with names and keys as long as their fields allow, in English and
/// Chinese, on the app whose clock runs ahead (so devices are expiring and the lists are full): no table heading,
/// button, badge or figure breaks over two lines, nor any short text such as a date or a label (Chinese otherwise
/// breaks between any two characters: 总/数, 搜/索, 2026/1/2/8), every table fits its card without scrolling
/// sideways, and no Chinese text is followed by a half-width colon, semicolon or comma.
/// </summary>
public sealed class DesktopLayoutTests(ConsoleFixture fixture) : LayoutTest(fixture)
{
    [Theory]
    [InlineData("en")]
    [InlineData("zh-CN")]
    public async Task EveryPage_DesktopWidthAndLongNames_NoHeadingButtonBadgeOrFigureWrapsNoTableScrolls(string language)
    {
        var later = await NewPageAsync(await Fixture.LaterAppAsync());
        var (account, productKey, deviceKey) = await AccountWithLongNamesAsync();
        await SignInAsync(later, account);
        await later.GotoAsync("");
        if (language == "zh-CN")
        {
            await later.GetByTestId("culture-zh").ClickAsync();
            await Expect(later.Locator("html")).ToHaveAttributeAsync("lang", "zh-CN");
        }

        var problems = new List<string>();
        var checkedElements = 0;
        foreach (var path in EveryPage(productKey, deviceKey))
        {
            var response = await later.GotoAsync(path);
            Assert.True(response?.Status == 200, $"/{path} answered {response?.Status}");
            var found = await later.EvaluateAsync<PageLayout>(LayoutScript);
            checkedElements += found.Checked;
            problems.AddRange(found.Problems.Select(p => $"/{path}: {p}"));
            if (language == "zh-CN")
            {
                // Chinese punctuates with full-width marks: 套餐规格：, not 套餐规格:.
                var halfWidth = await later.EvaluateAsync<string[]>(@"() => (document.body.innerText.match(/[\u4e00-\u9fff][:;,]/g) || [])");
                problems.AddRange(halfWidth.Select(h => $"/{path}: a half-width mark after Chinese: {h}"));
            }

            await Screenshots.TourAsync(later, TourName(path, productKey, deviceKey), language);
        }

        Assert.True(problems.Count == 0, string.Join("\n", problems));

        // The check looked at what it is about: the headings, buttons, badges and figures of fifteen pages.
        Assert.True(checkedElements > 150, $"Only {checkedElements} headings, buttons, badges and figures were checked.");
    }

    public sealed class PageLayout
    {
        public int Checked { get; set; }

        public string[] Problems { get; set; } = [];
    }

    /// <summary>
    /// Counts the lines each visible heading, button, badge and figure takes (the distinct rows its text's boxes sit
    /// on), and measures each table against the box it scrolls in.
    /// </summary>
    private const string LayoutScript = """
        () => {
          const problems = [];
          const name = e => e.tagName.toLowerCase() + (e.dataset.testid ? `[${e.dataset.testid}]` : '') + (e.className && typeof e.className === 'string' ? '.' + e.className.trim().split(/\s+/).join('.') : '');
          const visible = e => { const r = e.getBoundingClientRect(); return r.width > 0 && r.height > 0 && getComputedStyle(e).visibility !== 'hidden'; };
          const lines = e => {
            const range = document.createRange();
            range.selectNodeContents(e);
            const middles = [...range.getClientRects()].filter(r => r.width > 0.5 && r.height > 0.5).map(r => r.top + r.height / 2).sort((a, b) => a - b);
            const lineHeight = parseFloat(getComputedStyle(e).fontSize);
            let count = 0, last = -Infinity;
            for (const m of middles) { if (m - last > lineHeight * 0.8) { count++; last = m; } }
            return count;
          };
          // Short texts: an element of at most 16 characters whose children are icons at most (a date, a label, a figure).
          const short = e => [...e.children].every(c => c.tagName === 'I') && e.textContent.trim().length <= 16;
          const candidates = new Set([
            ...document.querySelectorAll('main th, main .btn, main .badge, main td.text-end, main .stat-value, .topbar .btn, .topbar .badge'),
            ...[...document.querySelectorAll('main *')].filter(short),
          ]);
          let checked = 0;
          for (const e of candidates) {
            if (!visible(e) || !e.textContent.trim() || ['SCRIPT', 'STYLE', 'OPTION', 'TEXTAREA', 'INPUT', 'SELECT'].includes(e.tagName)) continue;
            checked++;
            const n = lines(e);
            if (n > 1) problems.push(`${name(e)} "${e.textContent.trim().replace(/\s+/g, ' ').slice(0, 40)}" takes ${n} lines`);
          }
          if (document.documentElement.scrollWidth > window.innerWidth) {
            problems.push(`the page is ${document.documentElement.scrollWidth} px wide in a ${window.innerWidth} px window`);
          }
          for (const box of document.querySelectorAll('main .table-responsive')) {
            if (visible(box) && box.scrollWidth > box.clientWidth + 1) {
              problems.push(`${name(box.querySelector('table'))} is ${box.scrollWidth} px wide in a ${box.clientWidth} px box`);
            }
          }
          return { checked, problems };
        }
        """;
}
