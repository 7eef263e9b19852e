using LicenseConsole.Auditing;
using LicenseConsole.Common;
using LicenseConsole.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace LicenseConsole.Accounts;

/// <summary>A sub-account as the owner's page lists it.</summary>
public sealed record SubAccountRecord(Guid Id, string Email, DateTime CreatedAt);

/// <summary>The owner's management of sub-accounts and of what they may do. Only the owner may call it.</summary>
public sealed class SubAccountService(LicenseConsoleDbContext db, UserManager<ConsoleUser> users, AuditTrail audit, TimeProvider clock)
{
    public async Task<IReadOnlyList<SubAccountRecord>> ListAsync(CancellationToken cancellationToken = default)
    {
        var accountId = RequireOwner();
        return await db.Users.Where(u => u.AccountId == accountId && !u.IsOwner)
            .OrderBy(u => u.Email)
            .Select(u => new SubAccountRecord(u.Id, u.Email!, u.CreatedAt))
            .ToListAsync(cancellationToken);
    }

    /// <summary>Whether sub-accounts may maintain the alert recipients.</summary>
    public async Task<bool> RecipientsRightAsync(CancellationToken cancellationToken = default)
    {
        var accountId = RequireOwner();
        return await db.Accounts.Where(a => a.Id == accountId).Select(a => a.SubAccountsManageRecipients).SingleAsync(cancellationToken);
    }

    /// <summary>Creates a sub-account that signs in with <paramref name="email"/> and <paramref name="password"/>.</summary>
    public async Task<SubAccountRecord> InviteAsync(string? email, string? password, CancellationToken cancellationToken = default)
    {
        var accountId = RequireOwner();
        var address = Keys.Normalize(email ?? "");
        if (!Keys.IsValidEmail(address))
        {
            throw Refusals.EmailInvalid.Error();
        }

        if (password is null || !Text.IsPrintable(password))
        {
            throw Refusals.PasswordNotPrintable.Error();
        }

        var user = new ConsoleUser
        {
            Id = Guid.NewGuid(),
            AccountId = accountId,
            IsOwner = false,
            UserName = address,
            Email = address,
            EmailConfirmed = true,
            CreatedAt = clock.GetUtcNow().UtcDateTime,
        };
        var strategy = db.Database.CreateExecutionStrategy();
        await strategy.ExecuteAsync(async () =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var result = await users.CreateAsync(user, password ?? "");
            if (!result.Succeeded)
            {
                db.ChangeTracker.Clear();
                throw AccountService.IdentityFailure(result);
            }

            audit.Record(accountId, AuditActions.SubAccountAdd, address, null, new { email = address });
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        });
        return new SubAccountRecord(user.Id, address, user.CreatedAt);
    }

    /// <summary>Removes a sub-account; its sign-in stops working.</summary>
    public async Task RemoveAsync(Guid userId, CancellationToken cancellationToken = default)
    {
        var accountId = RequireOwner();
        var user = await db.Users.SingleOrDefaultAsync(u => u.Id == userId && u.AccountId == accountId && !u.IsOwner, cancellationToken)
            ?? throw Refusals.SubAccountNotFound.Error();
        var strategy = db.Database.CreateExecutionStrategy();
        await strategy.ExecuteAsync(async () =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var result = await users.DeleteAsync(user);
            if (!result.Succeeded)
            {
                throw Refusals.SubAccountBusy.Error();
            }

            audit.Record(accountId, AuditActions.SubAccountRemove, user.Email!, new { email = user.Email }, null);
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        });
    }

    /// <summary>Grants or revokes the sub-accounts' right to maintain the alert recipients.</summary>
    public async Task SetRecipientsRightAsync(bool allowed, CancellationToken cancellationToken = default)
    {
        var accountId = RequireOwner();
        var before = await RecipientsRightAsync(cancellationToken);
        await db.Accounts.Where(a => a.Id == accountId)
            .ExecuteUpdateAsync(s => s.SetProperty(a => a.SubAccountsManageRecipients, allowed), cancellationToken);
        audit.Record(accountId, AuditActions.RecipientsRight, "sub-accounts", new { allowed = before }, new { allowed });
        await db.SaveChangesAsync(cancellationToken);
    }

    private Guid RequireOwner()
    {
        var accountId = db.Tenant.RequireAccountId();
        return db.Tenant.IsSubAccount
            ? throw Refusals.SubAccountsOwnerOnly.Error()
            : accountId;
    }
}
