using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;

namespace LicenseConsole.BrowserTests.Infrastructure;

/// <summary>A person who signs in to the console: an account's owner or one of its sub-accounts.</summary>
public sealed record TestUser(string Email, string Password);

/// <summary>
/// A user signed in to the console over HTTP, without a browser: the sign-in form posted as a browser posts it.
/// Its cookies can be handed to a browser context, and it calls the JSON API the way the console's own pages do
/// (the sign-in cookie, and the antiforgery token in the RequestVerificationToken header).
/// </summary>
public sealed partial class ConsoleHttpSession : IDisposable
{
    private readonly HttpClientHandler _handler;
    private readonly HttpClient _client;

    private ConsoleHttpSession(Uri baseAddress)
    {
        _handler = new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false };
        _client = new HttpClient(_handler) { BaseAddress = baseAddress };
    }

    public Uri BaseAddress => _client.BaseAddress!;

    /// <summary>The cookies the app has set: the sign-in cookie and the antiforgery cookie.</summary>
    public IEnumerable<System.Net.Cookie> Cookies => _handler.CookieContainer.GetAllCookies();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Posts the sign-in form with <paramref name="user"/>'s email and password; it must be let in.</summary>
    public static async Task<ConsoleHttpSession> SignInAsync(Uri baseAddress, TestUser user)
    {
        var session = new ConsoleHttpSession(baseAddress);
        try
        {
            var token = await session.AntiforgeryTokenAsync("account/sign-in");
            using var response = await session._client.PostAsync("account/sign-in", new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["Email"] = user.Email,
                ["Password"] = user.Password,
                ["__RequestVerificationToken"] = token,
            }), Ct);
            Assert.True(response.StatusCode == HttpStatusCode.Redirect, $"Signing in {user.Email} answered {(int)response.StatusCode}.");
            return session;
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The owner adds a sub-account through <c>POST /api/v1/sub-accounts</c>: <paramref name="role"/> admin, operator or
    /// viewer, limited to <paramref name="productKeys"/> (none: every product).
    /// </summary>
    public async Task<TestUser> CreateSubAccountAsync(string role, bool maintainsRecipients = true, params string[] productKeys)
    {
        var user = new TestUser($"{role}-{Guid.NewGuid():N}@example.com", PlatformApi.Password);

        // The token of a page shown to this signed-in user: the sign-in page's was issued to nobody.
        var token = await AntiforgeryTokenAsync("account/password");
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/v1/sub-accounts")
        {
            Content = JsonContent.Create(new { email = user.Email, password = user.Password, role, maintainsRecipients, productKeys }),
        };
        request.Headers.Add("RequestVerificationToken", token);
        using var response = await _client.SendAsync(request, Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"POST api/v1/sub-accounts answered {(int)response.StatusCode}: {text}");
        return user;
    }

    public void Dispose()
    {
        _client.Dispose();
        _handler.Dispose();
    }

    private async Task<string> AntiforgeryTokenAsync(string page)
    {
        var html = await _client.GetStringAsync(page, Ct);
        var match = AntiforgeryTokenPattern().Match(html);
        Assert.True(match.Success, $"{page} has no antiforgery token.");
        return match.Groups[1].Value;
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryTokenPattern();
}
