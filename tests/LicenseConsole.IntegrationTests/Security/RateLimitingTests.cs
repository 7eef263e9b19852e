using System.Globalization;
using System.Net;
using LicenseConsole.IntegrationTests.Api;
using LicenseConsole.IntegrationTests.Infrastructure;
using LicenseConsole.Web.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace LicenseConsole.IntegrationTests.Security;

/// <summary>
/// The rate limits, with low limits set for this host. Each test comes from client addresses and accounts of
/// its own, so the tests do not spend each other's allowance.
/// </summary>
public sealed class RateLimitingTests(SecurityHosts hosts) : IClassFixture<SecurityHosts>
{
    private const int SignInLimit = 3;
    private const int ApiLimit = 5;
    private const int AnonymousLimit = 4;

    private readonly WebApplicationFactory<Program> _host = hosts.Shared("low limits", h => h.Start("Testing", new Dictionary<string, string?>
    {
        ["RateLimiting:SignInPermitsPerMinute"] = SignInLimit.ToString(CultureInfo.InvariantCulture),
        ["RateLimiting:ApiPermitsPerMinute"] = ApiLimit.ToString(CultureInfo.InvariantCulture),
        ["RateLimiting:AnonymousApiPermitsPerMinute"] = AnonymousLimit.ToString(CultureInfo.InvariantCulture),
    }, ClientAddresses.AddTo));

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task SignIn_OneMoreThanTheLimitFromOneAddress_Returns429WithRetryAfterAndTheErrorPage()
    {
        var account = await TestAccounts.CreateAsync(_host.Services);
        using var client = ClientFrom(NewAddress());
        for (var i = 0; i < SignInLimit; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await client.SignInAsync(account.OwnerEmail, "Wrong-Password-" + i)).StatusCode);
        }

        var refused = await client.SignInAsync(account.OwnerEmail, TestAccounts.Password);
        var html = await refused.Content.ReadAsStringAsync(Ct);

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        var retryAfter = int.Parse(Assert.Single(refused.Headers.GetValues("Retry-After")), CultureInfo.InvariantCulture);
        Assert.InRange(retryAfter, 1, 60);
        Assert.Equal("text/html", refused.Content.Headers.ContentType?.MediaType);
        Assert.Contains("Too many requests", html, StringComparison.Ordinal);
        Assert.Contains("Wait a minute, then try again.", html, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync("/", Ct)).StatusCode);
    }

    [Fact]
    public async Task SignIn_OverTheLimitInChinese_ShowsTheChineseErrorPage()
    {
        var account = await TestAccounts.CreateAsync(_host.Services);
        using var client = ClientFrom(NewAddress());
        client.DefaultRequestHeaders.AcceptLanguage.ParseAdd("zh-CN");
        for (var i = 0; i <= SignInLimit; i++)
        {
            await client.SignInAsync(account.OwnerEmail, "Wrong-Password-" + i);
        }

        var refused = await client.SignInAsync(account.OwnerEmail, "Wrong-Password-x");

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Contains("请求过于频繁", await refused.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SignIn_LimitSpentByOneAddress_AnotherAddressStillSignsIn()
    {
        var account = await TestAccounts.CreateAsync(_host.Services);
        using var attacker = ClientFrom(NewAddress());
        for (var i = 0; i <= SignInLimit; i++)
        {
            await attacker.SignInAsync(account.OwnerEmail, "Wrong-Password-" + i);
        }

        using var owner = ClientFrom(NewAddress());
        var signIn = await owner.SignInAsync(account.OwnerEmail, TestAccounts.Password);

        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        Assert.Equal("/", signIn.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task SignInForm_ShownMoreOftenThanTheLimit_IsNotLimited()
    {
        using var client = ClientFrom(NewAddress());

        for (var i = 0; i < SignInLimit * 3; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/account/sign-in", Ct)).StatusCode);
        }
    }

    [Fact]
    public async Task Api_AccountKeyOneMoreThanTheLimit_Returns429RateLimitedProblemWithRetryAfter()
    {
        var account = await TestAccounts.CreateAsync(_host.Services);
        using var script = ClientFrom(NewAddress(), await SecurityHosts.MintKeyAsync(_host, account.Id));
        for (var i = 0; i < ApiLimit; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await script.GetAsync("/api/v1/summary", Ct)).StatusCode);
        }

        var refused = await script.GetAsync("/api/v1/summary", Ct);

        await refused.ExpectProblemAsync(HttpStatusCode.TooManyRequests, "rate_limited");
        var retryAfter = int.Parse(Assert.Single(refused.Headers.GetValues("Retry-After")), CultureInfo.InvariantCulture);
        Assert.InRange(retryAfter, 1, 60);
    }

    [Fact]
    public async Task Api_OneAccountSpentItsAllowance_AnotherAccountOnTheSameAddressIsServed()
    {
        var address = NewAddress();
        var busy = await TestAccounts.CreateAsync(_host.Services);
        var quiet = await TestAccounts.CreateAsync(_host.Services);
        using var busyScript = ClientFrom(address, await SecurityHosts.MintKeyAsync(_host, busy.Id));
        using var quietScript = ClientFrom(address, await SecurityHosts.MintKeyAsync(_host, quiet.Id));
        for (var i = 0; i <= ApiLimit; i++)
        {
            await busyScript.GetAsync("/api/v1/summary", Ct);
        }

        Assert.Equal(HttpStatusCode.TooManyRequests, (await busyScript.GetAsync("/api/v1/summary", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await quietScript.GetAsync("/api/v1/summary", Ct)).StatusCode);
    }

    [Fact]
    public async Task Api_KeysAndSignedInUsersOfOneAccount_ShareItsAllowance()
    {
        var account = await TestAccounts.CreateAsync(_host.Services);
        using var script = ClientFrom(NewAddress(), await SecurityHosts.MintKeyAsync(_host, account.Id));
        using var browser = ClientFrom(NewAddress());
        await browser.SignInAsync(account.OwnerEmail, TestAccounts.Password);
        for (var i = 0; i < ApiLimit; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await script.GetAsync("/api/v1/summary", Ct)).StatusCode);
        }

        var refused = await browser.GetAsync("/api/v1/summary", Ct);

        await refused.ExpectProblemAsync(HttpStatusCode.TooManyRequests, "rate_limited");
    }

    [Fact]
    public async Task Api_SignedInUserOverTheApiLimit_StillOpensThePages()
    {
        var account = await TestAccounts.CreateAsync(_host.Services);
        using var browser = ClientFrom(NewAddress());
        await browser.SignInAsync(account.OwnerEmail, TestAccounts.Password);
        for (var i = 0; i <= ApiLimit; i++)
        {
            await browser.GetAsync("/api/v1/summary", Ct);
        }

        Assert.Equal(HttpStatusCode.TooManyRequests, (await browser.GetAsync("/api/v1/summary", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/products", Ct)).StatusCode);
    }

    [Fact]
    public async Task Api_WrongKeysOneMoreThanTheAnonymousLimit_Returns429InsteadOf401()
    {
        using var guesser = ClientFrom(NewAddress());
        for (var i = 0; i < AnonymousLimit; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await SendWithKeyAsync(guesser, ApiCalls.UnknownAccountKey)).StatusCode);
        }

        var refused = await SendWithKeyAsync(guesser, ApiCalls.UnknownAccountKey);

        await refused.ExpectProblemAsync(HttpStatusCode.TooManyRequests, "rate_limited");
        Assert.True(refused.Headers.Contains("Retry-After"));
    }

    [Fact]
    public async Task Api_CallsWithoutKeyOverTheAnonymousLimit_Return429()
    {
        using var anonymous = ClientFrom(NewAddress());
        for (var i = 0; i < AnonymousLimit; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/v1/summary", Ct)).StatusCode);
        }

        await (await anonymous.GetAsync("/api/v1/summary", Ct)).ExpectProblemAsync(HttpStatusCode.TooManyRequests, "rate_limited");
    }

    [Fact]
    public async Task Api_AddressThatSpentItsWrongKeyAllowance_IsRefusedARightKeyTooSoRefusalsTellNothing()
    {
        var account = await TestAccounts.CreateAsync(_host.Services);
        var rightKey = await SecurityHosts.MintKeyAsync(_host, account.Id);
        var guessing = NewAddress();
        using var guesser = ClientFrom(guessing);
        for (var i = 0; i <= AnonymousLimit; i++)
        {
            await SendWithKeyAsync(guesser, ApiCalls.UnknownAccountKey);
        }

        var rightKeyFromTheGuesser = await SendWithKeyAsync(guesser, rightKey);
        var rightKeyFromElsewhere = await SendWithKeyAsync(ClientFrom(NewAddress()), rightKey);

        Assert.Equal(HttpStatusCode.TooManyRequests, rightKeyFromTheGuesser.StatusCode);
        Assert.Equal(HttpStatusCode.OK, rightKeyFromElsewhere.StatusCode);
    }

    [Fact]
    public async Task Api_IPv6ClientsOfOneNetwork_ShareTheAnonymousAllowance()
    {
        var network = $"2001:db8:{Random.Shared.Next(0x10000):x}:{Random.Shared.Next(0x10000):x}";
        for (var i = 0; i < AnonymousLimit; i++)
        {
            using var host = ClientFrom($"{network}::{i + 1:x}");
            Assert.Equal(HttpStatusCode.Unauthorized, (await host.GetAsync("/api/v1/summary", Ct)).StatusCode);
        }

        using var next = ClientFrom($"{network}::ffff");
        Assert.Equal(HttpStatusCode.TooManyRequests, (await next.GetAsync("/api/v1/summary", Ct)).StatusCode);
    }

    [Fact]
    public async Task Api_PlatformKey_IsNotLimited()
    {
        using var gateway = ClientFrom(NewAddress(), SecurityHosts.PlatformKey);
        var statuses = new List<HttpStatusCode>();

        for (var i = 0; i < (ApiLimit + AnonymousLimit) * 3; i++)
        {
            // A refused purchase (no such account): answered by the platform endpoint, nothing is stored.
            using var response = await gateway.PostJsonAsync("/api/v1/purchases", new { orderId = "o-" + Guid.NewGuid().ToString("N"), accountId = Guid.NewGuid(), specCode = "STD-1Y", quantity = 1 });
            statuses.Add(response.StatusCode);
        }

        Assert.DoesNotContain(HttpStatusCode.TooManyRequests, statuses);
        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.NotFound, s));
    }

    [Theory]
    [InlineData("SignInPermitsPerMinute")]
    [InlineData("ApiPermitsPerMinute")]
    [InlineData("AnonymousApiPermitsPerMinute")]
    public void Options_ZeroPermits_FailTheStartUpValidation(string setting)
    {
        // A mistyped limit stops the app as it starts.
        var error = StartUpValidation.Failure(
            new Dictionary<string, string?> { [$"{RateLimitingOptions.Section}:{setting}"] = "0" }, s => s.AddLicenseConsoleRateLimiting());

        Assert.Contains(setting, error.Message, StringComparison.Ordinal);
    }

    private HttpClient ClientFrom(string address, string? apiKey = null)
    {
        var client = SecurityHosts.Client(_host, apiKey: apiKey);
        client.DefaultRequestHeaders.Add(ClientAddresses.Header, address);
        return client;
    }

    private static string NewAddress() => $"10.{Random.Shared.Next(256)}.{Random.Shared.Next(256)}.{Random.Shared.Next(1, 255)}";

    private static async Task<HttpResponseMessage> SendWithKeyAsync(HttpClient client, string key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/summary");
        request.Headers.Add("X-Api-Key", key);
        return await client.SendAsync(request, Ct);
    }
}
