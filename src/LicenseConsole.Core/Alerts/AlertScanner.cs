using System.Text.Json;
using LicenseConsole.Accounts;
using LicenseConsole.Data;
using LicenseConsole.Devices;
using LicenseConsole.Email;
using LicenseConsole.Licensing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LicenseConsole.Alerts;

/// <summary>
/// SPEC rule 12: looks at every live product and raises the resource alerts its state calls for, at most one
/// per product, kind and day (the account's day). Each alert and its emails (one per recipient, owner
/// included) are written in one transaction; the outbox sends them.
/// </summary>
public sealed class AlertScanner(
    LicenseConsoleDbContext db,
    TimeProvider clock,
    IOptions<LicensingOptions> licensing,
    IOptions<AlertOptions> alerts,
    IOptions<AppOptions> app,
    ILogger<AlertScanner> logger)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Raises what is due; returns how many alerts were raised.</summary>
    public async Task<int> ScanAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var threshold = licensing.Value.ExpiringThresholdDays;
        var horizon = now.AddDays(threshold);
        var lowPercent = alerts.Value.LowPoolPercent;

        // Two grouped counts over the devices (each read through a partial index) instead of counts correlated
        // per product: on a million devices the correlated form took most of a second, and ran at every tick.
        var renewingByProduct = await db.Devices
            .Where(d => d.DeletedAt == null && d.LapsedAt == null && d.AutoRenew && d.ExpiresAt <= horizon)
            .GroupBy(d => d.ProductId)
            .Select(g => new { ProductId = g.Key, Count = g.Count() })
            .ToDictionaryAsync(g => g.ProductId, g => g.Count, cancellationToken);
        var lapsedByProduct = await db.Devices
            .Where(d => d.DeletedAt == null && d.LapsedAt != null && d.LapseReason == LapseReason.NoLicense)
            .GroupBy(d => d.ProductId)
            .Select(g => new { ProductId = g.Key, Count = g.Count() })
            .ToDictionaryAsync(g => g.ProductId, g => g.Count, cancellationToken);
        var pools = await db.Products
            .Where(p => p.DeletedAt == null)
            .Select(p => new { p.Id, p.AccountId, p.ProductKey, p.Name, p.AutoRenew, p.Pool!.Total, Remaining = p.Pool.Total - p.Pool.Used })
            .ToListAsync(cancellationToken);
        var products = pools
            .Select(p => new
            {
                p.Id,
                p.AccountId,
                p.ProductKey,
                p.Name,
                p.Total,
                p.Remaining,
                Renewing = p.AutoRenew ? renewingByProduct.GetValueOrDefault(p.Id) : 0,
                Lapsed = lapsedByProduct.GetValueOrDefault(p.Id),
            })
            .Where(p => p.Remaining < p.Renewing || p.Lapsed > 0 || (p.Total > 0 && p.Remaining * 100 <= p.Total * lowPercent))
            .ToList();

        var raised = 0;
        foreach (var product in products)
        {
            var kinds = new List<AlertKind>();
            if (product.Remaining < product.Renewing)
            {
                kinds.Add(AlertKind.Shortfall);
            }

            if (product.Lapsed > 0)
            {
                kinds.Add(AlertKind.Lapsed);
            }

            if (product.Total > 0 && product.Remaining * 100 <= product.Total * lowPercent)
            {
                kinds.Add(AlertKind.LowPool);
            }

            foreach (var kind in kinds)
            {
                DateTime? firstOffline = kind switch
                {
                    // The first device the pool cannot renew: the (remaining + 1)-th to expire.
                    AlertKind.Shortfall => await db.Devices
                        .Where(d => d.ProductId == product.Id && d.DeletedAt == null && d.AutoRenew && d.LapsedAt == null && d.ExpiresAt <= horizon)
                        .OrderBy(d => d.ExpiresAt).Skip((int)Math.Max(0, product.Remaining)).Select(d => d.ExpiresAt).FirstOrDefaultAsync(cancellationToken),
                    AlertKind.Lapsed => await db.Devices
                        .Where(d => d.ProductId == product.Id && d.DeletedAt == null && d.LapseReason == LapseReason.NoLicense)
                        .MinAsync(d => d.LapsedAt, cancellationToken),
                    _ => null,
                };
                var facts = new AlertFacts(kind, product.Name, product.ProductKey, product.Total, product.Remaining, product.Renewing,
                    Math.Max(0, product.Renewing - product.Remaining), firstOffline, product.Lapsed, threshold, lowPercent);
                raised += await RaiseAsync(product.AccountId, product.Id, facts, now, cancellationToken) ? 1 : 0;
            }
        }

        return raised;
    }

    private async Task<bool> RaiseAsync(Guid accountId, long productId, AlertFacts facts, DateTime now, CancellationToken cancellationToken)
    {
        var account = await db.Accounts.AsNoTracking()
            .Where(a => a.Id == accountId)
            .Select(a => new { a.OwnerEmail, a.TimeZoneId, a.Culture })
            .SingleAsync(cancellationToken);
        var zone = AccountCalendar.Find(account.TimeZoneId);
        var day = DateOnly.FromDateTime(AccountCalendar.ToLocal(now, zone));
        if (await db.Alerts.AnyAsync(a => a.ProductId == productId && a.Kind == facts.Kind && a.Day == day, cancellationToken))
        {
            return false;
        }

        var recipients = new List<(string Email, string? Name)> { (account.OwnerEmail, null) };
        recipients.AddRange(await db.AlertRecipients.Where(r => r.AccountId == accountId)
            .OrderBy(r => r.Id).Select(r => new ValueTuple<string, string?>(r.Email, r.Name)).ToListAsync(cancellationToken));
        var email = AlertEmailComposer.Compose(facts, account.Culture, zone, app.Value.PublicUrl);

        db.Alerts.Add(new Alert
        {
            AccountId = accountId,
            ProductId = productId,
            Kind = facts.Kind,
            Day = day,
            CreatedAt = now,
            Subject = email.Subject,
            Details = JsonSerializer.Serialize(facts, Json),
            Recipients = string.Join(", ", recipients.Select(r => r.Email)),
        });
        foreach (var (address, name) in recipients)
        {
            db.OutboxEmails.Add(new OutboxEmail
            {
                AccountId = accountId,
                ToAddress = address,
                ToName = name,
                Subject = email.Subject,
                HtmlBody = email.HtmlBody,
                TextBody = email.TextBody,
                CreatedAt = now,
                NextAttemptAt = now,
            });
        }

        try
        {
            // The alert and its emails in one save: both or neither.
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException e) when (DbErrors.IsUniqueViolation(e))
        {
            // Another instance raised the same alert today: it sent the emails.
            db.ChangeTracker.Clear();
            return false;
        }

        db.ChangeTracker.Clear();
        logger.LogInformation("Raised a {Kind} alert for product {ProductKey} to {Count} recipient(s)", facts.Kind, facts.ProductKey, recipients.Count);
        return true;
    }
}
