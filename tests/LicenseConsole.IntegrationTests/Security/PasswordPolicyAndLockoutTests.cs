using System.Net;
using System.Text.RegularExpressions;
using LicenseConsole.Accounts;
using LicenseConsole.IntegrationTests.Api;
using LicenseConsole.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing;
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
    public async Task SignIn_RightPasswordAfterFiveWrongOnes_IsRefusedSayingTheAccountIsLockedFor15Minutes()
    {
        var account = await TestAccounts.CreateAsync(_host.Services);
        using var client = SecurityHosts.Client(_host);
        for (var i = 0; i < 5; i++)
        {
            await client.SignInAsync(account.OwnerEmail, "Wrong-Password-" + i);
        }

        using var sixth = await client.SignInAsync(account.OwnerEmail, TestAccounts.Password);

        Assert.Equal(HttpStatusCode.Unauthorized, sixth.StatusCode);
        Assert.Contains("Too many failed attempts. The account is locked for 15 minutes.", await sixth.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync("/", Ct)).StatusCode);
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
        Assert.Contains("失败次数过多，账号已被锁定 15 分钟。", await signIn.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }

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
