using Microsoft.AspNetCore.Identity;

namespace LicenseConsole.Accounts;

/// <summary>A person who signs in to the console: the account's owner or one of its sub-accounts.</summary>
public sealed class ConsoleUser : IdentityUser<Guid>
{
    public Guid AccountId { get; set; }
    public Account? Account { get; set; }

    /// <summary>True for the developer account's owner; false for a sub-account.</summary>
    public bool IsOwner { get; set; }

    public DateTime CreatedAt { get; set; }
}
