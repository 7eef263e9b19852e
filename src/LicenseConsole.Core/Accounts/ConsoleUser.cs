using Microsoft.AspNetCore.Identity;

namespace LicenseConsole.Accounts;

/// <summary>A person who signs in to the console: the account's owner or one of its sub-accounts.</summary>
public sealed class ConsoleUser : IdentityUser<Guid>
{
    public Guid AccountId { get; set; }
    public Account? Account { get; set; }

    /// <summary>The account's owner (one per account, never removed or demoted), or a sub-account's given role.</summary>
    public AccessRole Role { get; set; }

    /// <summary>Whether a sub-account may maintain the alert recipients (on by default; the owner may revoke it).</summary>
    public bool MaintainsRecipients { get; set; } = true;

    /// <summary>True when the sub-account sees only the products granted to it (<see cref="ProductGrant"/>).</summary>
    public bool LimitedToProducts { get; set; }

    public DateTime CreatedAt { get; set; }
}
