using System.Net;
using System.Text.RegularExpressions;
using LicenseConsole.IntegrationTests.Infrastructure;
using LicenseConsole.Web.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace LicenseConsole.IntegrationTests.Security;

/// <summary>Every response carries the security headers: pages, redirects, static files, the API, errors.</summary>
public sealed partial class SecurityHeadersTests(SecurityHosts hosts) : IClassFixture<SecurityHosts>
{
    private readonly WebApplicationFactory<Program> _host = hosts.Shared("failing", h => h.Start("Testing", configure: FailingEndpoints.AddTo));

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("/account/sign-in", "anonymous", HttpStatusCode.OK)]
    [InlineData("/", "anonymous", HttpStatusCode.Redirect)]
    [InlineData("/", "owner", HttpStatusCode.OK)]
    [InlineData("/products", "owner", HttpStatusCode.OK)]
    [InlineData("/products/pk-nothing-here", "owner", HttpStatusCode.NotFound)]
    [InlineData("/settings/api-keys", "sub-account", HttpStatusCode.Forbidden)]
    [InlineData("/devices/expiring/export", "owner", HttpStatusCode.OK)]
    [InlineData(FailingEndpoints.PagePath, "owner", HttpStatusCode.InternalServerError)]
    [InlineData("/css/site.css", "anonymous", HttpStatusCode.OK)]
    [InlineData("/lib/bootstrap/dist/js/bootstrap.bundle.min.js", "anonymous", HttpStatusCode.OK)]
    [InlineData("/favicon.ico", "anonymous", HttpStatusCode.OK)]
    [InlineData("/health", "anonymous", HttpStatusCode.OK)]
    [InlineData("/openapi/v1.json", "anonymous", HttpStatusCode.OK)]
    [InlineData("/api/v1/summary", "anonymous", HttpStatusCode.Unauthorized)]
    [InlineData("/api/v1/summary", "account key", HttpStatusCode.OK)]
    [InlineData("/api/v1/summary", "platform key", HttpStatusCode.Forbidden)]
    [InlineData("/api/v1/products/pk-nothing-here", "account key", HttpStatusCode.NotFound)]
    [InlineData(FailingEndpoints.ApiPath, "platform key", HttpStatusCode.InternalServerError)]
    public async Task Response_AnyKind_CarriesTheSecurityHeaders(string path, string caller, HttpStatusCode status)
    {
        using var client = await ClientAsync(caller);

        using var response = await client.GetAsync(path, Ct);

        Assert.Equal(status, response.StatusCode);
        Assert.Equal(SecurityHeaders.ContentSecurityPolicy, Single(response, "Content-Security-Policy"));
        Assert.Equal("nosniff", Single(response, "X-Content-Type-Options"));
        Assert.Equal("DENY", Single(response, "X-Frame-Options"));
        Assert.Equal("no-referrer", Single(response, "Referrer-Policy"));
    }

    [Fact]
    public void ContentSecurityPolicy_AllowsNoInlineScriptNoEvalAndNoFraming()
    {
        var directives = SecurityHeaders.ContentSecurityPolicy.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .ToDictionary(d => d.Split(' ')[0], d => d.Split(' ')[1..]);

        Assert.Equal(["'self'"], directives["default-src"]);
        Assert.Equal(["'self'"], directives["script-src"]);
        Assert.Equal(["'self'"], directives["style-src"]);
        Assert.Equal(["'none'"], directives["object-src"]);
        Assert.Equal(["'self'"], directives["base-uri"]);
        Assert.Equal(["'self'"], directives["form-action"]);
        Assert.Equal(["'none'"], directives["frame-ancestors"]);
        Assert.Equal(["'self'", "data:"], directives["img-src"]);
        Assert.DoesNotContain(directives.Values.SelectMany(v => v), v => v.Contains("unsafe", StringComparison.Ordinal) || v == "*");
    }

    /// <summary>
    /// The views hold no code the policy would block: no inline script (a JSON data block is not run), no event
    /// handler attribute, no javascript: URL, no style attribute. The browser tests prove the same on the pages.
    /// </summary>
    [Fact]
    public void Views_NoInlineScriptHandlerJavascriptUrlOrStyleAttribute()
    {
        var views = Path.Combine(RepositoryRoot(), "src", "LicenseConsole.Web", "Views");
        var offences = new List<string>();
        var files = Directory.EnumerateFiles(views, "*.cshtml", SearchOption.AllDirectories).ToList();
        foreach (var file in files)
        {
            var markup = File.ReadAllText(file);
            var name = Path.GetRelativePath(views, file);
            offences.AddRange(ScriptTag().Matches(markup)
                .Where(m => !m.Groups["attributes"].Value.Contains("src=", StringComparison.Ordinal)
                    && !m.Groups["attributes"].Value.Contains("type=\"application/json\"", StringComparison.Ordinal))
                .Select(m => $"{name}: inline script {m.Value}"));
            offences.AddRange(HandlerAttribute().Matches(markup).Select(m => $"{name}: event handler {m.Value}"));
            offences.AddRange(StyleAttribute().Matches(markup).Select(m => $"{name}: style attribute {m.Value}"));
            if (markup.Contains("javascript:", StringComparison.OrdinalIgnoreCase))
            {
                offences.Add($"{name}: javascript: URL");
            }
        }

        Assert.True(files.Count > 20, $"Only {files.Count} views found: the scan is looking in the wrong place.");
        Assert.True(offences.Count == 0, string.Join("\n", offences));
    }

    private async Task<HttpClient> ClientAsync(string caller)
    {
        switch (caller)
        {
            case "anonymous":
                return SecurityHosts.Client(_host);
            case "platform key":
                return SecurityHosts.Client(_host, apiKey: SecurityHosts.PlatformKey);
            case "account key":
                var account = await TestAccounts.CreateAsync(_host.Services);
                return SecurityHosts.Client(_host, apiKey: await SecurityHosts.MintKeyAsync(_host, account.Id));
            case "owner":
                var owner = await TestAccounts.CreateAsync(_host.Services);
                var client = SecurityHosts.Client(_host);
                await client.SignInAsync(owner.OwnerEmail, TestAccounts.Password);
                return client;
            default:
                var (_, subAccount) = await SubAccounts.CreateAsync(_host);
                return subAccount;
        }
    }

    private static string Single(HttpResponseMessage response, string header)
    {
        var values = response.Headers.TryGetValues(header, out var found) ? found.ToList() : [];
        Assert.True(values.Count == 1, $"{header}: {values.Count} value(s) on {(int)response.StatusCode} {response.RequestMessage?.RequestUri}");
        return values[0];
    }

    internal static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "LicenseConsole.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("LicenseConsole.sln not found above " + AppContext.BaseDirectory);
    }

    [GeneratedRegex("<script\\b(?<attributes>[^>]*)>", RegexOptions.IgnoreCase)]
    private static partial Regex ScriptTag();

    [GeneratedRegex("<[a-z][^>]*\\son[a-z]+\\s*=[^>]*>", RegexOptions.IgnoreCase)]
    private static partial Regex HandlerAttribute();

    [GeneratedRegex("<[a-z][^>]*\\sstyle\\s*=[^>]*>", RegexOptions.IgnoreCase)]
    private static partial Regex StyleAttribute();
}
