using LicenseConsole.Common;
using LicenseConsole.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace LicenseConsole.Accounts;

/// <summary>What a password must hold: at least this many characters, with an upper-case letter, a lower-case letter and a digit.</summary>
public static class PasswordPolicy
{
    public const int MinLength = 10;

    /// <summary>The rule an Identity password error stands for, in both languages.</summary>
    public static Words RuleOf(string identityCode) => identityCode switch
    {
        nameof(IdentityErrorDescriber.PasswordTooShort) => new($"Passwords must be at least {MinLength} characters.", $"密码至少需要 {MinLength} 个字符。"),
        nameof(IdentityErrorDescriber.PasswordRequiresDigit) => new("Passwords must have at least one digit ('0'-'9').", "密码至少需要包含一个数字（0-9）。"),
        nameof(IdentityErrorDescriber.PasswordRequiresLower) => new("Passwords must have at least one lowercase ('a'-'z').", "密码至少需要包含一个小写字母（a-z）。"),
        nameof(IdentityErrorDescriber.PasswordRequiresUpper) => new("Passwords must have at least one uppercase ('A'-'Z').", "密码至少需要包含一个大写字母（A-Z）。"),
        _ => new("Choose another password.", "请换一个密码。"),
    };
}

public static class IdentityServiceCollectionExtensions
{
    /// <summary>Identity's user store and the password and lockout policy; the web host adds sign-in on top.</summary>
    public static IdentityBuilder AddLicenseConsoleIdentity(this IServiceCollection services) =>
        services.AddIdentityCore<ConsoleUser>(o =>
            {
                o.User.RequireUniqueEmail = true;
                o.Password.RequiredLength = PasswordPolicy.MinLength;
                o.Password.RequireDigit = true;
                o.Password.RequireLowercase = true;
                o.Password.RequireUppercase = true;
                o.Password.RequireNonAlphanumeric = false;
                o.Lockout.AllowedForNewUsers = true;
                o.Lockout.MaxFailedAccessAttempts = 5;
                o.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(15);
            })
            .AddEntityFrameworkStores<LicenseConsoleDbContext>();
}
