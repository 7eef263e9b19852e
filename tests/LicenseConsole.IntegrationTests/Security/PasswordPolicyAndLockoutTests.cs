using System.Net;
using System.Text.RegularExpressions;
using LicenseConsole.Accounts;
using LicenseConsole.Auditing;
using LicenseConsole.IntegrationTests.Api;
using LicenseConsole.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LicenseConsole.IntegrationTests.Security;

/// <summary>Identity's password policy (10 characters, a digit, upper and lower case) and its lockout (5 failures, 15 minutes).</summary>
public sealed class PasswordPolicyAndLockoutTests(SecurityHosts hosts) : IClassFixture<SecurityHosts>
{
    private readonly WebApplicationFactory<Program> _host = hosts.Shared("testing", h => h.Start("Testing"));

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<string, string> WeakPasswords => new()
    {
        { "Short-1a", "Passwords must be at least 10 characters." },
        { "alllowercase1", "Passwords must have at least one uppercase ('A'-'Z')." },
        { "ALLUPPERCASE1", "Passwords must have at least one lowercase ('a'-'z')." },
        { "NoDigitsHereAtAll", "Passwords must have at least one digit ('0'-'9')." },
    };

    [Theory]
    [MemberData(nameof(WeakPasswords))]
    public async Task CreateAccount_WeakPassword_Returns400NamingTheRuleAndCreatesNothing(string password, string rule)
    {
        using var platform = SecurityHosts.Client(_host, apiKey: SecurityHosts.PlatformKey);
        var email = $"weak-{Guid.NewGuid():N}@example.com";

        using var response = await platform.PostJsonAsync("/api/v1/accounts", new { email, password, dataCenter = "eu-west" });

        var problem = await response.ExpectValidationProblemAsync("password");
        Assert.Contains(rule, problem.GetProperty("errors").GetProperty("password")[0].GetString(), StringComparison.Ordinal);
        Assert.Null(await WithPlatformAsync(s => s.GetRequiredService<AccountService>().FindByOwnerEmailAsync(email)));
    }

    /// <summary>The same rules on the form; a short password is refused by the form's own check first.</summary>
    public static TheoryData<string, string> WeakPasswordsOnTheForm => new()
    {
        { "Short-1a", "The password needs at least 10 characters." },
        { "alllowercase1", "Passwords must have at least one uppercase ('A'-'Z')." },
        { "ALLUPPERCASE1", "Passwords must have at least one lowercase ('a'-'z')." },
        { "NoDigitsHereAtAll", "Passwords must have at least one digit ('0'-'9')." },
    };

    [Theory]
    [MemberData(nameof(WeakPasswordsOnTheForm))]
    public async Task InviteSubAccount_WeakPassword_ShowsTheRuleBesideThePasswordAndInvitesNobody(string password, string rule)
    {
        var account = await TestAccounts.CreateAsync(_host.Services);
        using var owner = SecurityHosts.Client(_host);
        await owner.SignInAsync(account.OwnerEmail, TestAccounts.Password);

        using var response = await owner.PostFormAsync("/settings/sub-accounts", "/settings/sub-accounts",
            new Dictionary<string, string> { ["Form.Email"] = $"sub-{Guid.NewGuid():N}@example.com", ["Form.Password"] = password });
        var html = await response.Content.ReadAsStringAsync(Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Matches($"data-valmsg-for=\"Form.Password\"[^>]*>[^<]*{Regex.Escape(WebUtility.HtmlEncode(rule).Replace("&#39;", "&#x27;", StringComparison.Ordinal))}<", html);
        Assert.Empty(await WithAccountAsync(account.Id, s => s.GetRequiredService<SubAccountService>().ListAsync()));
    }

    [Fact]
    public async Task SignIn_RightPasswordAfterFiveWrongOnes_IsRefusedWithTheAnswerOfAnUnknownEmail()
    {
        var account = await TestAccounts.CreateAsync(_host.Services);
        using var client = SecurityHosts.Client(_host);
        for (var i = 0; i < 5; i++)
        {
            await client.SignInAsync(account.OwnerEmail, "Wrong-Password-" + i);
        }

        using var locked = await client.SignInAsync(account.OwnerEmail, TestAccounts.Password);
        using var unknown = await client.SignInAsync($"nobody-{Guid.NewGuid():N}@example.com", TestAccounts.Password);

        Assert.Equal((HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized), (locked.StatusCode, unknown.StatusCode));
        Assert.Equal(SignInError(await unknown.Content.ReadAsStringAsync(Ct)), SignInError(await locked.Content.ReadAsStringAsync(Ct)));
        Assert.Equal("Invalid email or password.", SignInError(await locked.Content.ReadAsStringAsync(Ct)));
        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync("/", Ct)).StatusCode);
    }

    [Fact]
    public async Task SignIn_FifthWrongPassword_TellsTheAccountByEmailAndInTheAuditLog()
    {
        var account = await TestAccounts.CreateAsync(_host.Services);
        using var attacker = SecurityHosts.Client(_host);
        for (var i = 0; i < 5; i++)
        {
            await attacker.SignInAsync(account.OwnerEmail, "Wrong-Password-" + i);
        }

        await using var db = hosts.Database.CreatePlatformContext();
        var mail = await db.OutboxEmails.Where(e => e.AccountId == account.Id).Select(e => new { e.ToAddress, e.TextBody }).ToListAsync(Ct);
        var entries = await db.AuditEntries.Where(e => e.AccountId == account.Id && e.Action == AuditActions.UserLockedOut).ToListAsync(Ct);

        var told = Assert.Single(mail);
        Assert.Equal(account.OwnerEmail, told.ToAddress);
        Assert.Contains("登录已锁定", told.TextBody, StringComparison.Ordinal);
        Assert.Equal(("sign-in", account.OwnerEmail), (Assert.Single(entries).Actor, entries[0].Subject));
    }

    [Fact]
    public async Task SignIn_LockedAccountFromAnotherBrowser_IsRefusedToo()
    {
        var account = await TestAccounts.CreateAsync(_host.Services);
        using (var attacker = SecurityHosts.Client(_host))
        {
            for (var i = 0; i < 5; i++)
            {
                await attacker.SignInAsync(account.OwnerEmail, "Wrong-Password-" + i);
            }
        }

        using var owner = SecurityHosts.Client(_host);
        owner.DefaultRequestHeaders.AcceptLanguage.ParseAdd("zh-CN");
        using var signIn = await owner.SignInAsync(account.OwnerEmail, TestAccounts.Password);

        Assert.Equal(HttpStatusCode.Unauthorized, signIn.StatusCode);
        Assert.Equal("邮箱或密码不正确。", SignInError(await signIn.Content.ReadAsStringAsync(Ct)));
    }

    [Fact]
    public async Task SignIn_UnknownEmail_DoesTheWorkOfAWrongPassword()
    {
        var account = await TestAccounts.CreateAsync(_host.Services);
        using var client = SecurityHosts.Client(_host);
        var known = new List<double>();
        var unknown = new List<double>();
        for (var i = 0; i < 7; i++)
        {
            // Interleaved, so that the machine's noise falls on both alike; the account locks after five and still does the work.
            known.Add(await TimedAsync(() => client.SignInAsync(account.OwnerEmail, "Wrong-Password-" + i)));
            unknown.Add(await TimedAsync(() => client.SignInAsync($"nobody-{Guid.NewGuid():N}@example.com", "Wrong-Password-" + i)));
        }

        var (knownMedian, unknownMedian) = (known.Order().ElementAt(3), unknown.Order().ElementAt(3));
        TestContext.Current.TestOutputHelper?.WriteLine($"Sign-in refusal, median of 7: existing account {knownMedian:F1} ms, unknown email {unknownMedian:F1} ms");
        Assert.True(unknownMedian > knownMedian / 2, $"An unknown email was refused in {unknownMedian:F1} ms, an existing account's wrong password in {knownMedian:F1} ms.");
    }

    private static async Task<double> TimedAsync(Func<Task<HttpResponseMessage>> signIn)
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        using var response = await signIn();
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        return watch.Elapsed.TotalMilliseconds;
    }

    private static string SignInError(string html) =>
        WebUtility.HtmlDecode(Regex.Match(html, "data-testid=\"sign-in-error\"[^>]*>\\s*<ul><li>([^<]*)</li>").Groups[1].Value);

    [Fact]
    public async Task SignIn_FourWrongPasswordsThenTheRightOne_SignsIn()
    {
        var account = await TestAccounts.CreateAsync(_host.Services);
        using var client = SecurityHosts.Client(_host);
        for (var i = 0; i < 4; i++)
        {
            await client.SignInAsync(account.OwnerEmail, "Wrong-Password-" + i);
        }

        using var signIn = await client.SignInAsync(account.OwnerEmail, TestAccounts.Password);

        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
    }

    private async Task<T> WithPlatformAsync<T>(Func<IServiceProvider, Task<T>> work)
    {
        await using var scope = _host.Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<TenantContext>().ActForPlatform("test");
        return await work(scope.ServiceProvider);
    }

    private async Task<T> WithAccountAsync<T>(Guid accountId, Func<IServiceProvider, Task<T>> work)
    {
        await using var scope = _host.Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<TenantContext>().ActForOwner(accountId, "test@example.com");
        return await work(scope.ServiceProvider);
    }
}
