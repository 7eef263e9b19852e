namespace LicenseConsole.Accounts;

/// <summary>
/// The account the current request or job acts for. Every tenant-owned entity is filtered by it in the
/// DbContext, so a query cannot forget it. A fresh context sees nothing until it is scoped to an account
/// or explicitly marked as acting for the whole platform (gateway, billing, worker, CLI).
/// </summary>
public sealed class TenantContext
{
    public Guid? AccountId { get; private set; }

    /// <summary>Who is acting, for audit entries and allocation records.</summary>
    public string Actor { get; private set; } = "anonymous";

    /// <summary>True for platform-wide work: the gateway, billing, the worker and the operator CLI.</summary>
    public bool IsPlatform { get; private set; }

    /// <summary>Whether the actor is a sub-account (narrower rights than the owner).</summary>
    public bool IsSubAccount { get; private set; }

    public void ActForAccount(Guid accountId, string actor, bool isSubAccount = false)
    {
        AccountId = accountId;
        Actor = actor;
        IsPlatform = false;
        IsSubAccount = isSubAccount;
    }

    public void ActForPlatform(string actor)
    {
        AccountId = null;
        Actor = actor;
        IsPlatform = true;
        IsSubAccount = false;
    }

    /// <summary>The scoped account id; throws when the caller acts for no single account.</summary>
    public Guid RequireAccountId() =>
        AccountId ?? throw new InvalidOperationException("This operation needs an account scope.");
}
