using System.Net;
using System.Text.RegularExpressions;
using LicenseConsole.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing;

namespace LicenseConsole.IntegrationTests.Security;

/// <summary>
/// Every cookie the app sets is HttpOnly and SameSite; in Production it is Secure too. In Testing (and
/// Development) it is Secure only on https, so the local first run and the tests work on plain http.
/// </summary>
public sealed class CookieTests(SecurityHosts hosts) : IClassFixture<SecurityHosts>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task EveryCookie_ProductionOverHttps_IsSecureHttpOnlyAndSameSite()
    {
        var host = hosts.Shared("production", h => h.Start("Production"));
        var cookies = await CookiesOfASessionAsync(host, SecurityHosts.Https);

        Assert.Contains(cookies, c => c.Name == "LicenseConsole.Auth");
        Assert.Contains(cookies, c => c.Name.StartsWith(".AspNetCore.Antiforgery.", StringComparison.Ordinal));
        Assert.Contains(cookies, c => c.Name == ".AspNetCore.Culture");
        Assert.Contains(cookies, c => c.Name == ".AspNetCore.Mvc.CookieTempDataProvider");
        Assert.All(cookies, c =>
        {
            Assert.True(c.Flags.Contains("secure"), $"{c.Name} is not Secure: {c.Header}");
            Assert.True(c.Flags.Contains("httponly"), $"{c.Name} is not HttpOnly: {c.Header}");
            Assert.True(c.Flags.Contains("samesite=lax") || c.Flags.Contains("samesite=strict"), $"{c.Name} is not SameSite Lax or Strict: {c.Header}");
        });
    }

    [Fact]
    public async Task SessionCookies_Production_AuthIsLaxAntiforgeryIsStrict()
    {
        var host = hosts.Shared("production", h => h.Start("Production"));
        var cookies = await CookiesOfASessionAsync(host, SecurityHosts.Https);

        Assert.Contains("samesite=lax", cookies.First(c => c.Name == "LicenseConsole.Auth").Flags);
        Assert.Contains("samesite=strict", cookies.First(c => c.Name.StartsWith(".AspNetCore.Antiforgery.", StringComparison.Ordinal)).Flags);
    }

    [Fact]
    public async Task Cookies_ProductionOverPlainHttp_AreStillSecure()
    {
        var host = hosts.Shared("production", h => h.Start("Production"));
        using var client = SecurityHosts.Client(host, SecurityHosts.Http);

        using var response = await client.GetAsync("/account/sign-in", Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var antiforgery = SetCookies(response).Single(c => c.Name.StartsWith(".AspNetCore.Antiforgery.", StringComparison.Ordinal));
        Assert.Contains("secure", antiforgery.Flags);
    }

    /// <summary>A browser on plain http does not send Secure cookies back: the sign-in form is refused, nobody is signed in over http.</summary>
    [Fact]
    public async Task SignIn_ProductionOverPlainHttpWithACookieJar_IsRefused()
    {
        var host = hosts.Shared("production", h => h.Start("Production"));
        var account = await TestAccounts.CreateAsync(host.Services);
        using var client = SecurityHosts.Client(host, SecurityHosts.Http);

        using var signIn = await client.SignInAsync(account.OwnerEmail, TestAccounts.Password);

        Assert.Equal(HttpStatusCode.BadRequest, signIn.StatusCode);
        Assert.False(signIn.Headers.Contains("Set-Cookie") && signIn.Headers.GetValues("Set-Cookie").Any(c => c.StartsWith("LicenseConsole.Auth=", StringComparison.Ordinal)));
    }

    /// <summary>
    /// How the benchmark signs in to the published app in Production on plain http: it carries the cookies
    /// itself, as a cookie jar would not.
    /// </summary>
    [Fact]
    public async Task SignIn_ProductionOverPlainHttpCarryingTheCookiesItself_Works()
    {
        var host = hosts.Shared("production", h => h.Start("Production"));
        var account = await TestAccounts.CreateAsync(host.Services);
        using var client = host.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false, BaseAddress = SecurityHosts.Http });
        var jar = new Dictionary<string, string>();

        using var form = await client.GetAsync("/account/sign-in", Ct);
        Keep(form, jar);
        var token = Regex.Match(await form.Content.ReadAsStringAsync(Ct), "name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"").Groups[1].Value;
        using var post = new HttpRequestMessage(HttpMethod.Post, "/account/sign-in")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["Email"] = account.OwnerEmail, ["Password"] = TestAccounts.Password, ["__RequestVerificationToken"] = token }),
        };
        post.Headers.Add("Cookie", string.Join("; ", jar.Select(c => $"{c.Key}={c.Value}")));
        using var signIn = await client.SendAsync(post, Ct);
        Keep(signIn, jar);
        using var overview = new HttpRequestMessage(HttpMethod.Get, "/");
        overview.Headers.Add("Cookie", string.Join("; ", jar.Select(c => $"{c.Key}={c.Value}")));
        using var page = await client.SendAsync(overview, Ct);

        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains(account.OwnerEmail, await page.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cookies_TestingOverPlainHttp_AreHttpOnlyButNotSecure()
    {
        var host = hosts.Shared("testing", h => h.Start("Testing"));
        var cookies = await CookiesOfASessionAsync(host, SecurityHosts.Http);

        Assert.NotEmpty(cookies);
        Assert.All(cookies, c => Assert.True(c.Flags.Contains("httponly") && !c.Flags.Contains("secure"), c.Header));
    }

    [Fact]
    public async Task Cookies_TestingOverHttps_AreSecure()
    {
        var host = hosts.Shared("testing", h => h.Start("Testing"));
        var cookies = await CookiesOfASessionAsync(host, SecurityHosts.Https);

        Assert.NotEmpty(cookies);
        Assert.All(cookies, c => Assert.True(c.Flags.Contains("secure"), c.Header));
    }

    /// <summary>
    /// What a user's session sets: the sign-in form (antiforgery), signing in (auth), the language switch
    /// (culture), a form whose result is shown after a redirect (TempData). The cookies must come back, or the
    /// session would stop at the first step: the session itself proves they are usable on this address.
    /// </summary>
    private static async Task<List<SetCookie>> CookiesOfASessionAsync(WebApplicationFactory<Program> host, Uri baseAddress)
    {
        var account = await TestAccounts.CreateAsync(host.Services);
        using var client = SecurityHosts.Client(host, baseAddress);
        var cookies = new List<SetCookie>();

        using var form = await client.GetAsync("/account/sign-in", Ct);
        cookies.AddRange(SetCookies(form));
        using var signIn = await client.SignInAsync(account.OwnerEmail, TestAccounts.Password);
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        cookies.AddRange(SetCookies(signIn));
        using var culture = await client.PostFormAsync("/products", "/culture", new Dictionary<string, string> { ["culture"] = "en", ["returnUrl"] = "/products" });
        Assert.Equal(HttpStatusCode.Redirect, culture.StatusCode);
        cookies.AddRange(SetCookies(culture));
        using var product = await client.PostFormAsync("/products", "/products", new Dictionary<string, string> { ["NewProduct.Name"] = "Thermostat" });
        Assert.Equal(HttpStatusCode.Redirect, product.StatusCode);
        cookies.AddRange(SetCookies(product));
        return cookies;
    }

    private static void Keep(HttpResponseMessage response, Dictionary<string, string> jar)
    {
        foreach (var cookie in SetCookies(response))
        {
            jar[cookie.Name] = cookie.Header.Split(';')[0][(cookie.Name.Length + 1)..];
        }
    }

    private static IEnumerable<SetCookie> SetCookies(HttpResponseMessage response) =>
        (response.Headers.TryGetValues("Set-Cookie", out var values) ? values : []).Select(SetCookie.Parse);

    private sealed record SetCookie(string Name, string Header, IReadOnlySet<string> Flags)
    {
        public static SetCookie Parse(string header)
        {
            var parts = header.Split(';', StringSplitOptions.TrimEntries);
            return new SetCookie(parts[0].Split('=')[0], header, parts[1..].Select(p => p.ToLowerInvariant()).ToHashSet());
        }
    }
}
