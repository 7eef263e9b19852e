using LicenseConsole.Auditing;
using LicenseConsole.Common;
using LicenseConsole.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace LicenseConsole.Accounts;

/// <summary>A sub-account as the owner lists it: <see cref="ProductKeys"/> null means every product.</summary>
public sealed record SubAccountRecord(Guid Id, string Email, AccessRole Role, bool MaintainsRecipients, IReadOnlyList<string>? ProductKeys, DateTime CreatedAt);

/// <summary>
/// What the owner gives or changes: a member left null is unchanged (on creation: role viewer, recipients
/// right on, every product). An empty <see cref="ProductKeys"/> means every product.
/// </summary>
public sealed record SubAccountChange(
    string? Email = null, string? Password = null, string? Role = null, bool? MaintainsRecipients = null, IReadOnlyCollection<string?>? ProductKeys = null);

/// <summary>The owner's management of sub-accounts: their sign-in, role, products and recipients right. Every change is audited.</summary>
public sealed class SubAccountService(
    LicenseConsoleDbContext db, UserManager<ConsoleUser> users, ProductScopes scopes, SignInSessionService sessions, AuditTrail audit, TimeProvider clock)
{
    public async Task<IReadOnlyList<SubAccountRecord>> ListAsync(CancellationToken cancellationToken = default)
    {
        var accountId = db.Tenant.RequireAccountId();
        var list = await db.Users.Where(u => u.AccountId == accountId && u.Role != AccessRole.Owner)
            .OrderBy(u => u.Email)
            .ToListAsync(cancellationToken);
        var granted = await scopes.OfUsersAsync([.. list.Where(u => u.LimitedToProducts).Select(u => u.Id)], cancellationToken);
        return [.. list.Select(u => Record(u, u.LimitedToProducts ? [.. granted[u.Id]] : null))];
    }

    public async Task<SubAccountRecord> GetAsync(Guid userId, CancellationToken cancellationToken = default)
    {
        var user = await RequireAsync(userId, cancellationToken);
        var granted = await scopes.OfUsersAsync([user.Id], cancellationToken);
        return Record(user, user.LimitedToProducts ? [.. granted[user.Id]] : null);
    }

    /// <summary>Creates a sub-account that signs in with the change's email and password.</summary>
    public async Task<SubAccountRecord> CreateAsync(SubAccountChange change, CancellationToken cancellationToken = default)
    {
        var accountId = db.Tenant.RequireAccountId();
        var address = RequireEmail(change.Email);
        RequirePrintable(change.Password);
        var role = change.Role is null ? AccessRole.Viewer : Rights.ParseGiven(change.Role) ?? throw Refusals.RoleInvalid.Error();
        var scope = await scopes.ResolveAsync(accountId, change.ProductKeys, cancellationToken);
        var user = new ConsoleUser
        {
            Id = Guid.NewGuid(),
            AccountId = accountId,
            Role = role,
            MaintainsRecipients = change.MaintainsRecipients ?? true,
            LimitedToProducts = scope.Limited,
            UserName = address,
            Email = address,
            EmailConfirmed = true,
            CreatedAt = clock.GetUtcNow().UtcDateTime,
        };
        var strategy = db.Database.CreateExecutionStrategy();
        await strategy.ExecuteAsync(async () =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var result = await users.CreateAsync(user, change.Password ?? "");
            if (!result.Succeeded)
            {
                db.ChangeTracker.Clear();
                throw AccountService.IdentityFailure(result);
            }

            await scopes.ReplaceForUserAsync(accountId, user.Id, scope, cancellationToken);
            audit.Record(accountId, AuditActions.SubAccountAdd, address, null, Audited(user, scope.ProductKeys));
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        });
        return Record(user, scope.ProductKeys);
    }

    /// <summary>
    /// Changes a sub-account: members left null stay as they are. A new role, right or scope holds from the
    /// sub-account's next request; a new password ends its sessions.
    /// </summary>
    public async Task<SubAccountRecord> UpdateAsync(Guid userId, SubAccountChange change, CancellationToken cancellationToken = default)
    {
        var accountId = db.Tenant.RequireAccountId();
        var user = await RequireAsync(userId, cancellationToken);
        var address = change.Email is null ? null : RequireEmail(change.Email);
        if (change.Password is not null)
        {
            RequirePrintable(change.Password);
        }

        var role = change.Role is null ? user.Role : Rights.ParseGiven(change.Role) ?? throw Refusals.RoleInvalid.Error();
        var scope = change.ProductKeys is null ? null : await scopes.ResolveAsync(accountId, change.ProductKeys, cancellationToken);
        var before = await GetAsync(userId, cancellationToken);

        var strategy = db.Database.CreateExecutionStrategy();
        await strategy.ExecuteAsync(async () =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            if (address is not null && address != user.Email)
            {
                user.Email = address;
                user.UserName = address;
                var renamed = await users.UpdateAsync(user);
                if (!renamed.Succeeded)
                {
                    db.ChangeTracker.Clear();
                    throw AccountService.IdentityFailure(renamed);
                }
            }

            if (change.Password is not null)
            {
                await PasswordService.SetAsync(users, user, change.Password);
                await sessions.EndAllAsync(user.Id, cancellationToken: cancellationToken);
                audit.Record(accountId, AuditActions.SubAccountPassword, user.Email!, null, new { passwordSet = true });
            }

            user.Role = role;
            user.MaintainsRecipients = change.MaintainsRecipients ?? user.MaintainsRecipients;
            if (scope is not null)
            {
                user.LimitedToProducts = scope.Limited;
                await scopes.ReplaceForUserAsync(accountId, user.Id, scope, cancellationToken);
            }

            var after = Record(user, scope is null ? before.ProductKeys : scope.ProductKeys);
            if (after.Email != before.Email || after.Role != before.Role || after.MaintainsRecipients != before.MaintainsRecipients
                || !SameKeys(before.ProductKeys, after.ProductKeys))
            {
                audit.Record(accountId, AuditActions.SubAccountChange, user.Email!, Audited(before), Audited(after));
            }

            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        });
        return await GetAsync(userId, cancellationToken);
    }

    /// <summary>Removes a sub-account; its sessions end with it, on their next request.</summary>
    public async Task RemoveAsync(Guid userId, CancellationToken cancellationToken = default)
    {
        var accountId = db.Tenant.RequireAccountId();
        var user = await RequireAsync(userId, cancellationToken);
        var before = await GetAsync(userId, cancellationToken);
        var strategy = db.Database.CreateExecutionStrategy();
        await strategy.ExecuteAsync(async () =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var result = await users.DeleteAsync(user);
            if (!result.Succeeded)
            {
                throw Refusals.SubAccountBusy.Error();
            }

            audit.Record(accountId, AuditActions.SubAccountRemove, user.Email!, Audited(before), null);
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        });
    }

    private async Task<ConsoleUser> RequireAsync(Guid userId, CancellationToken cancellationToken)
    {
        var accountId = db.Tenant.RequireAccountId();
        return await db.Users.SingleOrDefaultAsync(u => u.Id == userId && u.AccountId == accountId && u.Role != AccessRole.Owner, cancellationToken)
            ?? throw Refusals.SubAccountNotFound.Error();
    }

    private static string RequireEmail(string? email)
    {
        var address = Keys.Normalize(email ?? "");
        return Keys.IsValidEmail(address) ? address : throw Refusals.EmailInvalid.Error();
    }

    private static void RequirePrintable(string? password)
    {
        if (password is null || !Text.IsPrintable(password))
        {
            throw Refusals.PasswordNotPrintable.Error();
        }
    }

    private static bool SameKeys(IReadOnlyList<string>? a, IReadOnlyList<string>? b) =>
        a is null ? b is null : b is not null && a.SequenceEqual(b);

    private static SubAccountRecord Record(ConsoleUser u, IReadOnlyList<string>? productKeys) =>
        new(u.Id, u.Email!, u.Role, u.MaintainsRecipients, productKeys, u.CreatedAt);

    private static object Audited(ConsoleUser u, IReadOnlyList<string>? productKeys) => Audited(Record(u, productKeys));

    private static object Audited(SubAccountRecord r) =>
        new { email = r.Email, role = Rights.Name(r.Role), maintainsRecipients = r.MaintainsRecipients, productKeys = r.ProductKeys };
}
