using LicenseConsole.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace LicenseConsole.Accounts;

public static class IdentityServiceCollectionExtensions
{
    /// <summary>Identity's user store and the password and lockout policy; the web host adds sign-in on top.</summary>
    public static IdentityBuilder AddLicenseConsoleIdentity(this IServiceCollection services) =>
        services.AddIdentityCore<ConsoleUser>(o =>
            {
                o.User.RequireUniqueEmail = true;
                o.Password.RequiredLength = 10;
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
