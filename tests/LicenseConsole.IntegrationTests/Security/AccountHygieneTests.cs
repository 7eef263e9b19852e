using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using LicenseConsole.Accounts;
using LicenseConsole.IntegrationTests.Api;
using LicenseConsole.IntegrationTests.Infrastructure;
using LicenseConsole.Products;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LicenseConsole.IntegrationTests.Security;

/// <summary>
/// Sessions end on the server: signing out, a password change, the owner's new password for a sub-account and
/// removing a sub-account end them on every instance of the app; a changed role or scope holds from the next
/// request; a limited caller sees only its products.
/// </summary>
public sealed class AccountHygieneTests(SecurityHosts hosts) : IClassFixture<SecurityHosts>
{
    private const string NewPassword = "Changed-Password-2027";
    private readonly WebApplicationFactory<Program> _host = hosts.Shared("testing", h => h.Start("Testing"));
    private readonly WebApplicationFactory<Program> _otherInstance = hosts.Shared("testing, second instance", h => h.Start("Testing"));

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task SignOut_ACopiedCookie_NoLongerOpensAnything()
    {
        var account = await TestAccounts.CreateAsync(_host.Services);
        using var browser = SecurityHosts.Client(_host);
        using var signIn = await browser.SignInAsync(account.OwnerEmail, TestAccounts.Password);
        using var copy = CopyOf(_host, signIn);
        Assert.Equal(HttpStatusCode.OK, (await copy.GetAsync("/settings/api-keys", Ct)).StatusCode);

        await browser.PostFormAsync("/", "/account/sign-out", new Dictionary<string, string>());

        Assert.Equal(HttpStatusCode.Redirect, (await copy.GetAsync("/settings/api-keys", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await copy.GetAsync("/api/v1/summary", Ct)).StatusCode);
    }

    [Fact]
    public async Task PasswordChange_EndsTheOtherSessionsButNotThisOne()
    {
        var account = await TestAccounts.CreateAsync(_host.Services);
        using var here = SecurityHosts.Client(_host);
        using var elsewhere = SecurityHosts.Client(_otherInstance);
        await here.SignInAsync(account.OwnerEmail, TestAccounts.Password);
        await elsewhere.SignInAsync(account.OwnerEmail, TestAccounts.Password);

        using var changed = await here.PostFormAsync("/account/password", "/account/password",
            new Dictionary<string, string> { ["CurrentPassword"] = TestAccounts.Password, ["NewPassword"] = NewPassword });

        Assert.Equal(HttpStatusCode.Redirect, changed.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await here.GetAsync("/", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await elsewhere.GetAsync("/", Ct)).StatusCode);
        using var again = SecurityHosts.Client(_host);
        Assert.Equal(HttpStatusCode.Unauthorized, (await again.SignInAsync(account.OwnerEmail, TestAccounts.Password)).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await again.SignInAsync(account.OwnerEmail, NewPassword)).StatusCode);
    }

    [Fact]
    public async Task PasswordChange_WrongCurrentPassword_ChangesNothingAndSaysSoBesideTheField()
    {
        var account = await TestAccounts.CreateAsync(_host.Services);
        using var here = SecurityHosts.Client(_host);
        await here.SignInAsync(account.OwnerEmail, TestAccounts.Password);

        using var refused = await here.PostFormAsync("/account/password", "/account/password",
            new Dictionary<string, string> { ["CurrentPassword"] = "Not-The-Password-1", ["NewPassword"] = NewPassword });

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("The current password is not right.", await refused.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        using var again = SecurityHosts.Client(_host);
        Assert.Equal(HttpStatusCode.Redirect, (await again.SignInAsync(account.OwnerEmail, TestAccounts.Password)).StatusCode);
    }

    [Fact]
    public async Task OwnerSetsASubAccountsPassword_EndsItsSessionsOnEveryInstance()
    {
        var (account, sub, owner) = await WithSubAccountAsync(AccessRole.Operator);
        using var subBrowser = SecurityHosts.Client(_otherInstance);
        await subBrowser.SignInAsync(sub.Email, TestAccounts.Password);

        using var set = await owner.PutJsonAsync($"/api/v1/sub-accounts/{sub.Id}", new { password = NewPassword }, await TokenAsync(owner));

        Assert.Equal(HttpStatusCode.OK, set.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await subBrowser.GetAsync("/", Ct)).StatusCode);
        await using var db = hosts.Database.CreatePlatformContext();
        Assert.Contains(await db.AuditEntries.Where(e => e.AccountId == account.Id).Select(e => e.Action).ToListAsync(Ct), a => a == "sub_account.password");
    }

    [Fact]
    public async Task RemovedSubAccount_IsSignedOutOnItsNextRequestOnAnotherInstance()
    {
        var (_, sub, owner) = await WithSubAccountAsync(AccessRole.Admin);
        using var subBrowser = SecurityHosts.Client(_otherInstance);
        await subBrowser.SignInAsync(sub.Email, TestAccounts.Password);
        Assert.Equal(HttpStatusCode.OK, (await subBrowser.GetAsync("/audit", Ct)).StatusCode);

        using var removed = await owner.SendAsync(Json(HttpMethod.Delete, $"/api/v1/sub-accounts/{sub.Id}", null, await TokenAsync(owner)), Ct);

        Assert.Equal(HttpStatusCode.NoContent, removed.StatusCode);
        var next = await subBrowser.GetAsync("/audit", Ct);
        Assert.Equal(HttpStatusCode.Redirect, next.StatusCode);
        Assert.Contains("/account/sign-in", next.Headers.Location?.OriginalString, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RoleChange_HoldsFromTheSubAccountsNextRequest_AndIsAudited()
    {
        var (account, sub, owner) = await WithSubAccountAsync(AccessRole.Operator);
        using var subBrowser = SecurityHosts.Client(_otherInstance);
        await subBrowser.SignInAsync(sub.Email, TestAccounts.Password);
        var token = await TokenAsync(subBrowser);
        Assert.Equal(HttpStatusCode.Created, (await subBrowser.PostJsonAsync("/api/v1/products", new { name = "Before" }, token)).StatusCode);

        using var demoted = await owner.PutJsonAsync($"/api/v1/sub-accounts/{sub.Id}", new { role = "viewer" }, await TokenAsync(owner));

        Assert.Equal("viewer", JsonDocument.Parse(await demoted.Content.ReadAsStringAsync(Ct)).RootElement.GetProperty("role").GetString());
        using var refused = await subBrowser.PostJsonAsync("/api/v1/products", new { name = "After" }, token);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal("forbidden", JsonDocument.Parse(await refused.Content.ReadAsStringAsync(Ct)).RootElement.GetProperty("code").GetString());
        await using var db = hosts.Database.CreatePlatformContext();
        var change = await db.AuditEntries.SingleAsync(e => e.AccountId == account.Id && e.Action == "sub_account.change", Ct);
        Assert.Contains("\"role\":\"operator\"", change.Before, StringComparison.Ordinal);
        Assert.Contains("\"role\":\"viewer\"", change.After, StringComparison.Ordinal);
        Assert.Equal(1, await db.Products.CountAsync(p => p.AccountId == account.Id, Ct));
    }

    [Fact]
    public async Task LimitedKey_SeesItsProductsAloneAndWhatItCreatesJoinsThem()
    {
        var account = await TestAccounts.CreateAsync(_host.Services);
        var (mine, theirs) = await WithScopeAsync(account.Id, async s =>
        {
            var products = s.GetRequiredService<ProductService>();
            return ((await products.CreateAsync("Mine", null)).ProductKey, (await products.CreateAsync("Not mine", null)).ProductKey);
        });
        var key = await WithScopeAsync(account.Id, s => s.GetRequiredService<ApiKeyService>().CreateAsync("limited", "operator", [mine]));
        using var client = SecurityHosts.Client(_host, apiKey: key.Key);

        var created = await (await client.PostJsonAsync("/api/v1/products", new { name = "Made by the key" })).ExpectJsonAsync(HttpStatusCode.Created);
        var listed = await (await client.GetAsync("/api/v1/products", Ct)).ExpectJsonAsync(HttpStatusCode.OK);
        var other = await client.GetAsync($"/api/v1/products/{theirs}", Ct);
        var me = await (await client.GetAsync("/api/v1/me", Ct)).ExpectJsonAsync(HttpStatusCode.OK);

        var expected = new[] { mine, created.Str("productKey") }.Order(StringComparer.Ordinal).ToList();
        Assert.Equal(expected, listed.GetProperty("items").EnumerateArray().Select(p => p.Str("productKey")).Order(StringComparer.Ordinal));
        Assert.Equal(HttpStatusCode.NotFound, other.StatusCode);
        Assert.Equal(expected, me.GetProperty("productKeys").EnumerateArray().Select(p => p.GetString()!));
        Assert.Equal(("limited", "operator"), (me.Str("keyName"), me.Str("role")));
    }

    [Fact]
    public async Task LimitedSubAccount_SummaryCountsItsProductsAloneBesideTheSharedUnallocatedPool()
    {
        var account = await TestAccounts.CreateAsync(_host.Services);
        using var platform = SecurityHosts.Client(_host, apiKey: SecurityHosts.PlatformKey);
        var (mine, theirs) = await WithScopeAsync(account.Id, async s =>
        {
            var products = s.GetRequiredService<ProductService>();
            return ((await products.CreateAsync("Mine", null)).ProductKey, (await products.CreateAsync("Not mine", null)).ProductKey);
        });
        foreach (var (product, quantity) in new[] { ((string?)mine, 3), (theirs, 5), (null, 7) })
        {
            await (await platform.PostJsonAsync("/api/v1/purchases", new { orderId = ApiCalls.NewKey("o-"), accountId = account.Id, specCode = "STD-1Y", quantity, productKey = product }))
                .ExpectJsonAsync(HttpStatusCode.Created);
        }

        var sub = await WithScopeAsync(account.Id, s => s.GetRequiredService<SubAccountService>()
            .CreateAsync(new SubAccountChange($"limited-{Guid.NewGuid():N}@example.com", TestAccounts.Password, "viewer", ProductKeys: [mine])));
        using var browser = SecurityHosts.Client(_host);
        await browser.SignInAsync(sub.Email, TestAccounts.Password);
        using var ownerBrowser = SecurityHosts.Client(_host);
        await ownerBrowser.SignInAsync(account.OwnerEmail, TestAccounts.Password);

        var limited = await (await browser.GetAsync("/api/v1/summary", Ct)).ExpectJsonAsync(HttpStatusCode.OK);
        var whole = await (await ownerBrowser.GetAsync("/api/v1/summary", Ct)).ExpectJsonAsync(HttpStatusCode.OK);

        Assert.Equal((3L, 3L, 7L), (limited.Long("total"), limited.Long("remaining"), limited.Long("unallocated")));
        Assert.Equal((15L, 15L, 7L), (whole.Long("total"), whole.Long("remaining"), whole.Long("unallocated")));
    }

    [Fact]
    public async Task SubAccountApi_CreateWithAnotherAccountsProduct_IsRefusedAndCreatesNobody()
    {
        var (account, _, owner) = await WithSubAccountAsync(AccessRole.Viewer);
        var other = await TestAccounts.CreateAsync(_host.Services);
        var theirs = await WithScopeAsync(other.Id, async s => (await s.GetRequiredService<ProductService>().CreateAsync("Theirs", null)).ProductKey);

        using var refused = await owner.PostJsonAsync("/api/v1/sub-accounts",
            new { email = $"x-{Guid.NewGuid():N}@example.com", password = TestAccounts.Password, role = "operator", productKeys = new[] { theirs } }, await TokenAsync(owner));

        var problem = await refused.ExpectProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
        Assert.Contains(theirs, problem.Str("detail"), StringComparison.Ordinal);
        Assert.Single(await WithScopeAsync(account.Id, s => s.GetRequiredService<SubAccountService>().ListAsync()));
    }

    [Fact]
    public async Task Invite_OnlyTheTickedWithNoneTicked_IsShownAgainWithThatChoiceAndInvitesNobody()
    {
        var account = await TestAccounts.CreateAsync(_host.Services);
        using var owner = SecurityHosts.Client(_host);
        await owner.SignInAsync(account.OwnerEmail, TestAccounts.Password);

        using var refused = await owner.PostFormAsync("/settings/sub-accounts", "/settings/sub-accounts", new Dictionary<string, string>
        {
            ["Form.Email"] = $"sub-{Guid.NewGuid():N}@example.com",
            ["Form.Password"] = TestAccounts.Password,
            ["Form.ProductScope"] = "chosen",
        });

        var page = await refused.Content.ReadAsStringAsync(Ct);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("Tick at least one product, or choose every product.", page, StringComparison.Ordinal);
        Assert.Matches("<input[^>]*checked=\"checked\"[^>]*data-testid=\"sub-account-products-choice-chosen\"", page);
        Assert.DoesNotMatch("<input[^>]*checked=\"checked\"[^>]*data-testid=\"sub-account-products-choice-all\"", page);
        Assert.Empty(await WithScopeAsync(account.Id, s => s.GetRequiredService<SubAccountService>().ListAsync()));
    }

    [Fact]
    public async Task TestEmail_SmtpServerConfigured_SaysTheEmailIsOnItsWay()
    {
        var host = hosts.Shared("testing, smtp", h => h.Start("Testing", new Dictionary<string, string?> { ["Smtp:Host"] = "127.0.0.1", ["Email:DispatchInterval"] = "01:00:00" }));
        var account = await TestAccounts.CreateAsync(host.Services);
        using var owner = SecurityHosts.Client(host);
        await owner.SignInAsync(account.OwnerEmail, TestAccounts.Password);

        await owner.PostFormAsync("/alert-recipients", "/alert-recipients/test-email", new Dictionary<string, string>());
        var landing = await (await owner.GetAsync("/alert-recipients", Ct)).Content.ReadAsStringAsync(Ct);

        Assert.Contains("A test email is on its way to 1 recipient(s).", landing, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TestEmail_FourthPressWithinTheHour_IsRefusedAndQueuesNothing()
    {
        var account = await TestAccounts.CreateAsync(_host.Services);
        using var owner = SecurityHosts.Client(_host);
        await owner.SignInAsync(account.OwnerEmail, TestAccounts.Password);
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.Redirect, (await owner.PostFormAsync("/alert-recipients", "/alert-recipients/test-email", new Dictionary<string, string>())).StatusCode);
        }

        using var fourth = await owner.PostFormAsync("/alert-recipients", "/alert-recipients/test-email", new Dictionary<string, string>());

        var page = await fourth.Content.ReadAsStringAsync(Ct);
        Assert.True(fourth.StatusCode == HttpStatusCode.TooManyRequests, $"{(int)fourth.StatusCode}: {ConsoleClient.TestIdText(page, "error-explanation")}");
        Assert.Contains("Too many test emails", page, StringComparison.Ordinal);
        await using var db = hosts.Database.CreatePlatformContext();
        Assert.Equal(3, await db.OutboxEmails.CountAsync(e => e.AccountId == account.Id, Ct));
    }

    private async Task<(Account Account, SubAccountRecord Sub, HttpClient Owner)> WithSubAccountAsync(AccessRole role)
    {
        var account = await TestAccounts.CreateAsync(_host.Services);
        var sub = await WithScopeAsync(account.Id, s => s.GetRequiredService<SubAccountService>()
            .CreateAsync(new SubAccountChange($"sub-{Guid.NewGuid():N}@example.com", TestAccounts.Password, Rights.Name(role))));
        var owner = SecurityHosts.Client(_host);
        await owner.SignInAsync(account.OwnerEmail, TestAccounts.Password);
        return (account, sub, owner);
    }

    private async Task<T> WithScopeAsync<T>(Guid accountId, Func<IServiceProvider, Task<T>> work)
    {
        await using var scope = _host.Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<TenantContext>().ActForOwner(accountId, "owner@example.com");
        return await work(scope.ServiceProvider);
    }

    /// <summary>A second browser holding nothing but a copy of the sign-in cookie that <paramref name="signIn"/> set.</summary>
    private static HttpClient CopyOf(WebApplicationFactory<Program> host, HttpResponseMessage signIn)
    {
        var cookies = signIn.Headers.GetValues("Set-Cookie").Where(c => c.StartsWith("LicenseConsole.Auth", StringComparison.Ordinal)).Select(c => c.Split(';')[0]).ToList();
        Assert.NotEmpty(cookies);
        var copy = host.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        copy.DefaultRequestHeaders.Add("Cookie", string.Join("; ", cookies));
        return copy;
    }

    private static Task<string> TokenAsync(HttpClient browser) => browser.AntiforgeryTokenAsync("/alert-recipients");

    private static HttpRequestMessage Json(HttpMethod method, string url, object? body, string token)
    {
        var request = new HttpRequestMessage(method, url);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }

        request.Headers.Add("RequestVerificationToken", token);
        return request;
    }
}
