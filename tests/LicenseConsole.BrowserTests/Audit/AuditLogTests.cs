using System.Text.RegularExpressions;
using LicenseConsole.BrowserTests.Infrastructure;

namespace LicenseConsole.BrowserTests.Audit;

/// <summary>
/// The audit log reads as a history on a desktop screen (1440×900), in English and Chinese: each action in words,
/// each change as "field: old → new". With a product name and emails as long as their fields allow, no column is
/// pushed off the screen, a time stays on one line and an action (Chinese too) on at most two. The action filter
/// offers the words and keeps the code in its URL; the CSV export keeps the codes and JSON and adds the words.
/// </summary>
public sealed class AuditLogTests(ConsoleFixture fixture) : ConsoleTest(fixture)
{
    private const int DesktopWidth = 1440;
    private const int DesktopHeight = 900;

    // As long as their fields allow, with runs no line break fits in.
    private static readonly string LongProductName =
        ("Door lock controller with a product name as long as the field allows " + new string('W', 200))[..200];

    private static readonly string LongEmail =
        new string('o', 60) + "@" + new string('a', 60) + "." + new string('b', 60) + "." + new string('c', 60) + ".com";

    private static readonly Expected English = new(
        "Switched product auto-renew", "Auto-renew: Off → On", "Auto-renew: On → Off",
        "Allocated licenses", "License spec: STD-1Y · Quantity: 10 · Licenses in the product: 0 → 10",
        "Created a product", "Product name: ", "Added an alert recipient", "Name: Ops desk · Email: ",
        "Added a sub-account", "Role: operator · Maintain the alert recipients: Yes · Products: ");

    private static readonly Expected Chinese = new(
        "切换产品自动续费", "自动续费：关闭 → 开启", "自动续费：开启 → 关闭",
        "分配激活码", "套餐规格：STD-1Y · 分配数量：10 · 产品激活码总数：0 → 10",
        "创建产品", "产品名称：", "添加接警人", "姓名：Ops desk · 邮箱：",
        "添加子账号", "角色：操作员 · 维护接警人：是 · 产品：");

    private ILocator Table => Page.GetByTestId("audit");

    [Theory]
    [InlineData("en")]
    [InlineData("zh-CN")]
    public async Task AuditLog_ChangesOfAnAccount_ReadAsActionsAndChangesInWords(string language)
    {
        var expected = language == "en" ? English : Chinese;
        var productKey = await SignedInWithHistoryAsync();

        await OpenAuditLogAsync(language);

        var autoRenew = Row("product.auto_renew");
        await Expect(autoRenew.Locator("td:nth-child(3)")).ToHaveTextAsync([expected.AutoRenewSwitched, expected.AutoRenewSwitched]);
        await Expect(autoRenew.Locator("td:nth-child(4)")).ToHaveTextAsync([productKey, productKey]);
        await Expect(autoRenew.Locator("td:nth-child(5)")).ToHaveTextAsync([expected.SwitchedOn, expected.SwitchedOff]);
        await Expect(Row("allocation.create").Locator("td:nth-child(3)")).ToHaveTextAsync(expected.Allocated);
        await Expect(Row("allocation.create").Locator("td:nth-child(5)")).ToHaveTextAsync(expected.Allocation);
        await Expect(Row("product.create").Locator("td:nth-child(3)")).ToHaveTextAsync(expected.ProductCreated);
        await Expect(Row("product.create").Locator("td:nth-child(5)")).ToHaveTextAsync(expected.ProductName + LongProductName);
        await Expect(Row("recipient.add").Locator("td:nth-child(3)")).ToHaveTextAsync(expected.RecipientAdded);
        await Expect(Row("recipient.add").Locator("td:nth-child(5)")).ToHaveTextAsync(expected.Recipient + LongEmail);
        await Expect(Row("sub_account.add").Locator("td:nth-child(3)")).ToHaveTextAsync(expected.SubAccountAdded);
        await Expect(Row("sub_account.add").Locator("td:nth-child(5)")).ToContainTextAsync(expected.SubAccount + productKey);

        // No code and no JSON left for a person to decipher.
        await Expect(Table).Not.ToContainTextAsync("auto_renew");
        await Expect(Table).Not.ToContainTextAsync("allocation.create");
        await Expect(Table).Not.ToContainTextAsync("{\"");
        await Screenshots.SaveAsync(Page, $"audit-log.{language}.png");
    }

    [Theory]
    [InlineData("en")]
    [InlineData("zh-CN")]
    public async Task AuditLog_DesktopWidthAndLongNames_FitsTheScreenTimesOnALineActionsInTwo(string language)
    {
        await SignedInWithHistoryAsync();

        await OpenAuditLogAsync(language);

        await Expect(Table.Locator("tbody tr")).ToHaveCountAsync(8);
        var layout = await Page.EvaluateAsync<TableLayout>("""
            () => {
              const table = document.querySelector('[data-testid="audit"]');
              const frame = table.closest('.table-responsive');
              const cells = [...table.querySelectorAll('th, td')];
              // The lines of a cell's text (the cell itself is as tall as its row), the most of a column's cells.
              const lines = column => Math.max(...[...table.querySelectorAll(`tbody td:nth-child(${column})`)].map(cell => {
                const text = document.createRange();
                text.selectNodeContents(cell);
                return Math.round(text.getBoundingClientRect().height / parseFloat(getComputedStyle(cell).lineHeight) * 10) / 10;
              }));
              return {
                windowWidth: window.innerWidth,
                pageWidth: document.documentElement.scrollWidth,
                cardWidth: frame.clientWidth,
                tableWidth: frame.scrollWidth,
                lastColumnRight: table.querySelector('thead th:last-child').getBoundingClientRect().right,
                cellsRight: Math.max(...cells.map(c => c.getBoundingClientRect().right)),
                timeLines: lines(1),
                actionLines: lines(3),
              };
            }
            """);

        Assert.True(layout.PageWidth <= layout.WindowWidth, $"The page is {layout.PageWidth} px wide in a {layout.WindowWidth} px window.");
        Assert.True(layout.TableWidth <= layout.CardWidth, $"The table is {layout.TableWidth} px wide in its {layout.CardWidth} px card: it scrolls sideways.");
        Assert.True(layout.LastColumnRight <= layout.WindowWidth, $"The Change column ends at {layout.LastColumnRight} px of a {layout.WindowWidth} px window.");
        Assert.True(layout.CellsRight <= layout.WindowWidth, $"A cell ends at {layout.CellsRight} px of a {layout.WindowWidth} px window.");
        Assert.True(layout.TimeLines < 2, $"A time takes {layout.TimeLines} lines.");
        Assert.True(layout.ActionLines < 3, $"An action takes {layout.ActionLines} lines.");
    }

    [Fact]
    public async Task ActionFilter_ChoiceInWords_FiltersByTheCodeInTheUrl()
    {
        await SignedInWithHistoryAsync();
        await OpenAuditLogAsync("en");
        await Expect(Page.Locator("#a-action option[value='allocation.create']")).ToHaveTextAsync("Allocated licenses");

        await Page.Locator("#a-action").SelectOptionAsync(new SelectOptionValue { Label = "Allocated licenses" });
        await Page.GetByRole(AriaRole.Button, new() { Name = "Filter" }).ClickAsync();

        await Expect(Page).ToHaveURLAsync(new Regex("Action=allocation.create"));
        await Expect(Table.Locator("tbody tr")).ToHaveCountAsync(1);
        await Expect(Table.Locator("tbody td:nth-child(3)")).ToHaveTextAsync("Allocated licenses");
        await Expect(Page.Locator("#a-action option:checked")).ToHaveTextAsync("Allocated licenses");
    }

    [Fact]
    public async Task Export_KeepsTheCodesAndJsonAndAddsTheWords()
    {
        var productKey = await SignedInWithHistoryAsync();

        var response = await Page.APIRequest.GetAsync("audit/export?Action=product.auto_renew");

        Assert.Equal(200, response.Status);
        var lines = (await response.TextAsync()).TrimStart('\uFEFF').Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("Time,Who,Action,Subject,Before,After,Action in words,Change", lines[0]);
        Assert.Equal(3, lines.Length);
        Assert.EndsWith($",product.auto_renew,{productKey},\"{{\"\"autoRenew\"\":false}}\",\"{{\"\"autoRenew\"\":true}}\",Switched product auto-renew,Auto-renew: Off → On", lines[1]);
        Assert.EndsWith($",product.auto_renew,{productKey},\"{{\"\"autoRenew\"\":true}}\",\"{{\"\"autoRenew\"\":false}}\",Switched product auto-renew,Auto-renew: On → Off", lines[2]);
    }

    private ILocator Row(string action) => Table.Locator($"tbody tr[data-action='{action}']");

    /// <summary>
    /// A new account of an owner with a long email, with the test's page signed in as the owner and a history: a
    /// product named as long as the field allows, licenses bought and allocated to it, its auto-renew switched off and
    /// on again, a recipient with a long email and a sub-account limited to the product.
    /// </summary>
    private async Task<string> SignedInWithHistoryAsync()
    {
        // The owner adds the sub-account through the console, so the owner's long email is the actor of that entry.
        var account = await Api.CreateAccountAsync(emailPrefix: "night-shift-owner-" + new string('n', 150));
        await SignInAsync(Page, account);
        var productKey = await Api.CreateProductAsync(account, LongProductName);
        await Api.BuyAsync(account, "STD-1Y", 30);
        await Api.AllocateAsync(account, productKey, "STD-1Y", 10);
        await Api.SetProductAutoRenewAsync(account, productKey, enabled: false);
        await Api.SetProductAutoRenewAsync(account, productKey, enabled: true);
        await Api.AddRecipientAsync(account, "Ops desk", LongEmail);
        await SubAccountAsync(account, "operator", true, productKey);
        return productKey;
    }

    private async Task OpenAuditLogAsync(string language)
    {
        await Page.SetViewportSizeAsync(DesktopWidth, DesktopHeight);
        await Page.GotoAsync("audit");
        if (language == "zh-CN")
        {
            await Page.GetByTestId("culture-zh").ClickAsync();
            await Expect(Page.Locator("html")).ToHaveAttributeAsync("lang", "zh-CN");
        }

        await Expect(Table).ToBeVisibleAsync();
    }

    /// <summary>What the log says in one language (the product key, name and email follow the last words of a change).</summary>
    private sealed record Expected(
        string AutoRenewSwitched, string SwitchedOn, string SwitchedOff, string Allocated, string Allocation, string ProductCreated,
        string ProductName, string RecipientAdded, string Recipient, string SubAccountAdded, string SubAccount);

    private sealed class TableLayout
    {
        public double WindowWidth { get; init; }

        public double PageWidth { get; init; }

        public double CardWidth { get; init; }

        public double TableWidth { get; init; }

        public double LastColumnRight { get; init; }

        public double CellsRight { get; init; }

        public double TimeLines { get; init; }

        public double ActionLines { get; init; }
    }
}
