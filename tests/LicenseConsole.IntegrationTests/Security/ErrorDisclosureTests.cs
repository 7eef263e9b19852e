using System.Net;
using System.Text.Json;
using LicenseConsole.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing;

namespace LicenseConsole.IntegrationTests.Security;

/// <summary>
/// An unhandled exception in Production: the user gets the console's error page (or problem+json) with a trace
/// id to quote, and nothing of the exception: no type, no message, no stack frame.
/// </summary>
public sealed class ErrorDisclosureTests(SecurityHosts hosts) : IClassFixture<SecurityHosts>
{
    private readonly WebApplicationFactory<Program> _host = hosts.Shared("production, failing", h => h.Start("Production", configure: FailingEndpoints.AddTo));

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task UnhandledException_ConsolePage_ShowsTheErrorPageWithATraceIdAndNoDetails()
    {
        var account = await TestAccounts.CreateAsync(_host.Services);
        using var client = SecurityHosts.Client(_host, SecurityHosts.Https);
        await client.SignInAsync(account.OwnerEmail, TestAccounts.Password);

        using var response = await client.GetAsync(FailingEndpoints.PagePath, Ct);
        var html = await response.Content.ReadAsStringAsync(Ct);

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("Something went wrong", html, StringComparison.Ordinal);
        Assert.NotEmpty(ConsoleClient.TestIdText(html, "request-id"));
        AssertNothingOfTheException(html);
    }

    [Fact]
    public async Task UnhandledException_Api_AnswersProblemJsonWithATraceIdAndNoDetails()
    {
        using var client = SecurityHosts.Client(_host, SecurityHosts.Https, SecurityHosts.PlatformKey);

        using var response = await client.GetAsync(FailingEndpoints.ApiPath, Ct);
        var body = await response.Content.ReadAsStringAsync(Ct);

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(body);
        Assert.Equal(500, problem.RootElement.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrEmpty(problem.RootElement.GetProperty("traceId").GetString()));
        Assert.DoesNotContain(problem.RootElement.EnumerateObject(), p => p.Name.Contains("exception", StringComparison.OrdinalIgnoreCase) || p.Name.Contains("stack", StringComparison.OrdinalIgnoreCase));
        AssertNothingOfTheException(body);
    }

    private static void AssertNothingOfTheException(string text)
    {
        Assert.DoesNotContain(FailingEndpoints.Message, text, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", text, StringComparison.Ordinal);
        Assert.DoesNotContain("InvalidOperationException", text, StringComparison.Ordinal);
        Assert.DoesNotContain("FailingEndpoints", text, StringComparison.Ordinal);
        Assert.DoesNotContain(" at Microsoft.", text, StringComparison.Ordinal);
        Assert.DoesNotContain(" at LicenseConsole.", text, StringComparison.Ordinal);
        Assert.DoesNotContain(".cs:line", text, StringComparison.Ordinal);
    }
}
