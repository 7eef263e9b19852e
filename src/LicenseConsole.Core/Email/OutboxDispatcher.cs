using LicenseConsole.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LicenseConsole.Email;

/// <summary>What one pass over the outbox did.</summary>
public sealed record DispatchOutcome(int Sent, int Failed);

/// <summary>
/// Drains the email outbox. A row is claimed by a conditional update before it is sent, so two instances
/// never send the same row; it is marked sent right after the server accepted it, and never sent again.
/// A failure schedules a retry with exponential back-off: an SMTP outage delays emails, loses none.
/// </summary>
public sealed class OutboxDispatcher(
    LicenseConsoleDbContext db,
    IEmailSender sender,
    TimeProvider clock,
    IOptions<EmailOptions> options,
    IOptions<SmtpOptions> smtp,
    ILogger<OutboxDispatcher> logger)
{
    public async Task<DispatchOutcome> DispatchAsync(CancellationToken cancellationToken)
    {
        if (!smtp.Value.IsConfigured)
        {
            return new DispatchOutcome(0, 0);
        }

        var settings = options.Value;
        var now = clock.GetUtcNow().UtcDateTime;
        var candidates = await db.OutboxEmails.AsNoTracking()
            .Where(e => e.SentAt == null && e.NextAttemptAt <= now && (e.ClaimedUntil == null || e.ClaimedUntil < now))
            .OrderBy(e => e.NextAttemptAt).ThenBy(e => e.Id)
            .Take(settings.BatchSize)
            .ToListAsync(cancellationToken);

        int sent = 0, failed = 0;
        foreach (var email in candidates)
        {
            var claimUntil = clock.GetUtcNow().UtcDateTime + settings.ClaimTimeout;
            var claimed = await db.OutboxEmails
                .Where(e => e.Id == email.Id && e.SentAt == null && (e.ClaimedUntil == null || e.ClaimedUntil < now))
                .ExecuteUpdateAsync(s => s.SetProperty(e => e.ClaimedUntil, claimUntil), cancellationToken);
            if (claimed == 0)
            {
                continue;
            }

            try
            {
                await sender.SendAsync(
                    new EmailMessage(email.ToAddress, email.ToName, email.Subject, email.HtmlBody, email.TextBody, $"outbox-{email.Id}@licenseconsole"),
                    cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                failed++;
                var attempts = email.Attempts + 1;
                var next = clock.GetUtcNow().UtcDateTime + Delay(attempts, settings);
                var error = e.Message.Length > 2000 ? e.Message[..2000] : e.Message;
                await db.OutboxEmails.Where(x => x.Id == email.Id)
                    .ExecuteUpdateAsync(s => s
                        .SetProperty(x => x.Attempts, attempts)
                        .SetProperty(x => x.NextAttemptAt, next)
                        .SetProperty(x => x.LastError, error)
                        .SetProperty(x => x.ClaimedUntil, (DateTime?)null), CancellationToken.None);
                logger.LogWarning("Email {EmailId} to {To} failed (attempt {Attempt}); next try at {NextAttempt}: {Error}",
                    email.Id, email.ToAddress, attempts, next, error);
                continue;
            }

            // Accepted by the server: record it at once, whatever happens to this run afterwards.
            await db.OutboxEmails.Where(x => x.Id == email.Id)
                .ExecuteUpdateAsync(s => s
                    .SetProperty(x => x.SentAt, clock.GetUtcNow().UtcDateTime)
                    .SetProperty(x => x.Attempts, email.Attempts + 1)
                    .SetProperty(x => x.LastError, (string?)null)
                    .SetProperty(x => x.ClaimedUntil, (DateTime?)null), CancellationToken.None);
            sent++;
        }

        return new DispatchOutcome(sent, failed);
    }

    /// <summary>base × 2^(attempts − 1), at most the cap.</summary>
    internal static TimeSpan Delay(int attempts, EmailOptions settings)
    {
        var factor = Math.Pow(2, Math.Min(attempts - 1, 30));
        var delay = TimeSpan.FromTicks((long)Math.Min(settings.RetryBaseDelay.Ticks * factor, settings.RetryMaxDelay.Ticks));
        return delay < settings.RetryMaxDelay ? delay : settings.RetryMaxDelay;
    }
}
