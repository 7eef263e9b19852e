using LicenseConsole.Alerts;
using LicenseConsole.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LicenseConsole.IntegrationTests.Alerts;

/// <summary>SPEC rule 12: which alerts the worker raises, to whom, in which words, and not twice a day.</summary>
public abstract class AlertScannerTests(TestDatabases databases)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Scan_FewerLicensesThanDevicesRenewingWithinThirtyDays_RaisesAShortfallToOwnerAndRecipients()
    {
        await using var database = await databases.NewAsync();
        await using var ledger = new Ledger(database);
        var account = await ledger.CreateAccountAsync(culture: "en");
        await ledger.AsAccountAsync(account.Id, s => s.GetRequiredService<AlertRecipientService>().AddAsync("Li Wei", "li.wei@example.com"));
        await ledger.BuyAsync(account, "STD-1Y", 20);
        var product = await ledger.CreateProductAsync(account, "Smart Plug");
        await ledger.AllocateAsync(account, product.ProductKey, "STD-1Y", 5);
        foreach (var i in Enumerable.Range(1, 5))
        {
            await ledger.ConnectAsync(product.ProductKey, $"d{i}");
            ledger.Clock.Advance(TimeSpan.FromDays(1));
        }

        // Two licenses left; five devices expire within 30 days: three will find none, the first at d3's expiry.
        await ledger.AllocateAsync(account, product.ProductKey, "STD-1Y", 2);
        ledger.Clock.Advance(TimeSpan.FromDays(340));
        var d3Expires = (await ledger.DeviceAsync(account, product.ProductKey, "d3")).ExpiresAt!.Value;

        var run = await ledger.RunWorkerAsync();

        Assert.Equal(1, run.AlertsRaised);
        await using var db = database.CreatePlatformContext();
        var alert = await db.Alerts.SingleAsync(Ct);
        Assert.Equal((AlertKind.Shortfall, $"{account.OwnerEmail}, li.wei@example.com"), (alert.Kind, alert.Recipients));
        var emails = await db.OutboxEmails.OrderBy(e => e.Id).ToListAsync(Ct);
        Assert.Equal([account.OwnerEmail, "li.wei@example.com"], emails.Select(e => e.ToAddress));
        var email = emails[0];
        Assert.Equal("Licenses running short: Smart Plug", email.Subject);
        Assert.Contains($"Smart Plug ({product.ProductKey}) has 2 license(s) left, but 5 device(s) with auto-renew on expire within 30 days.", email.TextBody, StringComparison.Ordinal);
        Assert.Contains("3 device(s) will find no license at expiry: the first goes offline on " + LocalTime(d3Expires), email.TextBody, StringComparison.Ordinal);
        Assert.Contains($"http://localhost:5000/products/{product.ProductKey}", email.TextBody, StringComparison.Ordinal);
        Assert.Contains($"href=\"http://localhost:5000/products/{product.ProductKey}\"", email.HtmlBody, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Scan_RenewalsFailedForLackOfLicenses_RaisesOneLapsedAlertInTheAccountsLanguage()
    {
        await using var database = await databases.NewAsync();
        await using var ledger = new Ledger(database);
        var account = await ledger.CreateAccountAsync(culture: "zh-CN");
        var product = await ledger.ProductWithLicensesAsync(account, 2);
        await ledger.ConnectAsync(product.ProductKey, "d1");
        await ledger.ConnectAsync(product.ProductKey, "d2");
        ledger.Clock.Advance(TimeSpan.FromDays(366));

        var run = await ledger.RunWorkerAsync();

        Assert.Equal((0, 2), (run.Renewed, run.Lapsed));
        await using var db = database.CreatePlatformContext();
        var alerts = await db.Alerts.OrderBy(a => a.Kind).ToListAsync(Ct);
        Assert.Contains(alerts, a => a.Kind == AlertKind.Lapsed);
        var lapsed = await db.OutboxEmails.SingleAsync(e => e.Subject.StartsWith("续费失败"), Ct);
        Assert.Equal($"续费失败（激活码不足）：{product.Name}", lapsed.Subject);
        Assert.Contains($"有 2 台设备因没有可用激活码未能自动续费，已无法连接平台", lapsed.TextBody, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Scan_SameConditionTwiceADay_MailsOnceAndAgainTheNextDay()
    {
        await using var database = await databases.NewAsync();
        await using var ledger = new Ledger(database);
        var account = await ledger.CreateAccountAsync(culture: "en");
        var product = await ledger.ProductWithLicensesAsync(account, 10);
        foreach (var i in Enumerable.Range(1, 9))
        {
            await ledger.ConnectAsync(product.ProductKey, $"d{i}");
        }

        var first = await ledger.RunWorkerAsync();
        ledger.Clock.Advance(TimeSpan.FromHours(3));
        var second = await ledger.RunWorkerAsync();
        ledger.Clock.Advance(TimeSpan.FromDays(1));
        var nextDay = await ledger.RunWorkerAsync();

        Assert.Equal((1, 0, 1), (first.AlertsRaised, second.AlertsRaised, nextDay.AlertsRaised));
        await using var db = database.CreatePlatformContext();
        Assert.All(await db.Alerts.ToListAsync(Ct), a => Assert.Equal(AlertKind.LowPool, a.Kind));
        Assert.Equal(2, await db.OutboxEmails.CountAsync(Ct));
        Assert.Contains("has 1 of 10 licenses left (10%)", (await db.OutboxEmails.FirstAsync(Ct)).TextBody, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Scan_PoolAboveTheLowShareAndNothingRenewingSoon_RaisesNothing()
    {
        await using var database = await databases.NewAsync();
        await using var ledger = new Ledger(database);
        var account = await ledger.CreateAccountAsync();
        var product = await ledger.ProductWithLicensesAsync(account, 10);
        foreach (var i in Enumerable.Range(1, 8))
        {
            await ledger.ConnectAsync(product.ProductKey, $"d{i}");
        }

        var run = await ledger.RunWorkerAsync();

        Assert.Equal(0, run.AlertsRaised);
        await using var db = database.CreatePlatformContext();
        Assert.False(await db.OutboxEmails.AnyAsync(Ct));
    }

    [Fact]
    public async Task Scan_ProductNameWithMarkup_IsEscapedInTheHtmlEmail()
    {
        await using var database = await databases.NewAsync();
        await using var ledger = new Ledger(database);
        var account = await ledger.CreateAccountAsync(culture: "en");
        var product = await ledger.CreateProductAsync(account, "<script>alert(1)</script>");
        await ledger.BuyAsync(account, "STD-1Y", 1, product.ProductKey);
        await ledger.ConnectAsync(product.ProductKey, "d1");

        await ledger.RunWorkerAsync();

        await using var db = database.CreatePlatformContext();
        var email = await db.OutboxEmails.SingleAsync(Ct);
        Assert.DoesNotContain("<script>", email.HtmlBody, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", email.HtmlBody, StringComparison.Ordinal);
    }

    private static string LocalTime(DateTime utc) =>
        TimeZoneInfo.ConvertTimeFromUtc(utc, TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai")).ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture);
}

public sealed class PostgresAlertScannerTests(PostgresDatabases databases) : AlertScannerTests(databases), IClassFixture<PostgresDatabases>;

public sealed class SqliteAlertScannerTests(SqliteDatabases databases) : AlertScannerTests(databases), IClassFixture<SqliteDatabases>;
