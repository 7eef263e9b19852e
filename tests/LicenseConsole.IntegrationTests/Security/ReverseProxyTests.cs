using System.Globalization;
using System.Net;
using LicenseConsole.IntegrationTests.Infrastructure;
using LicenseConsole.Web.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace LicenseConsole.IntegrationTests.Security;

/// <summary>
/// The app behind a reverse proxy: the forwarded client address and scheme are believed from the configured
/// proxies only. The sign-in rate limit shows which address the app took a request to come from.
/// </summary>
public sealed class ReverseProxyTests(SecurityHosts hosts) : IClassFixture<SecurityHosts>
{
    private const int SignInLimit = 2;
    private const string Proxy = "192.0.2.10";
    private const string ProxyNetwork = "198.51.100.0/24";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private WebApplicationFactory<Program> BehindAProxy => hosts.Shared("behind a proxy", h => h.Start("Testing", new Dictionary<string, string?>
    {
        ["RateLimiting:SignInPermitsPerMinute"] = SignInLimit.ToString(CultureInfo.InvariantCulture),
        ["ReverseProxy:KnownProxies:0"] = Proxy,
        ["ReverseProxy:KnownNetworks:0"] = ProxyNetwork,
    }, ClientAddresses.AddTo));

    private WebApplicationFactory<Program> WithoutProxies => hosts.Shared("no proxy configured", h => h.Start("Testing", new Dictionary<string, string?>
    {
        ["RateLimiting:SignInPermitsPerMinute"] = SignInLimit.ToString(CultureInfo.InvariantCulture),
    }, ClientAddresses.AddTo));

    private WebApplicationFactory<Program> ProductionBehindAProxy => hosts.Shared("production behind a proxy", h => h.Start("Production", new Dictionary<string, string?>
    {
        ["https_port"] = "443",
        ["ReverseProxy:KnownProxies:0"] = Proxy,
    }, ClientAddresses.AddTo));

    [Theory]
    [InlineData(Proxy)]
    [InlineData("198.51.100.77")]
    public async Task SignIn_ThroughAKnownProxy_EachForwardedClientHasAnAllowanceOfItsOwn(string proxy)
    {
        var account = await TestAccounts.CreateAsync(BehindAProxy.Services);
        var guesser = NewClientAddress();
        await SpendTheSignInAllowanceAsync(BehindAProxy, proxy, () => guesser, account.OwnerEmail);

        using var refused = await SignInAsync(BehindAProxy, proxy, guesser, account.OwnerEmail, TestAccounts.Password);
        using var owner = await SignInAsync(BehindAProxy, proxy, NewClientAddress(), account.OwnerEmail, TestAccounts.Password);

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, owner.StatusCode);
    }

    [Fact]
    public async Task SignIn_ThroughTwoKnownProxies_TheClientBeforeThemIsCounted()
    {
        var account = await TestAccounts.CreateAsync(BehindAProxy.Services);
        var guesser = NewClientAddress();
        await SpendTheSignInAllowanceAsync(BehindAProxy, Proxy, () => $"{guesser}, 198.51.100.5", account.OwnerEmail);

        using var refused = await SignInAsync(BehindAProxy, Proxy, $"{guesser}, 198.51.100.5", account.OwnerEmail, TestAccounts.Password);
        using var owner = await SignInAsync(BehindAProxy, Proxy, $"{NewClientAddress()}, 198.51.100.5", account.OwnerEmail, TestAccounts.Password);

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, owner.StatusCode);
    }

    [Fact]
    public async Task SignIn_ClientWritingItsOwnForwardedFor_IsCountedAtTheAddressTheProxySaw()
    {
        var account = await TestAccounts.CreateAsync(BehindAProxy.Services);
        var guesser = NewClientAddress();

        // The guesser claims another address each time; the proxy appends the one it saw.
        await SpendTheSignInAllowanceAsync(BehindAProxy, Proxy, () => $"{NewClientAddress()}, {guesser}", account.OwnerEmail);
        using var refused = await SignInAsync(BehindAProxy, Proxy, $"{NewClientAddress()}, {guesser}", account.OwnerEmail, TestAccounts.Password);

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
    }

    [Fact]
    public async Task SignIn_ForwardedForFromAnAddressThatIsNoProxy_IsIgnored()
    {
        var account = await TestAccounts.CreateAsync(BehindAProxy.Services);
        var sender = NewClientAddress();

        // Each guess claims another client: were the header believed, none would be refused.
        await SpendTheSignInAllowanceAsync(BehindAProxy, sender, NewClientAddress, account.OwnerEmail);
        using var refused = await SignInAsync(BehindAProxy, sender, NewClientAddress(), account.OwnerEmail, TestAccounts.Password);

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
    }

    [Fact]
    public async Task SignIn_NoProxyConfigured_ForwardedForIsIgnoredEvenFromLoopback()
    {
        var account = await TestAccounts.CreateAsync(WithoutProxies.Services);
        var sender = "127.0.0." + Random.Shared.Next(2, 255).ToString(CultureInfo.InvariantCulture);

        await SpendTheSignInAllowanceAsync(WithoutProxies, sender, NewClientAddress, account.OwnerEmail);
        using var refused = await SignInAsync(WithoutProxies, sender, NewClientAddress(), account.OwnerEmail, TestAccounts.Password);

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
    }

    [Fact]
    public async Task HttpFromTheProxyForwardedAsHttps_Production_IsServedWithHstsAndNotRedirected()
    {
        using var response = await GetAsync(ProductionBehindAProxy, Proxy, "https");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Matches("^max-age=[1-9][0-9]{6,}", Assert.Single(response.Headers.GetValues("Strict-Transport-Security")));
    }

    [Fact]
    public async Task HttpClaimingHttpsFromAnAddressThatIsNoProxy_Production_IsRedirectedToHttps()
    {
        using var response = await GetAsync(ProductionBehindAProxy, NewClientAddress(), "https");

        Assert.Equal(HttpStatusCode.TemporaryRedirect, response.StatusCode);
        Assert.Equal("https://console.example.com/account/sign-in", response.Headers.Location!.OriginalString);
    }

    [Theory]
    [InlineData("KnownProxies", "proxy.example.com", "'proxy.example.com' is not an IP address")]
    [InlineData("KnownNetworks", "10.0.0.0/33", "'10.0.0.0/33' is not a network in CIDR notation")]
    [InlineData("KnownNetworks", "10.0.0.1", "'10.0.0.1' is not a network in CIDR notation")]
    public void Options_NotAnAddress_FailTheStartUpValidation(string setting, string value, string message)
    {
        // A mistyped proxy stops the app as it starts.
        var error = StartUpValidation.Failure(
            new Dictionary<string, string?> { [$"{ReverseProxyOptions.Section}:{setting}:0"] = value }, s => s.AddReverseProxySupport());

        Assert.Contains($"ReverseProxy:{setting}: {message}", error.Message, StringComparison.Ordinal);
    }

    /// <summary>Wrong passwords up to the limit, each from <paramref name="sender"/> forwarding for the client <paramref name="client"/> names.</summary>
    private static async Task SpendTheSignInAllowanceAsync(WebApplicationFactory<Program> host, string sender, Func<string> client, string email)
    {
        for (var i = 0; i < SignInLimit; i++)
        {
            using var response = await SignInAsync(host, sender, client(), email, "Wrong-Password-" + i);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }
    }

    private static async Task<HttpResponseMessage> SignInAsync(WebApplicationFactory<Program> host, string sender, string forwardedFor, string email, string password)
    {
        using var client = SecurityHosts.Client(host);
        client.DefaultRequestHeaders.Add(ClientAddresses.Header, sender);
        client.DefaultRequestHeaders.Add("X-Forwarded-For", forwardedFor);
        return await client.SignInAsync(email, password);
    }

    private static async Task<HttpResponseMessage> GetAsync(WebApplicationFactory<Program> host, string sender, string forwardedProto)
    {
        using var client = SecurityHosts.Client(host, SecurityHosts.Http);
        client.DefaultRequestHeaders.Add(ClientAddresses.Header, sender);
        client.DefaultRequestHeaders.Add("X-Forwarded-Proto", forwardedProto);
        return await client.GetAsync("/account/sign-in", Ct);
    }

    private static string NewClientAddress() => $"10.{Random.Shared.Next(256)}.{Random.Shared.Next(256)}.{Random.Shared.Next(1, 255)}";
}
