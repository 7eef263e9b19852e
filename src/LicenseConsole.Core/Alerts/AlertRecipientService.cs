using LicenseConsole.Auditing;
using LicenseConsole.Common;
using LicenseConsole.Data;
using Microsoft.EntityFrameworkCore;

namespace LicenseConsole.Alerts;

/// <summary>A recipient as listed; the owner's entry (id 0) is fixed.</summary>
public sealed record RecipientRecord(long Id, string Name, string Email, bool IsOwner, DateTime? CreatedAt);

/// <summary>
/// The people who receive resource alerts (SPEC rule 11). The owner always does and cannot be removed;
/// the owner and, unless revoked, sub-accounts maintain the rest. Every change is audited.
/// </summary>
public sealed class AlertRecipientService(LicenseConsoleDbContext db, AuditTrail audit, TimeProvider clock)
{
    public const long OwnerEntryId = 0;
    public const int MaxNameLength = 100;

    /// <summary>A page of <see cref="ListAsync(CancellationToken)"/>; the list is short, so it is paged in memory.</summary>
    public async Task<Paged<RecipientRecord>> ListAsync(PageRequest page, CancellationToken cancellationToken = default)
    {
        var all = await ListAsync(cancellationToken);
        return new Paged<RecipientRecord>([.. all.Skip(page.Skip).Take(page.PageSize)], page.Page, page.PageSize, all.Count);
    }

    /// <summary>The owner first, then the others by name.</summary>
    public async Task<IReadOnlyList<RecipientRecord>> ListAsync(CancellationToken cancellationToken = default)
    {
        var accountId = db.Tenant.RequireAccountId();
        var owner = await db.Accounts.Where(a => a.Id == accountId).Select(a => a.OwnerEmail).SingleAsync(cancellationToken);
        var others = await db.AlertRecipients.OrderBy(r => r.Name).ThenBy(r => r.Email)
            .Select(r => new RecipientRecord(r.Id, r.Name, r.Email, false, r.CreatedAt))
            .ToListAsync(cancellationToken);
        return [new RecipientRecord(OwnerEntryId, "Account owner", owner, true, null), .. others];
    }

    public async Task<RecipientRecord> AddAsync(string? name, string? email, CancellationToken cancellationToken = default)
    {
        var accountId = db.Tenant.RequireAccountId();
        var trimmedName = Text.RequireName(name, MaxNameLength, "name", new Words("name", "姓名"));
        var address = Keys.Normalize(email ?? "");
        if (!Keys.IsValidEmail(address))
        {
            throw Refusals.EmailInvalid.Error();
        }

        var owner = await db.Accounts.Where(a => a.Id == accountId).Select(a => a.OwnerEmail).SingleAsync(cancellationToken);
        if (address == owner || await db.AlertRecipients.AnyAsync(r => r.Email == address, cancellationToken))
        {
            throw Refusals.RecipientExists.Error();
        }

        var recipient = new AlertRecipient
        {
            AccountId = accountId,
            Name = trimmedName,
            Email = address,
            CreatedAt = clock.GetUtcNow().UtcDateTime,
            CreatedBy = db.Tenant.Actor,
        };
        db.AlertRecipients.Add(recipient);
        audit.Record(accountId, AuditActions.RecipientAdd, address, null, new { name = trimmedName, email = address });
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException e) when (DbErrors.IsUniqueViolation(e))
        {
            db.ChangeTracker.Clear();
            throw Refusals.RecipientExists.Error();
        }

        return new RecipientRecord(recipient.Id, recipient.Name, recipient.Email, false, recipient.CreatedAt);
    }

    public async Task RemoveAsync(long id, CancellationToken cancellationToken = default)
    {
        var accountId = db.Tenant.RequireAccountId();
        if (id == OwnerEntryId)
        {
            throw Refusals.OwnerRecipientFixed.Error();
        }

        var recipient = await db.AlertRecipients.SingleOrDefaultAsync(r => r.Id == id, cancellationToken)
            ?? throw Refusals.RecipientNotFound.Error();
        db.AlertRecipients.Remove(recipient);
        audit.Record(accountId, AuditActions.RecipientRemove, recipient.Email, new { name = recipient.Name, email = recipient.Email }, null);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            // Removed by someone else at the same moment: the outcome asked for holds.
            db.ChangeTracker.Clear();
        }
    }
}
