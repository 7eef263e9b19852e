using System.Globalization;
using System.Text.RegularExpressions;
using LicenseConsole.BrowserTests.Infrastructure;

namespace LicenseConsole.BrowserTests.Culture;

public sealed class LanguageTests(ConsoleFixture fixture) : ConsoleTest(fixture)
{
    private ILocator Sidebar => Page.GetByRole(AriaRole.Navigation);

    [Fact]
    public async Task SwitchLanguage_Chinese_TheConsoleIsInChineseAndStaysSoOnTheNextPage()
    {
        var sample = await SampleAccount.CreateAsync(Api);
        await SignInAsync(Page, sample.Account);
        await Page.GotoAsync("");
        await Expect(Sidebar).ToContainTextAsync("License management");

        await Page.GetByTestId("culture-zh").ClickAsync();

        await Expect(Page.Locator("html")).ToHaveAttributeAsync("lang", "zh-CN");
        await Expect(Sidebar).ToContainTextAsync("激活码管理");
        await Expect(Sidebar).ToContainTextAsync("产品激活码列表");
        await Expect(Page.GetByTestId("total")).ToHaveTextAsync(sample.Total.ToString(CultureInfo.InvariantCulture));

        await Sidebar.GetByRole(AriaRole.Link, new() { Name = "产品激活码列表" }).ClickAsync();

        await Expect(Page).ToHaveURLAsync(new Regex("/products$"));
        await Expect(Page.Locator(".topbar-title")).ToHaveTextAsync("产品激活码列表");
        await Expect(Page.Locator("html")).ToHaveAttributeAsync("lang", "zh-CN");
    }

    [Fact]
    public async Task SwitchLanguage_BackToEnglish_TheConsoleIsInEnglishAgain()
    {
        await SignedInAccountAsync();
        await Page.GotoAsync("");
        await Page.GetByTestId("culture-zh").ClickAsync();
        await Expect(Sidebar).ToContainTextAsync("产品激活码列表");
        await Page.GotoAsync("alert-recipients");

        await Page.GetByTestId("culture-en").ClickAsync();

        await Expect(Page).ToHaveURLAsync(new Regex("/alert-recipients$"));
        await Expect(Page.Locator("html")).ToHaveAttributeAsync("lang", "en");
        await Expect(Sidebar).ToContainTextAsync("Product licenses");
        await Expect(Sidebar).Not.ToContainTextAsync("产品激活码列表");
        await Page.GotoAsync("products");
        await Expect(Page.Locator(".topbar-title")).ToHaveTextAsync("Product licenses");
    }
}
