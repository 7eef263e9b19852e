using LicenseConsole.Email;
using LicenseConsole.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Moq;

namespace LicenseConsole.IntegrationTests.Email;

/// <summary>The outbox against a real SMTP server: delivered once, delayed by an outage, never lost.</summary>
public sealed class OutboxDispatcherTests(PostgresDatabases databases) : IClassFixture<PostgresDatabases>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Dispatch_QueuedAlert_ArrivesAtTheSmtpServerWithHtmlAndText()
    {
        using var smtp = new SmtpTestServer();
        await using var database = await databases.NewAsync();
        await using var ledger = new Ledger(database, smtp.Settings);
        var account = await ledger.CreateAccountAsync(culture: "en");
        await QueueAsync(database, account.Id, 1);

        var outcome = await DispatchAsync(ledger);

        Assert.Equal((1, 0), (outcome.Sent, outcome.Failed));
        var message = Assert.Single(smtp.Received);
        Assert.Equal("person-0@example.com", message.To.Mailboxes.Single().Address);
        Assert.Equal("Subject 0", message.Subject);
        Assert.StartsWith("outbox-", message.MessageId, StringComparison.Ordinal);
        Assert.Contains("Text 0", message.TextBody, StringComparison.Ordinal);
        Assert.Contains("<p>Html 0</p>", message.HtmlBody, StringComparison.Ordinal);
        await using var db = database.CreatePlatformContext();
        Assert.NotNull((await db.OutboxEmails.SingleAsync(Ct)).SentAt);
    }

    [Fact]
    public async Task Dispatch_SmtpOutageThenRecovery_DeliversEveryEmailExactlyOnce()
    {
        using var smtp = new SmtpTestServer();
        await using var database = await databases.NewAsync();
        await using var ledger = new Ledger(database, smtp.Settings);
        var account = await ledger.CreateAccountAsync();
        await QueueAsync(database, account.Id, 5);
        smtp.Stop();

        var duringOutage = await DispatchAsync(ledger);
        var tooEarly = await DispatchAsync(ledger);
        ledger.Clock.Advance(TimeSpan.FromSeconds(31));
        var stillDown = await DispatchAsync(ledger);
        smtp.Start();
        ledger.Clock.Advance(TimeSpan.FromSeconds(59));
        var notYet = await DispatchAsync(ledger);
        ledger.Clock.Advance(TimeSpan.FromSeconds(2));
        var recovered = await DispatchAsync(ledger);
        ledger.Clock.Advance(TimeSpan.FromHours(2));
        var afterwards = await DispatchAsync(ledger);

        Assert.Equal((0, 5), (duringOutage.Sent, duringOutage.Failed));
        Assert.Equal((0, 0), (tooEarly.Sent, tooEarly.Failed));
        Assert.Equal((0, 5), (stillDown.Sent, stillDown.Failed));
        Assert.Equal((0, 0), (notYet.Sent, notYet.Failed));
        Assert.Equal((5, 0), (recovered.Sent, recovered.Failed));
        Assert.Equal((0, 0), (afterwards.Sent, afterwards.Failed));
        Assert.Equal(5, smtp.Received.Count);
        Assert.Equal(5, smtp.Received.Select(m => m.MessageId).Distinct().Count());
        await using var db = database.CreatePlatformContext();
        Assert.All(await db.OutboxEmails.ToListAsync(Ct), e => Assert.Equal((3, (string?)null), (e.Attempts, e.LastError)));
    }

    [Fact]
    public async Task Dispatch_FailingSender_BacksOffExponentiallyUpToTheCap()
    {
        var sender = new Mock<IEmailSender>();
        sender.Setup(s => s.SendAsync(It.IsAny<EmailMessage>(), It.IsAny<CancellationToken>())).ThrowsAsync(new IOException("connection refused"));
        await using var database = await databases.NewAsync();
        await using var ledger = new Ledger(database,
            new Dictionary<string, string?> { ["Smtp:Host"] = "smtp.invalid", ["Email:RetryBaseDelay"] = "00:00:10", ["Email:RetryMaxDelay"] = "00:01:00" },
            s => s.AddSingleton(sender.Object));
        var account = await ledger.CreateAccountAsync();
        await QueueAsync(database, account.Id, 1);

        var waits = new List<TimeSpan>();
        for (var i = 0; i < 5; i++)
        {
            await DispatchAsync(ledger);
            await using var db = database.CreatePlatformContext();
            var email = await db.OutboxEmails.SingleAsync(Ct);
            waits.Add(email.NextAttemptAt - ledger.Now);
            Assert.Equal("connection refused", email.LastError);
            ledger.Clock.SetUtcNow(email.NextAttemptAt);
        }

        Assert.Equal([10, 20, 40, 60, 60], waits.Select(w => (int)w.TotalSeconds));
        sender.Verify(s => s.SendAsync(It.IsAny<EmailMessage>(), It.IsAny<CancellationToken>()), Times.Exactly(5));
    }

    [Fact]
    public async Task Dispatch_FourSendersAtOnce_SendEachEmailOnce()
    {
        var sent = new System.Collections.Concurrent.ConcurrentBag<string>();
        var sender = new Mock<IEmailSender>();
        sender.Setup(s => s.SendAsync(It.IsAny<EmailMessage>(), It.IsAny<CancellationToken>()))
            .Returns<EmailMessage, CancellationToken>(async (m, _) => { await Task.Yield(); sent.Add(m.MessageId); });
        await using var database = await databases.NewAsync();
        await using var ledger = new Ledger(database, new Dictionary<string, string?> { ["Smtp:Host"] = "smtp.invalid" }, s => s.AddSingleton(sender.Object));
        var account = await ledger.CreateAccountAsync();
        await QueueAsync(database, account.Id, 40);

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => DispatchAsync(ledger))));

        Assert.Equal(40, outcomes.Sum(o => o.Sent));
        Assert.Equal(40, sent.Count);
        Assert.Equal(40, sent.Distinct().Count());
    }

    [Fact]
    public async Task Dispatch_NoSmtpHostConfigured_KeepsEveryEmailWaiting()
    {
        var sender = new Mock<IEmailSender>(MockBehavior.Strict);
        await using var database = await databases.NewAsync();
        await using var ledger = new Ledger(database, configure: s => s.AddSingleton(sender.Object));
        var account = await ledger.CreateAccountAsync();
        await QueueAsync(database, account.Id, 2);

        var outcome = await DispatchAsync(ledger);

        Assert.Equal((0, 0), (outcome.Sent, outcome.Failed));
        await using var db = database.CreatePlatformContext();
        Assert.Equal(2, await db.OutboxEmails.CountAsync(e => e.SentAt == null && e.Attempts == 0, Ct));
    }

    private static Task<DispatchOutcome> DispatchAsync(Ledger ledger) =>
        ledger.AsPlatformAsync(s => s.GetRequiredService<OutboxDispatcher>().DispatchAsync(CancellationToken.None));

    private static async Task QueueAsync(TestDatabase database, Guid accountId, int count)
    {
        await using var db = database.CreatePlatformContext();
        for (var i = 0; i < count; i++)
        {
            db.OutboxEmails.Add(new OutboxEmail
            {
                AccountId = accountId,
                ToAddress = $"person-{i}@example.com",
                Subject = $"Subject {i}",
                HtmlBody = $"<p>Html {i}</p>",
                TextBody = $"Text {i}",
                CreatedAt = Ledger.Start.UtcDateTime,
                NextAttemptAt = Ledger.Start.UtcDateTime,
            });
        }

        await db.SaveChangesAsync(Ct);
    }
}
