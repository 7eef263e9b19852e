using System.Net;
using System.Text.RegularExpressions;
using LicenseConsole.BrowserTests.Infrastructure;

namespace LicenseConsole.BrowserTests.Settings;

public sealed class OwnerSettingsTests(ConsoleFixture fixture) : ConsoleTest(fixture)
{
    private const string SubAccountPassword = "Sub-Account-2026";

    [Fact]
    public async Task Invite_SubAccountWithAPassword_ItCanSignInButNotOpenTheOwnersPages()
    {
        await SignedInAccountAsync();
        var email = $"sub-{Guid.NewGuid():N}@example.com";
        await Page.GotoAsync("settings/sub-accounts");

        await Page.GetByTestId("sub-account-email").FillAsync(email);
        await Page.GetByTestId("sub-account-password").FillAsync(SubAccountPassword);
        await Page.GetByTestId("invite-sub-account").ClickAsync();

        await Expect(Page.GetByTestId("success")).ToContainTextAsync($"{email} can now sign in as a sub-account.");
        var row = Page.Locator($"tr[data-sub-account='{email}']");
        await Expect(row.GetByTestId("sub-account-role")).ToHaveTextAsync("viewer");
        await Expect(row.GetByTestId("sub-account-products")).ToHaveTextAsync("All products");
        await Screenshots.SaveAsync(Page, "sub-accounts.png");

        var sub = await NewPageAsync();
        await SignInThroughTheFormAsync(sub, email, SubAccountPassword);
        await Expect(sub.GetByRole(AriaRole.Navigation)).ToContainTextAsync("Alert recipients");
        await Expect(sub.GetByRole(AriaRole.Navigation)).Not.ToContainTextAsync("Sub-accounts");
        foreach (var (ownersPage, right) in new[]
        {
            ("settings/sub-accounts", "manage sub-accounts, API keys and account settings"),
            ("settings/api-keys", "manage sub-accounts, API keys and account settings"),
            ("audit", "read the audit log"),
        })
        {
            var response = await sub.GotoAsync(ownersPage);
            Assert.Equal((int)HttpStatusCode.Forbidden, response!.Status);
            await Expect(sub.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Not allowed");
            await Expect(sub.GetByTestId("error-explanation")).ToContainTextAsync($"Your role (viewer) does not allow this: {right}.");
        }
    }

    [Fact]
    public async Task ApiKey_Created_IsShownOnceAndWorksUntilRevoked()
    {
        await SignedInAccountAsync();
        await Page.GotoAsync("settings/api-keys");

        await Page.GetByTestId("api-key-name").FillAsync("deploy script");
        await Page.GetByTestId("create-api-key").ClickAsync();

        await Expect(Page.GetByTestId("success")).ToContainTextAsync("Created the API key deploy script. Copy it now: it will not be shown again.");
        var key = (await Page.GetByTestId("new-api-key-value").TextContentAsync())!.Trim();
        Assert.StartsWith("lck_", key, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, await Api.SummaryStatusAsync(key));
        await Screenshots.SaveAsync(Page, "api-keys.png");

        await Page.ReloadAsync();
        await Expect(Page.GetByTestId("api-keys")).ToContainTextAsync("deploy script");
        await Expect(Page.GetByTestId("new-api-key")).ToHaveCountAsync(0);
        await Expect(Page.Locator("body")).Not.ToContainTextAsync(key);

        var confirms = AcceptDialogs(Page);
        var row = Page.GetByTestId("api-keys").Locator("tbody tr", new() { HasText = "deploy script" });
        await row.GetByTestId("revoke-key").ClickAsync();

        await Expect(Page.GetByTestId("success")).ToContainTextAsync("The API key was revoked.");
        await Expect(row.Locator("td").Nth(6)).ToContainTextAsync("Revoked");
        await Expect(row.GetByTestId("revoke-key")).ToHaveCountAsync(0);
        Assert.Equal(["Revoke deploy script? Scripts using it will stop working."], confirms);
        Assert.Equal(HttpStatusCode.Unauthorized, await Api.SummaryStatusAsync(key));
    }

    [Fact]
    public async Task AuditLog_AfterChanges_ListsThemWithWhoDidThemAndFiltersByAction()
    {
        var account = await SignedInAccountAsync();
        var productKey = await Api.ProductWithLicensesAsync(account, "Audited Lamp", 5);
        await Api.AddRecipientAsync(account, "Ops", "ops@example.com");
        await Api.SetProductAutoRenewAsync(account, productKey, enabled: false);
        await Page.GotoAsync($"products/{productKey}");

        await Page.GetByRole(AriaRole.Navigation).GetByRole(AriaRole.Link, new() { Name = "Audit log" }).ClickAsync();

        var rows = Page.GetByTestId("audit").Locator("tbody tr");
        var recipientAdded = rows.Filter(new() { HasText = "Added an alert recipient" });
        await Expect(recipientAdded).ToHaveCountAsync(1);
        await Expect(recipientAdded.Locator("td").Nth(1)).ToHaveTextAsync("api-key:browser tests");
        await Expect(recipientAdded.Locator("td").Nth(4)).ToContainTextAsync("ops@example.com");
        var autoRenew = rows.Filter(new() { HasText = "Switched product auto-renew" });
        await Expect(autoRenew).ToHaveCountAsync(1);
        await Expect(autoRenew.Locator("td").Nth(3)).ToHaveTextAsync(productKey);
        await Expect(rows.Filter(new() { HasText = "Created a product" })).ToHaveCountAsync(1);
        await Expect(rows.Filter(new() { HasText = "Bought licenses" })).ToHaveCountAsync(1);
        await Expect(rows.Filter(new() { HasText = "Created an API key" }).Locator("td").Nth(1)).ToHaveTextAsync("platform");
        await Screenshots.SaveAsync(Page, "audit-log.png");

        await Page.Locator("#a-action").SelectOptionAsync("recipient.add");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Filter" }).ClickAsync();

        await Expect(Page).ToHaveURLAsync(new Regex("Action=recipient.add"));
        await Expect(rows).ToHaveCountAsync(1);
        await Expect(rows.Locator("td").Nth(2)).ToHaveTextAsync("Added an alert recipient");
    }
}
