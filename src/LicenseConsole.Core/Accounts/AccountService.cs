using LicenseConsole.Common;
using LicenseConsole.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace LicenseConsole.Accounts;

/// <summary>What the console shows about the account it acts for.</summary>
public sealed record AccountProfile(Guid Id, string OwnerEmail, string DataCenter, string DataCenterName, string TimeZoneId);

/// <summary>Creates developer accounts with their owner user.</summary>
public sealed class AccountService(LicenseConsoleDbContext db, UserManager<ConsoleUser> users, TimeProvider clock)
{
    /// <summary>
    /// Creates an account homed in <paramref name="dataCenterCode"/> and its owner, who signs in with
    /// <paramref name="email"/> and <paramref name="password"/>. Both or neither are stored.
    /// </summary>
    public async Task<Account> CreateAccountAsync(string email, string password, string dataCenterCode, CancellationToken cancellationToken = default)
    {
        email = Keys.Normalize(email ?? "");
        if (!Keys.IsValidEmail(email))
        {
            throw Refusals.EmailInvalid.Error();
        }

        if (password is null || !Text.IsPrintable(password))
        {
            throw Refusals.PasswordNotPrintable.Error();
        }

        var code = Keys.NormalizeLookup(dataCenterCode);
        var dataCenter = (code is null ? null : await db.DataCenters.AsNoTracking().FirstOrDefaultAsync(d => d.Code == code, cancellationToken))
            ?? throw Refusals.DataCenterUnknown.Error(("known", string.Join(", ", DataCenter.Catalog.Select(d => d.Code))));

        if (await users.FindByEmailAsync(email) is not null)
        {
            throw Refusals.AccountExists.Error();
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var account = new Account
        {
            OwnerEmail = email,
            DataCenterCode = dataCenter.Code,
            TimeZoneId = dataCenter.TimeZoneId,
            Culture = dataCenter.Code.StartsWith("cn-", StringComparison.Ordinal) ? "zh-CN" : "en",
            CreatedAt = now,
        };
        var owner = new ConsoleUser
        {
            Id = Guid.NewGuid(),
            AccountId = account.Id,
            Role = AccessRole.Owner,
            UserName = email,
            Email = email,
            EmailConfirmed = true,
            CreatedAt = now,
        };

        var strategy = db.Database.CreateExecutionStrategy();
        return await strategy.ExecuteAsync(async () =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            db.Accounts.Add(account);
            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateException e) when (DbErrors.IsUniqueViolation(e))
            {
                db.ChangeTracker.Clear();
                throw Refusals.AccountExists.Error();
            }

            var result = await users.CreateAsync(owner, password ?? "");
            if (!result.Succeeded)
            {
                db.ChangeTracker.Clear();
                throw IdentityFailure(result);
            }

            await transaction.CommitAsync(cancellationToken);
            return account;
        });
    }

    /// <summary>The account in scope, with its data center, for the console's header and formatting.</summary>
    public async Task<AccountProfile> ProfileAsync(CancellationToken cancellationToken = default)
    {
        var accountId = db.Tenant.RequireAccountId();
        return await db.Accounts.Where(a => a.Id == accountId)
            .Select(a => new AccountProfile(a.Id, a.OwnerEmail, a.DataCenterCode, a.DataCenter!.Name, a.TimeZoneId))
            .SingleAsync(cancellationToken);
    }

    /// <summary>The account whose owner signs in with <paramref name="email"/>, or null.</summary>
    public async Task<Account?> FindByOwnerEmailAsync(string email, CancellationToken cancellationToken = default)
    {
        var normalized = Keys.Normalize(email ?? "");
        return await db.Accounts.AsNoTracking().SingleOrDefaultAsync(a => a.OwnerEmail == normalized, cancellationToken);
    }

    /// <summary>Turns Identity's refusal into a field error: a taken or refused address is the email's, the rest the password's.</summary>
    internal static DomainException IdentityFailure(IdentityResult result)
    {
        if (result.Errors.Any(e => e.Code is nameof(IdentityErrorDescriber.DuplicateEmail) or nameof(IdentityErrorDescriber.DuplicateUserName)))
        {
            return Refusals.AccountExists.Error();
        }

        // An address our own check takes that Identity's user names do not (its allowed characters are fewer).
        if (result.Errors.Any(e => e.Code is nameof(IdentityErrorDescriber.InvalidEmail) or nameof(IdentityErrorDescriber.InvalidUserName)))
        {
            return Refusals.EmailInvalid.Error();
        }

        var rules = result.Errors.Select(e => PasswordPolicy.RuleOf(e.Code)).Distinct().ToList();
        return Refusals.PasswordTooWeak.Error(("rules", new Words(string.Join(" ", rules.Select(r => r.English)), string.Concat(rules.Select(r => r.Chinese)))));
    }
}
