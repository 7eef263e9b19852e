using System.Net;
using Microsoft.AspNetCore.Mvc.Testing;

namespace LicenseConsole.IntegrationTests.Security;

/// <summary>HSTS and the redirection to https: on outside Development, off in Development.</summary>
public sealed class HttpsTests(SecurityHosts hosts) : IClassFixture<SecurityHosts>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private WebApplicationFactory<Program> Production => hosts.Shared("production", h => h.Start("Production"));

    private WebApplicationFactory<Program> ProductionWithHttpsPort =>
        hosts.Shared("production, https port", h => h.Start("Production", new Dictionary<string, string?> { ["https_port"] = "443" }));

    [Theory]
    [InlineData("/account/sign-in", HttpStatusCode.OK)]
    [InlineData("/", HttpStatusCode.Redirect)]
    [InlineData("/css/site.css", HttpStatusCode.OK)]
    [InlineData("/api/v1/summary", HttpStatusCode.Unauthorized)]
    public async Task HttpsRequest_Production_CarriesStrictTransportSecurity(string path, HttpStatusCode status)
    {
        using var client = SecurityHosts.Client(Production, SecurityHosts.Https);

        using var response = await client.GetAsync(path, Ct);

        Assert.Equal(status, response.StatusCode);
        var hsts = Assert.Single(response.Headers.GetValues("Strict-Transport-Security"));
        Assert.Matches("^max-age=[1-9][0-9]{6,}", hsts);
    }

    [Fact]
    public async Task HttpRequest_ProductionWithTheHttpsPortKnown_IsRedirectedToHttps()
    {
        using var client = SecurityHosts.Client(ProductionWithHttpsPort, SecurityHosts.Http);

        using var response = await client.GetAsync("/account/sign-in?returnUrl=%2Fproducts", Ct);

        Assert.Equal(HttpStatusCode.TemporaryRedirect, response.StatusCode);
        Assert.Equal("https://console.example.com/account/sign-in?returnUrl=%2Fproducts", response.Headers.Location!.OriginalString);
        Assert.False(response.Headers.Contains("Strict-Transport-Security"), "HSTS is sent over https only.");
    }

    [Fact]
    public async Task HttpPost_ProductionWithTheHttpsPortKnown_IsRedirectedKeepingTheMethod()
    {
        using var client = SecurityHosts.Client(ProductionWithHttpsPort, SecurityHosts.Http);

        using var response = await client.PostAsync("/account/sign-in", new FormUrlEncodedContent(new Dictionary<string, string> { ["Email"] = "a@example.com" }), Ct);

        // 307 tells the client to repeat the POST on https; the form is never processed over http.
        Assert.Equal(HttpStatusCode.TemporaryRedirect, response.StatusCode);
        Assert.Equal("https://console.example.com/account/sign-in", response.Headers.Location!.OriginalString);
    }

    /// <summary>
    /// The way the benchmark runs the published app (Production, Kestrel on plain http on loopback, no https
    /// endpoint): the redirection cannot know where https is and stays off, so the app answers over http.
    /// </summary>
    [Fact]
    public async Task HttpRequest_ProductionWithoutAnHttpsPort_IsServedOverHttp()
    {
        using var client = SecurityHosts.Client(Production, SecurityHosts.Http);

        using var response = await client.GetAsync("/account/sign-in", Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(response.Headers.Contains("Strict-Transport-Security"));
    }

    [Fact]
    public async Task Requests_Development_AreNeitherRedirectedNorPinnedToHttps()
    {
        var development = hosts.Shared("development, https port", h => h.Start("Development", new Dictionary<string, string?> { ["https_port"] = "443" }));
        using var http = SecurityHosts.Client(development, SecurityHosts.Http);
        using var https = SecurityHosts.Client(development, SecurityHosts.Https);

        using var overHttp = await http.GetAsync("/account/sign-in", Ct);
        using var overHttps = await https.GetAsync("/account/sign-in", Ct);

        Assert.Equal(HttpStatusCode.OK, overHttp.StatusCode);
        Assert.Equal(HttpStatusCode.OK, overHttps.StatusCode);
        Assert.False(overHttps.Headers.Contains("Strict-Transport-Security"));
    }
}
