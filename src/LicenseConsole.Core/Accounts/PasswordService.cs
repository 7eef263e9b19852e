using LicenseConsole.Auditing;
using LicenseConsole.Common;
using LicenseConsole.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace LicenseConsole.Accounts;

/// <summary>A user's own password: changed with the current one, ending the user's other sessions.</summary>
public sealed class PasswordService(LicenseConsoleDbContext db, UserManager<ConsoleUser> users, SignInSessionService sessions, AuditTrail audit)
{
    /// <summary>
    /// Sets <paramref name="newPassword"/> for <paramref name="userId"/> once <paramref name="currentPassword"/> is right;
    /// every session of the user but <paramref name="keepSession"/> ends.
    /// </summary>
    public async Task ChangeAsync(Guid userId, string? currentPassword, string? newPassword, Guid? keepSession, CancellationToken cancellationToken = default)
    {
        var user = await db.Users.SingleOrDefaultAsync(u => u.Id == userId, cancellationToken) ?? throw Refusals.CurrentPasswordWrong.Error();
        if (currentPassword is null || !await users.CheckPasswordAsync(user, currentPassword))
        {
            throw Refusals.CurrentPasswordWrong.Error();
        }

        if (newPassword is null || !Text.IsPrintable(newPassword))
        {
            throw Refusals.PasswordNotPrintable.ErrorFor("newPassword");
        }

        var strategy = db.Database.CreateExecutionStrategy();
        await strategy.ExecuteAsync(async () =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            await SetAsync(users, user, newPassword, "newPassword");
            await sessions.EndAllAsync(user.Id, keepSession, cancellationToken);
            audit.Record(user.AccountId, AuditActions.PasswordChange, user.Email!, null, new { passwordChanged = true });
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        });
    }

    /// <summary>Sets a password after the policy accepts it; a refused one changes nothing.</summary>
    internal static async Task SetAsync(UserManager<ConsoleUser> users, ConsoleUser user, string password, string field = "password")
    {
        var errors = new List<IdentityError>();
        foreach (var validator in users.PasswordValidators)
        {
            var result = await validator.ValidateAsync(users, user, password);
            errors.AddRange(result.Errors);
        }

        if (errors.Count > 0)
        {
            var refusal = AccountService.IdentityFailure(IdentityResult.Failed([.. errors]));
            throw refusal.Refusal.ErrorFor(field, [.. refusal.Details.Select(d => (d.Key, d.Value))]);
        }

        user.PasswordHash = users.PasswordHasher.HashPassword(user, password);
        var updated = await users.UpdateSecurityStampAsync(user);
        if (!updated.Succeeded)
        {
            throw AccountService.IdentityFailure(updated);
        }
    }
}
