using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using LicenseConsole.Accounts;
using LicenseConsole.Alerts;
using LicenseConsole.Devices;
using LicenseConsole.IntegrationTests.Infrastructure;
using LicenseConsole.Licensing;
using LicenseConsole.Products;
using LicenseConsole.Web.Ui;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace LicenseConsole.IntegrationTests.Security;

/// <summary>
/// Names that are markup (a product, a recipient, an API key) render as text everywhere they are shown: the
/// pages, the chart data, the allocation dialog, the audit log, the CSV exports (where a leading = + - @ is
/// defused too) and the alert emails.
/// </summary>
public sealed partial class CrossSiteScriptingTests(CrossSiteScriptingTests.Data data) : IClassFixture<CrossSiteScriptingTests.Data>
{
    public const string ScriptName = "<script>alert(1)</script>";
    public const string AttributeName = "\"'><img src=x onerror=alert(2)>";
    public const string FormulaName = "=HYPERLINK(\"http://evil.example\",\"x\")";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("/products", false)]
    [InlineData("/products/{script}", false)]
    [InlineData("/products/{attribute}", false)]
    [InlineData("/products/{script}/delete", false)]
    [InlineData("/products/{script}/devices/dev-1", false)]
    [InlineData("/", false)]
    [InlineData("/allocations", false)]
    [InlineData("/allocations?productKey={attribute}", false)]
    [InlineData("/allocations/new", false)]
    [InlineData("/alert-recipients", false)]
    [InlineData("/settings/api-keys", false)]
    [InlineData("/audit", false)]
    [InlineData("/", true)]
    [InlineData("/devices/expiring", true)]
    public async Task Page_NamesThatAreMarkup_RenderAsText(string path, bool later)
    {
        var client = later ? data.Later : data.Now;

        var html = await PageAsync(client, data.Url(path));

        AssertNoMarkupOfTheNames(html);

        // The audit log shows the names inside the JSON of its entries, where < is written \u003C.
        Assert.True(new[] { Encoded(ScriptName), Encoded(AttributeName), "\\u003Cscript\\u003Ealert(1)" }.Any(n => html.Contains(n, StringComparison.Ordinal)),
            $"{path} shows neither name: the test looks at the wrong page.");
    }

    [Theory]
    [InlineData("/products?search={payload}")]
    [InlineData("/products/{script}?DeviceKey={payload}")]
    [InlineData("/devices/expiring?ProductName={payload}&DeviceKey={payload}")]
    [InlineData("/audit?Actor={payload}&Subject={payload}")]
    public async Task Page_QueryThatIsMarkup_IsEchoedAsText(string path)
    {
        using var response = await data.Now.GetAsync(data.Url(path).Replace("{payload}", Uri.EscapeDataString(AttributeName + ScriptName), StringComparison.Ordinal), Ct);
        var html = await response.Content.ReadAsStringAsync(Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        AssertNoMarkupOfTheNames(html);
    }

    [Fact]
    public async Task Dashboard_ChartData_IsJsonWithoutMarkupThatCarriesTheNamesAsData()
    {
        var html = await PageAsync(data.Now, "/");

        var block = DashboardData().Match(html);
        Assert.True(block.Success, "No chart data on the overview.");
        Assert.DoesNotContain("<", block.Groups[1].Value, StringComparison.Ordinal);
        using var json = JsonDocument.Parse(block.Groups[1].Value);
        var labels = json.RootElement.GetProperty("usage").GetProperty("names").EnumerateArray().Select(l => l.GetString()).ToList();
        Assert.Contains(ScriptName, labels);
        Assert.Contains(AttributeName, labels);
    }

    [Fact]
    public async Task Dashboard_ShortfallBanner_NamesTheProductAsText()
    {
        var html = await PageAsync(data.Later, "/");

        var banner = Regex.Match(html, "data-testid=\"shortfall-banner\".*?</ul>", RegexOptions.Singleline);
        Assert.True(banner.Success, "No shortfall banner: the product should run short within 90 days.");
        Assert.Contains(Encoded(ScriptName), banner.Value, StringComparison.Ordinal);
        AssertNoMarkupOfTheNames(banner.Value);
    }

    [Fact]
    public async Task AllocateDialog_ProductChoices_AreText()
    {
        var html = await PageAsync(data.Now, "/");

        var dialog = Regex.Match(html, "id=\"allocate-dialog\".*?</select>", RegexOptions.Singleline);
        Assert.True(dialog.Success, "No allocation dialog on the overview.");
        Assert.Contains(Encoded(ScriptName), dialog.Value, StringComparison.Ordinal);
        Assert.Contains(Encoded(AttributeName), dialog.Value, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExpiringExport_MarkupAndFormulas_AreTextAndDefused()
    {
        using var response = await data.Later.GetAsync("/devices/expiring/export", Ct);
        var csv = Encoding.UTF8.GetString(await response.Content.ReadAsByteArrayAsync(Ct)).TrimStart('\uFEFF');

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        Assert.StartsWith("attachment", response.Content.Headers.ContentDisposition?.ToString(), StringComparison.Ordinal);
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
        var rows = csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries)[1..].Select(Cells).ToList();
        Assert.Contains(rows, r => r[0] == ScriptName && r[2] == "dev-1");
        Assert.Contains(rows, r => r[0] == ScriptName && r[2] == "'-1");
        Assert.Contains(rows, r => r[0] == "'" + FormulaName);
        Assert.DoesNotContain(rows.SelectMany(r => r), c => c.Length > 0 && c[0] is '=' or '+' or '-' or '@');
    }

    [Theory]
    [InlineData("=1+2", "'=1+2")]
    [InlineData("+1", "'+1")]
    [InlineData("-1", "'-1")]
    [InlineData("@SUM(A1:A9)", "'@SUM(A1:A9)")]
    [InlineData("\tx", "'\tx")]
    [InlineData("\rx", "\"'\rx\"")]
    [InlineData("=A1,B1", "\"'=A1,B1\"")]
    [InlineData("a=1", "a=1")]
    [InlineData(ScriptName, ScriptName)]
    public void CsvCell_LeadingFormulaCharacter_IsPrefixedWithAQuote(string value, string cell) =>
        Assert.Equal(cell, CsvExport.Cell(value));

    public static TheoryData<AlertKind, string> AlertEmails => new()
    {
        { AlertKind.Shortfall, "en" }, { AlertKind.Shortfall, "zh-CN" },
        { AlertKind.Lapsed, "en" }, { AlertKind.Lapsed, "zh-CN" },
        { AlertKind.LowPool, "en" }, { AlertKind.LowPool, "zh-CN" },
    };

    [Theory]
    [MemberData(nameof(AlertEmails))]
    public void AlertEmail_ProductNameThatIsMarkup_IsTextInTheHtmlBody(AlertKind kind, string culture)
    {
        foreach (var name in new[] { ScriptName, AttributeName })
        {
            var facts = new AlertFacts(kind, name, "pk-xss", 10, 1, 5, 4, DateTime.UtcNow.AddDays(3), 2, 30, 10);

            var email = AlertEmailComposer.Compose(facts, culture, TimeZoneInfo.Utc, "https://console.example.com/");

            AssertNoMarkupOfTheNames(email.HtmlBody);
            Assert.Contains(System.Net.WebUtility.HtmlEncode(name), email.HtmlBody, StringComparison.Ordinal);
            Assert.Contains(name, email.TextBody, StringComparison.Ordinal);
        }
    }

    private static void AssertNoMarkupOfTheNames(string html)
    {
        Assert.DoesNotContain("<script>alert", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<img src=x", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("\"'>", html, StringComparison.Ordinal);
    }

    /// <summary>The name as the pages write it (Razor encodes ' as &amp;#x27;).</summary>
    private static string Encoded(string name) =>
        System.Net.WebUtility.HtmlEncode(name).Replace("&#39;", "&#x27;", StringComparison.Ordinal);

    private static async Task<string> PageAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(path, Ct);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {(int)response.StatusCode}");
        return await response.Content.ReadAsStringAsync(Ct);
    }

    private static string[] Cells(string line) =>
        [.. CsvCell().Matches(line).Select(m => m.Groups["quoted"].Success ? m.Groups["quoted"].Value.Replace("\"\"", "\"", StringComparison.Ordinal) : m.Groups["plain"].Value)];

    [GeneratedRegex("<script type=\"application/json\" id=\"dashboard-data\">(.*?)</script>", RegexOptions.Singleline)]
    private static partial Regex DashboardData();

    [GeneratedRegex("(?<=^|,)(?:\"(?<quoted>(?:[^\"]|\"\")*)\"|(?<plain>[^,]*))")]
    private static partial Regex CsvCell();

    /// <summary>
    /// One account with products named as markup and as a formula, devices (one whose key starts with '-'),
    /// an allocation, a recipient and an API key named as markup; its owner signed in on the app now, and on
    /// an app whose clock runs 340 days ahead, when the one-year licenses expire within the month and the
    /// product with no license left runs short.
    /// </summary>
    public sealed class Data(PostgresServer server) : IAsyncLifetime
    {
        private readonly SecurityHosts _hosts = new(server);
        private readonly Dictionary<string, string> _keys = [];

        public HttpClient Now { get; private set; } = null!;

        public HttpClient Later { get; private set; } = null!;

        public string Url(string path) => path
            .Replace("{script}", _keys["script"], StringComparison.Ordinal)
            .Replace("{attribute}", _keys["attribute"], StringComparison.Ordinal);

        public async ValueTask InitializeAsync()
        {
            await _hosts.InitializeAsync();
            var now = _hosts.Start("Testing");
            var later = _hosts.Start("Testing", new Dictionary<string, string?> { ["Clock:Offset"] = "340.00:00:00" });
            var account = await TestAccounts.CreateAsync(now.Services);

            await InScopeAsync(now, account.Id, async s =>
            {
                var products = s.GetRequiredService<ProductService>();
                _keys["script"] = (await products.CreateAsync(ScriptName, null)).ProductKey;
                _keys["attribute"] = (await products.CreateAsync(AttributeName, null)).ProductKey;
                _keys["formula"] = (await products.CreateAsync(FormulaName, null)).ProductKey;
                await s.GetRequiredService<AlertRecipientService>().AddAsync(ScriptName, "ops@example.com");
                await s.GetRequiredService<ApiKeyService>().CreateAsync(ScriptName);
            });
            await InScopeAsync(now, null, async s =>
            {
                var purchases = s.GetRequiredService<PurchaseService>();
                await purchases.RecordAsync(new PurchaseRequest("o-" + Guid.NewGuid().ToString("N"), account.Id, "STD-1Y", 2, _keys["script"]));
                await purchases.RecordAsync(new PurchaseRequest("o-" + Guid.NewGuid().ToString("N"), account.Id, "STD-1Y", 1, _keys["formula"]));
                await purchases.RecordAsync(new PurchaseRequest("o-" + Guid.NewGuid().ToString("N"), account.Id, "STD-1Y", 5, null));
                var connections = s.GetRequiredService<IDeviceConnections>();
                await connections.ConnectAsync(_keys["script"], "dev-1", account.DataCenterCode);
                await connections.ConnectAsync(_keys["script"], "-1", account.DataCenterCode);
                await connections.ConnectAsync(_keys["formula"], "dev-f", account.DataCenterCode);
            });
            await InScopeAsync(now, account.Id, s => s.GetRequiredService<AllocationService>().AllocateAsync(_keys["attribute"], "STD-1Y", 3));

            Now = await SignedInAsync(now, account);
            Later = await SignedInAsync(later, account);
        }

        public async ValueTask DisposeAsync()
        {
            Now.Dispose();
            Later.Dispose();
            await _hosts.DisposeAsync();
        }

        private static async Task<HttpClient> SignedInAsync(WebApplicationFactory<Program> host, Account account)
        {
            var client = SecurityHosts.Client(host);
            await client.SignInAsync(account.OwnerEmail, TestAccounts.Password);
            return client;
        }

        private static async Task InScopeAsync(WebApplicationFactory<Program> host, Guid? accountId, Func<IServiceProvider, Task> work)
        {
            await using var scope = host.Services.CreateAsyncScope();
            var tenant = scope.ServiceProvider.GetRequiredService<TenantContext>();
            if (accountId is { } id)
            {
                tenant.ActForOwner(id, "owner@example.com");
            }
            else
            {
                tenant.ActForPlatform("test");
            }

            await work(scope.ServiceProvider);
        }
    }
}
