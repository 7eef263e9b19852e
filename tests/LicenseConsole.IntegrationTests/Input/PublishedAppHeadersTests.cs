using System.Net;
using System.Text;

namespace LicenseConsole.IntegrationTests.Input;

/// <summary>What the app tells a scanner on the wire, as the published app serves it (Kestrel, not the test server).</summary>
[Collection(PublishedAppCollection.Name)]
public sealed class PublishedAppHeadersTests(PublishedApp app)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("/health")]
    [InlineData("/account/sign-in")]
    [InlineData("/api/v1/summary")]
    public async Task Answer_AnyPage_NamesNoServer(string path)
    {
        using var client = app.CreateClient();

        using var response = await client.GetAsync(path, Ct);

        Assert.False(response.Headers.Contains("Server"), $"{path} answered with Server: {string.Join(",", response.Headers.TryGetValues("Server", out var v) ? v : [])}");
    }

    [Fact]
    public async Task ApiBody_OverOneMegabyte_IsRefused413WithoutBeingRead()
    {
        var (a, _) = await app.AccountsAsync();
        using var client = app.CreateClient(a.Key);
        var json = "{\"name\":\"" + new string('n', 2 * 1024 * 1024) + "\"}";

        using var response = await client.PostAsync("/api/v1/products", new StringContent(json, Encoding.UTF8, "application/json"), Ct);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }
}
