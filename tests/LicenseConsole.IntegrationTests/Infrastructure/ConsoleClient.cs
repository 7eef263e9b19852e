using System.Net;
using System.Text.RegularExpressions;

namespace LicenseConsole.IntegrationTests.Infrastructure;

/// <summary>Form posts the way a browser sends them: with the antiforgery token of the page they came from.</summary>
public static partial class ConsoleClient
{
    public static async Task<HttpResponseMessage> SignInAsync(this HttpClient client, string email, string password)
    {
        var token = await AntiforgeryTokenAsync(client, "/account/sign-in");
        return await client.PostAsync("/account/sign-in", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Email"] = email,
            ["Password"] = password,
            ["__RequestVerificationToken"] = token,
        }));
    }

    /// <summary>
    /// Posts the form of the page at <paramref name="pageUrl"/> whose action is <paramref name="action"/>, with
    /// the antiforgery token that form carries: a form without one fails the test, as it would fail a browser. An
    /// action's fragment (where the page scrolls to) is not sent, as a browser does not send it.
    /// </summary>
    public static async Task<HttpResponseMessage> PostFormAsync(this HttpClient client, string pageUrl, string action, IDictionary<string, string> fields)
    {
        var page = await client.GetAsync(pageUrl);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var html = await page.Content.ReadAsStringAsync();
        var form = Regex.Matches(html, "<form\\b[^>]*>.*?</form>", RegexOptions.Singleline)
            .Select(m => m.Value)
            .FirstOrDefault(f => Regex.IsMatch(f, "^<form\\b[^>]*method=\"post\"", RegexOptions.IgnoreCase)
                && Regex.IsMatch(f, $"^<form\\b[^>]*action=\"{Regex.Escape(action)}(#[^\"]*)?\""));
        Assert.True(form is not null, $"{pageUrl} has no form posting to {action}");
        var token = TokenPattern().Match(form);
        Assert.True(token.Success, $"The form posting to {action} on {pageUrl} carries no antiforgery token");
        return await client.PostAsync(action, new FormUrlEncodedContent(new Dictionary<string, string>(fields) { ["__RequestVerificationToken"] = token.Groups[1].Value }));
    }

    /// <summary>
    /// Posts to <paramref name="action"/> with a valid antiforgery token taken from any form of
    /// <paramref name="pageUrl"/>: what a signed-in user can send to an action no page of theirs offers.
    /// </summary>
    public static async Task<HttpResponseMessage> PostWithAnyTokenAsync(this HttpClient client, string pageUrl, string action, IDictionary<string, string> fields)
    {
        var token = await AntiforgeryTokenAsync(client, pageUrl);
        return await client.PostAsync(action, new FormUrlEncodedContent(new Dictionary<string, string>(fields) { ["__RequestVerificationToken"] = token }));
    }

    public static async Task<string> AntiforgeryTokenAsync(this HttpClient client, string pageUrl)
    {
        var response = await client.GetAsync(pageUrl);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        var match = TokenPattern().Match(html);
        Assert.True(match.Success, $"No antiforgery token on {pageUrl}");
        return match.Groups[1].Value;
    }

    /// <summary>The text of the element marked data-testid="<paramref name="testId"/>".</summary>
    public static string TestIdText(string html, string testId)
    {
        var match = Regex.Match(html, $"data-testid=\"{Regex.Escape(testId)}\"[^>]*>(.*?)</(?:div|span|td|dd|p|a|code|li|strong|h1)>", RegexOptions.Singleline);
        Assert.True(match.Success, $"No element with data-testid={testId}");
        var text = Regex.Replace(match.Groups[1].Value, "<[^>]+>", "");
        return Regex.Replace(WebUtility.HtmlDecode(text), @"\s+", " ").Trim();
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();
}
