using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Localization;

namespace LicenseConsole.Web.Localization;

/// <summary>Identity's refusals (password policy, taken emails) in the user's language.</summary>
public sealed class ConsoleIdentityErrors(IStringLocalizer<ConsoleText> text) : IdentityErrorDescriber
{
    public override IdentityError PasswordTooShort(int length) =>
        new() { Code = nameof(PasswordTooShort), Description = text["Passwords must be at least {0} characters.", length] };

    public override IdentityError PasswordRequiresDigit() =>
        new() { Code = nameof(PasswordRequiresDigit), Description = text["Passwords must have at least one digit ('0'-'9')."] };

    public override IdentityError PasswordRequiresLower() =>
        new() { Code = nameof(PasswordRequiresLower), Description = text["Passwords must have at least one lowercase ('a'-'z')."] };

    public override IdentityError PasswordRequiresUpper() =>
        new() { Code = nameof(PasswordRequiresUpper), Description = text["Passwords must have at least one uppercase ('A'-'Z')."] };

    public override IdentityError PasswordRequiresNonAlphanumeric() =>
        new() { Code = nameof(PasswordRequiresNonAlphanumeric), Description = text["Passwords must have at least one non alphanumeric character."] };

    public override IdentityError DuplicateEmail(string email) =>
        new() { Code = nameof(DuplicateEmail), Description = text["Email '{0}' is already taken.", email] };

    public override IdentityError DuplicateUserName(string userName) =>
        new() { Code = nameof(DuplicateUserName), Description = text["Email '{0}' is already taken.", userName] };

    public override IdentityError InvalidEmail(string? email) =>
        new() { Code = nameof(InvalidEmail), Description = text["Email '{0}' is invalid.", email ?? ""] };
}
