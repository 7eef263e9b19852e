using LicenseConsole.Alerts;
using LicenseConsole.Devices;
using LicenseConsole.IntegrationTests.Infrastructure;
using LicenseConsole.Licensing;
using LicenseConsole.Products;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LicenseConsole.IntegrationTests.Renewal;

/// <summary>
/// The hosted worker in two app instances on one PostgreSQL database, their clocks a year and more ahead
/// (Clock:Offset): it renews what it should, lapses the rest, never twice, and the alerts reach a real
/// SMTP server, once each.
/// </summary>
public sealed class WorkerEndToEndTests(PostgresDatabases databases) : IClassFixture<PostgresDatabases>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task TwoInstancesPastExpiry_RenewOnceLapseTheRestAndMailTheAlerts()
    {
        using var smtp = new SmtpTestServer();
        await using var database = await databases.NewAsync();
        Guid accountId;
        string covered, shortOne, listed;
        await using (var setup = new ConsoleAppFactory(database))
        {
            var account = await TestAccounts.CreateAsync(setup.Services, "eu-west");
            accountId = account.Id;
            covered = await ProductAsync(setup, accountId, "Covered", licenses: 6, devices: 3);
            shortOne = await ProductAsync(setup, accountId, "Short", licenses: 3, devices: 3);
            listed = await ProductAsync(setup, accountId, "Listed", licenses: 4, devices: 2);
            await RunAsync(setup, accountId, s => s.GetRequiredService<DeviceService>().SetAutoRenewAsync(listed, "d1", false));
            await RunAsync(setup, accountId, s => s.GetRequiredService<AlertRecipientService>().AddAsync("Ops", "ops@example.com"));
        }

        var later = new Dictionary<string, string?>(smtp.Settings)
        {
            ["Renewal:Enabled"] = "true",
            ["Renewal:Interval"] = "00:00:01",
            ["Email:DispatchInterval"] = "00:00:00.200",
            ["Clock:Offset"] = "400.00:00:00",
        };
        await using (var first = new ConsoleAppFactory(database, later))
        await using (var second = new ConsoleAppFactory(database, later))
        {
            _ = first.Server;
            _ = second.Server;
            await Until(async () =>
            {
                await using var db = database.CreatePlatformContext();
                var due = await db.Devices.CountAsync(d => d.LapsedAt == null && d.ExpiresAt <= DateTime.UtcNow.AddDays(400), Ct);
                var unsent = await db.OutboxEmails.CountAsync(e => e.SentAt == null, Ct);
                var alerts = await db.Alerts.CountAsync(Ct);
                var runs = await db.WorkerRuns.CountAsync(r => r.FinishedAt != null, Ct);
                return due == 0 && alerts > 0 && unsent == 0 && runs >= 2;
            });
        }

        await using var check = database.CreatePlatformContext();
        var devices = await check.Devices.Where(d => d.AccountId == accountId)
            .Select(d => new { Product = d.Product!.ProductKey, d.DeviceKey, d.ActivationCount, d.LapseReason })
            .ToListAsync(Ct);
        Assert.All(devices.Where(d => d.Product == covered), d => Assert.Equal((2, (LapseReason?)null), (d.ActivationCount, d.LapseReason)));
        Assert.All(devices.Where(d => d.Product == shortOne), d => Assert.Equal((1, LapseReason.NoLicense), (d.ActivationCount, d.LapseReason)));
        Assert.Equal((1, LapseReason.AutoRenewOff), devices.Where(d => d.Product == listed && d.DeviceKey == "d1").Select(d => (d.ActivationCount, d.LapseReason)).Single());
        Assert.Equal((2, (LapseReason?)null), devices.Where(d => d.Product == listed && d.DeviceKey == "d2").Select(d => (d.ActivationCount, d.LapseReason)).Single());
        Assert.Empty(await new LedgerVerifier(check).VerifyAsync(Ct));

        var alerts = await check.Alerts.Select(a => new { a.Kind, Product = check.Products.Single(p => p.Id == a.ProductId).ProductKey }).ToListAsync(Ct);
        Assert.Contains(alerts, a => a.Kind == AlertKind.Lapsed && a.Product == shortOne);
        // Each alert mails the owner and the recipient; one raised by a last tick as the hosts stop may still wait in the outbox.
        Assert.Equal(alerts.Count * 2, await check.OutboxEmails.CountAsync(Ct));
        var sent = await check.OutboxEmails.CountAsync(e => e.SentAt != null, Ct);
        Assert.True(sent >= 2, $"Only {sent} alert emails were sent.");
        var received = smtp.Received;
        Assert.Equal(sent, received.Count);
        Assert.Equal(received.Count, received.Select(m => m.MessageId).Distinct().Count());
        Assert.Contains(received, m => m.Subject == "Renewals failed for lack of licenses: Short" && m.To.Mailboxes.Single().Address == "ops@example.com");
        Assert.True(await check.WorkerRuns.CountAsync(Ct) >= 2);
    }

    private static async Task<string> ProductAsync(ConsoleAppFactory app, Guid accountId, string name, int licenses, int devices)
    {
        var product = (await app.WithScopeAsync(accountId, s => s.GetRequiredService<ProductService>().CreateAsync(name, null))).ProductKey;
        await app.WithPlatformScopeAsync(s => s.GetRequiredService<PurchaseService>().RecordAsync(
            new PurchaseRequest("o-" + Guid.NewGuid().ToString("N"), accountId, "STD-1Y", licenses, product)));
        for (var i = 1; i <= devices; i++)
        {
            await app.WithPlatformScopeAsync(s => s.GetRequiredService<IDeviceConnections>().ConnectAsync(product, $"d{i}", "eu-west"));
        }

        return product;
    }

    private static Task RunAsync(ConsoleAppFactory app, Guid accountId, Func<IServiceProvider, Task> work) =>
        app.WithScopeAsync(accountId, async s => { await work(s); return true; });

    private static async Task Until(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "The workers did not finish within a minute.");
            await Task.Delay(200, Ct);
        }
    }
}
