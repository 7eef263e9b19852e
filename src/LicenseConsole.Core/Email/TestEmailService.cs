using System.Net;
using LicenseConsole.Alerts;
using LicenseConsole.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace LicenseConsole.Email;

/// <summary>How many test emails were queued, and whether an SMTP server is configured to send them (else they wait in the outbox).</summary>
public sealed record TestEmailsQueued(int Count, bool WillBeSent);

/// <summary>Queues a test email to everyone who receives the account's alerts, to check that mail arrives.</summary>
public sealed class TestEmailService(LicenseConsoleDbContext db, AlertRecipientService recipients, IOptions<SmtpOptions> smtp, TimeProvider clock)
{
    /// <summary>Queues one email for the owner and each recipient.</summary>
    public async Task<TestEmailsQueued> QueueAsync(CancellationToken cancellationToken = default)
    {
        var accountId = db.Tenant.RequireAccountId();
        var culture = await db.Accounts.Where(a => a.Id == accountId).Select(a => a.Culture).SingleAsync(cancellationToken);
        var chinese = culture.StartsWith("zh", StringComparison.OrdinalIgnoreCase);
        var subject = chinese ? "LicenseConsole 测试邮件" : "LicenseConsole test email";
        var body = chinese
            ? $"这是一封测试邮件，由 {db.Tenant.Actor} 从接警人设置页发送。收到它说明资源告警可以送达您的邮箱。"
            : $"This is a test email, sent by {db.Tenant.Actor} from the alert recipients page. Receiving it means resource alerts reach you.";
        var now = clock.GetUtcNow().UtcDateTime;
        var list = await recipients.ListAsync(cancellationToken);
        foreach (var recipient in list)
        {
            db.OutboxEmails.Add(new OutboxEmail
            {
                AccountId = accountId,
                ToAddress = recipient.Email,
                ToName = recipient.IsOwner ? null : recipient.Name,
                Subject = subject,
                HtmlBody = $"<!DOCTYPE html><html><body style=\"font-family: sans-serif\"><p>{WebUtility.HtmlEncode(body)}</p></body></html>",
                TextBody = body + "\n",
                CreatedAt = now,
                NextAttemptAt = now,
            });
        }

        await db.SaveChangesAsync(cancellationToken);
        return new TestEmailsQueued(list.Count, smtp.Value.IsConfigured);
    }
}
