using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using LicenseConsole.Accounts;
using LicenseConsole.IntegrationTests.Infrastructure;
using LicenseConsole.Web.Tenancy;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.Extensions.DependencyInjection;

namespace LicenseConsole.IntegrationTests.Security;

/// <summary>
/// A sub-account cannot reach what only the owner may (sub-accounts, API keys, the audit log). The endpoints
/// are read from the app's route table (those whose authorization names the owner policy), so that a new
/// owner page or API endpoint is covered without anyone adding it here.
/// </summary>
public sealed partial class OwnerOnlyTests(SecurityHosts hosts) : IClassFixture<SecurityHosts>
{
    private readonly WebApplicationFactory<Program> _host = hosts.Shared("testing", h => h.Start("Testing"));

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public void RouteTable_OwnerOnlyEndpoints_IncludeTheOwnersPages()
    {
        var endpoints = OwnerOnlyEndpoints().Select(e => $"{e.Method} {e.Url}").ToList();

        Assert.Contains("GET /settings/sub-accounts", endpoints);
        Assert.Contains("GET /settings/api-keys", endpoints);
        Assert.Contains("GET /audit", endpoints);
        Assert.Contains("GET /audit/export", endpoints);
        Assert.Contains(endpoints, e => e.StartsWith("POST /settings/api-keys/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task OwnerOnlyEndpoints_SubAccount_AreAnswered403AndTheErrorPage()
    {
        var (_, subAccount) = await SubAccounts.CreateAsync(_host);
        var wrong = new List<string>();

        foreach (var (method, url) in OwnerOnlyEndpoints())
        {
            using var response = method == "POST" && !IsApi(url)
                ? await subAccount.PostWithAnyTokenAsync("/", url, new Dictionary<string, string>())
                : await subAccount.SendAsync(new HttpRequestMessage(new HttpMethod(method), url), Ct);
            var body = await response.Content.ReadAsStringAsync(Ct);
            var explained = IsApi(url)
                ? response.Content.Headers.ContentType?.MediaType == "application/problem+json" && JsonDocument.Parse(body).RootElement.GetProperty("code").GetString() == "forbidden"
                : body.Contains("Your account may not open this page.", StringComparison.Ordinal);
            if (response.StatusCode != HttpStatusCode.Forbidden || !explained)
            {
                wrong.Add($"{method} {url}: {(int)response.StatusCode}");
            }
        }

        Assert.True(wrong.Count == 0, "Reachable by a sub-account:\n" + string.Join("\n", wrong));
    }

    [Fact]
    public async Task OwnerOnlyPages_Owner_OpensThem()
    {
        var account = await TestAccounts.CreateAsync(_host.Services);
        using var owner = SecurityHosts.Client(_host);
        await owner.SignInAsync(account.OwnerEmail, TestAccounts.Password);
        var pages = OwnerOnlyEndpoints().Where(e => e.Method == "GET").ToList();

        foreach (var (_, url) in pages)
        {
            using var response = await owner.GetAsync(url, Ct);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {url}: {(int)response.StatusCode}");
        }

        Assert.NotEmpty(pages);
    }

    [Fact]
    public async Task Menu_SubAccount_HasNoLinkToTheOwnersPages()
    {
        var (_, subAccount) = await SubAccounts.CreateAsync(_host);

        var html = await (await subAccount.GetAsync("/", Ct)).Content.ReadAsStringAsync(Ct);

        Assert.Contains("Sub-account", html, StringComparison.Ordinal);
        Assert.DoesNotContain("href=\"/settings/", html, StringComparison.Ordinal);
        Assert.DoesNotContain("href=\"/audit", html, StringComparison.Ordinal);
    }

    /// <summary>Each method and URL of an endpoint that requires the owner policy, with its parameters filled in.</summary>
    private List<(string Method, string Url)> OwnerOnlyEndpoints() =>
        [.. _host.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetOrderedMetadata<IAuthorizeData>().Any(a => a.Policy == ConsoleClaims.PolicyOf(Right.ManageAccount)))
            .SelectMany(e => (e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["GET"]).Select(m => (m, Url(e.RoutePattern))))
            .OrderBy(e => e.Item2, StringComparer.Ordinal)];

    private static string Url(RoutePattern pattern)
    {
        var parameters = new Queue<RoutePatternParameterPart>(pattern.Parameters);
        return "/" + RouteParameter().Replace(pattern.RawText!.TrimStart('/'), _ =>
        {
            var constraints = parameters.Dequeue().ParameterPolicies.Select(p => p.Content).ToList();
            return constraints.Contains("guid") ? Guid.NewGuid().ToString()
                : constraints.Any(c => c is "int" or "long") ? "1"
                : "x1";
        });
    }

    private static bool IsApi(string url) => url.StartsWith("/api/", StringComparison.Ordinal);

    [GeneratedRegex(@"\{[^}]+\}")]
    private static partial Regex RouteParameter();
}
