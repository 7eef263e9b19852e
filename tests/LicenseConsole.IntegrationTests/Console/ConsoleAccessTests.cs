using System.Net;
using System.Text;
using LicenseConsole.Accounts;
using LicenseConsole.IntegrationTests.Infrastructure;
using LicenseConsole.Licensing;
using LicenseConsole.Products;
using Microsoft.Extensions.DependencyInjection;

namespace LicenseConsole.IntegrationTests.Console;

/// <summary>Who may open what in the console, and the CSV exports.</summary>
public sealed class ConsoleAccessTests(PostgresApp app) : IClassFixture<PostgresApp>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("/settings/sub-accounts")]
    [InlineData("/settings/api-keys")]
    [InlineData("/audit")]
    [InlineData("/audit/export")]
    public async Task OwnerPages_SubAccount_IsForbidden(string path)
    {
        var (_, subAccount) = await WithSubAccountAsync();

        var response = await subAccount.GetAsync(path, Ct);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task OwnerActions_SubAccountPosting_IsForbiddenAndChangesNothing()
    {
        var (account, subAccount) = await WithSubAccountAsync();

        var response = await subAccount.PostWithAnyTokenAsync("/", "/settings/api-keys", new Dictionary<string, string> { ["Form.Name"] = "sneaky" });

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Empty(await app.RunAsync(account.Id, s => s.GetRequiredService<ApiKeyService>().ListAsync()));
    }

    [Fact]
    public async Task Recipients_SubAccountAfterTheOwnerRevokedIt_SeesThemLockedAndCannotAdd()
    {
        var (account, subAccount) = await WithSubAccountAsync();
        var owner = app.CreateClient();
        await owner.SignInAsync(account.OwnerEmail, TestAccounts.Password);
        var sub = Assert.Single(await app.RunAsync(account.Id, s => s.GetRequiredService<SubAccountService>().ListAsync()));
        await owner.PostFormAsync("/settings/sub-accounts", $"/settings/sub-accounts/{sub.Id}/access", new Dictionary<string, string> { ["Role"] = "operator" });

        var page = await (await subAccount.GetAsync("/alert-recipients", Ct)).Content.ReadAsStringAsync(Ct);
        var add = await subAccount.PostWithAnyTokenAsync("/alert-recipients", "/alert-recipients", new Dictionary<string, string> { ["Form.Name"] = "Ops", ["Form.Email"] = "ops@example.com" });

        Assert.Contains("data-testid=\"recipients-locked\"", page, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, add.StatusCode);
        Assert.Contains("Your role (operator) does not allow this: change the alert recipients.", await add.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Single(await app.RunAsync(account.Id, s => s.GetRequiredService<LicenseConsole.Alerts.AlertRecipientService>().ListAsync()));
    }

    [Fact]
    public async Task SubAccounts_InviteThenRemove_SignsInThenNoLonger()
    {
        var account = await TestAccounts.CreateAsync(app.Factory.Services);
        var owner = app.CreateClient();
        await owner.SignInAsync(account.OwnerEmail, TestAccounts.Password);
        var email = $"sub-{Guid.NewGuid():N}@example.com";

        var invited = await owner.PostFormAsync("/settings/sub-accounts", "/settings/sub-accounts", new Dictionary<string, string> { ["Form.Email"] = email, ["Form.Password"] = "Sub-Password-1" });
        var sub = app.CreateClient();
        var signedIn = await sub.SignInAsync(email, "Sub-Password-1");
        var id = (await app.RunAsync(account.Id, s => s.GetRequiredService<SubAccountService>().ListAsync())).Single().Id;
        await owner.PostFormAsync("/settings/sub-accounts", $"/settings/sub-accounts/{id}/remove", new Dictionary<string, string>());
        var again = await app.CreateClient().SignInAsync(email, "Sub-Password-1");

        Assert.Equal(HttpStatusCode.Redirect, invited.StatusCode);
        Assert.Equal(("/", HttpStatusCode.Redirect), (signedIn.Headers.Location!.OriginalString, signedIn.StatusCode));
        Assert.Equal(HttpStatusCode.Unauthorized, again.StatusCode);
        Assert.Contains("Invalid email or password.", await again.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SubAccounts_WeakPassword_IsRefusedBesideThePassword()
    {
        var account = await TestAccounts.CreateAsync(app.Factory.Services);
        var owner = app.CreateClient();
        await owner.SignInAsync(account.OwnerEmail, TestAccounts.Password);

        var response = await owner.PostFormAsync("/settings/sub-accounts", "/settings/sub-accounts", new Dictionary<string, string> { ["Form.Email"] = "weak@example.com", ["Form.Password"] = "alllowercase1" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("Passwords must have at least one uppercase", await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ApiKeys_Created_IsShownOnceAndWorksUntilRevoked()
    {
        var account = await TestAccounts.CreateAsync(app.Factory.Services);
        var owner = app.CreateClient();
        await owner.SignInAsync(account.OwnerEmail, TestAccounts.Password);

        await owner.PostFormAsync("/settings/api-keys", "/settings/api-keys", new Dictionary<string, string> { ["Form.Name"] = "reports" });
        var shown = await (await owner.GetAsync("/settings/api-keys", Ct)).Content.ReadAsStringAsync(Ct);
        var key = ConsoleClient.TestIdText(shown, "new-api-key-value");
        var shownAgain = await (await owner.GetAsync("/settings/api-keys", Ct)).Content.ReadAsStringAsync(Ct);
        using var script = app.Factory.CreateClient();
        script.DefaultRequestHeaders.Add("X-Api-Key", key);
        var before = await script.GetAsync("/api/v1/summary", Ct);
        var id = (await app.RunAsync(account.Id, s => s.GetRequiredService<ApiKeyService>().ListAsync())).Single().Id;
        await owner.PostFormAsync("/settings/api-keys", $"/settings/api-keys/{id}/revoke", new Dictionary<string, string>());
        var after = await script.GetAsync("/api/v1/summary", Ct);

        Assert.StartsWith("lck_", key, StringComparison.Ordinal);
        Assert.DoesNotContain(key, shownAgain, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
    }

    [Fact]
    public async Task ProductPages_AnotherAccountsProduct_AreNotFound()
    {
        var theirs = await TestAccounts.CreateAsync(app.Factory.Services);
        var product = (await app.RunAsync(theirs.Id, s => s.GetRequiredService<ProductService>().CreateAsync("Theirs", null))).ProductKey;
        await app.RunAsync(null, s => s.GetRequiredService<PurchaseService>().RecordAsync(new PurchaseRequest("o-" + Guid.NewGuid().ToString("N"), theirs.Id, "STD-1Y", 2, product)));
        await app.RunAsync(null, s => s.GetRequiredService<LicenseConsole.Devices.IDeviceConnections>().ConnectAsync(product, "dev-1", "cn-east"));
        var mine = await TestAccounts.CreateAsync(app.Factory.Services);
        var client = app.CreateClient();
        await client.SignInAsync(mine.OwnerEmail, TestAccounts.Password);

        foreach (var path in new[] { $"/products/{product}", $"/products/{product}/delete", $"/products/{product}/devices/dev-1", $"/allocations/options?productKey={product}" })
        {
            Assert.True((await client.GetAsync(path, Ct)).StatusCode == HttpStatusCode.NotFound, path);
        }

        foreach (var (action, fields) in new (string, Dictionary<string, string>)[]
        {
            ($"/products/{product}/auto-renew", new() { ["enabled"] = "false" }),
            ($"/products/{product}/delete", new() { ["confirm"] = product }),
            ($"/products/{product}/devices/dev-1/auto-renew", new() { ["enabled"] = "false" }),
            ($"/products/{product}/blacklist", new() { ["deviceKey"] = "dev-1", ["listed"] = "true" }),
        })
        {
            Assert.True((await client.PostWithAnyTokenAsync("/", action, fields)).StatusCode == HttpStatusCode.NotFound, action);
        }

        var untouched = await app.RunAsync(theirs.Id, s => s.GetRequiredService<ProductService>().RequireAsync(product));
        Assert.True(untouched.AutoRenew);
    }

    [Fact]
    public async Task ExpiringExport_StreamsCsvWithAHeaderAndDefusedFormulas()
    {
        var account = await TestAccounts.CreateAsync(app.Factory.Services);
        var product = (await app.RunAsync(account.Id, s => s.GetRequiredService<ProductService>().CreateAsync("=HYPERLINK(\"evil\")", null))).ProductKey;
        await app.RunAsync(null, s => s.GetRequiredService<PurchaseService>().RecordAsync(new PurchaseRequest("o-" + Guid.NewGuid().ToString("N"), account.Id, "STD-1Y", 2, product)));
        await app.RunAsync(null, s => s.GetRequiredService<LicenseConsole.Devices.IDeviceConnections>().ConnectAsync(product, "dev-1", "cn-east"));
        await using (var offset = new ConsoleAppFactory(app.Database, new Dictionary<string, string?> { ["Clock:Offset"] = "340.00:00:00" }))
        {
            var client = offset.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
            await client.SignInAsync(account.OwnerEmail, TestAccounts.Password);

            var response = await client.GetAsync("/devices/expiring/export", Ct);
            var bytes = await response.Content.ReadAsByteArrayAsync(Ct);
            var lines = Encoding.UTF8.GetString(bytes).TrimStart('\uFEFF').Split("\r\n", StringSplitOptions.RemoveEmptyEntries);

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("text/csv; charset=utf-8", response.Content.Headers.ContentType!.ToString());
            Assert.Equal([0xEF, 0xBB, 0xBF], bytes[..3]);
            Assert.Equal("Product name,Product key,Device key,Status,Activation date,Expiry date,Auto-renew,Last data center", lines[0]);
            var row = Assert.Single(lines[1..]);
            Assert.StartsWith("\"'=HYPERLINK(\"\"evil\"\")\"," + product + ",dev-1,Expiring soon,", row, StringComparison.Ordinal);

            // Dates in ISO 8601 with the account's offset (Asia/Shanghai), readable by any spreadsheet in any language.
            Assert.Matches(@",\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+08:00,\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+08:00,On,cn-east$", row);
        }
    }

    [Fact]
    public async Task AllocationRecords_ProductDeletedAfterItsAllocation_StaysAChoiceOfTheFilterMarkedDeleted()
    {
        var account = await TestAccounts.CreateAsync(app.Factory.Services);
        var (kept, deleted) = await app.RunAsync(account.Id, async s =>
        {
            var products = s.GetRequiredService<ProductService>();
            return ((await products.CreateAsync("Kept lamp", null)).ProductKey, (await products.CreateAsync("Gone lamp", null)).ProductKey);
        });
        await app.RunAsync(null, s => s.GetRequiredService<PurchaseService>().RecordAsync(new PurchaseRequest("o-" + Guid.NewGuid().ToString("N"), account.Id, "STD-1Y", 4, null)));
        await app.RunAsync(account.Id, async s =>
        {
            var allocations = s.GetRequiredService<AllocationService>();
            await allocations.AllocateAsync(kept, "STD-1Y", 2, null);
            await allocations.AllocateAsync(deleted, "STD-1Y", 2, null);
            await s.GetRequiredService<ProductService>().DeleteAsync(deleted, deleted);
            return true;
        });
        var owner = app.CreateClient();
        await owner.SignInAsync(account.OwnerEmail, TestAccounts.Password);

        var page = await (await owner.GetAsync("/allocations", Ct)).Content.ReadAsStringAsync(Ct);
        var filtered = await owner.GetAsync($"/allocations?productKey={deleted}", Ct);

        Assert.Contains($">Gone lamp ({deleted}) · Deleted</option>", page, StringComparison.Ordinal);
        Assert.Contains($">Kept lamp ({kept})</option>", page, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, filtered.StatusCode);
    }

    private async Task<(Account Account, HttpClient SubAccount)> WithSubAccountAsync()
    {
        var account = await TestAccounts.CreateAsync(app.Factory.Services);
        var email = $"sub-{Guid.NewGuid():N}@example.com";
        await app.RunAsync(account.Id, s => s.GetRequiredService<SubAccountService>().CreateAsync(new SubAccountChange(email, TestAccounts.Password, "operator")));
        var client = app.CreateClient();
        await client.SignInAsync(email, TestAccounts.Password);
        return (account, client);
    }
}
