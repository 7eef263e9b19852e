namespace LicenseConsole.Accounts;

/// <summary>
/// Who a request acts as inside its account: a console user or an API key, its role, its rights, and the
/// products it is limited to (null: every product of the account). Read from the database on every request,
/// so a changed role or scope holds from the next request on.
/// </summary>
public sealed record CallerAccess(
    AccessRole Role,
    IReadOnlySet<Right> Rights,
    IReadOnlyList<long>? ProductIds,
    bool MaintainsRecipients,
    Guid? UserId = null,
    long? ApiKeyId = null)
{
    public static CallerAccess ForUser(Guid userId, AccessRole role, bool maintainsRecipients, IReadOnlyList<long>? productIds) =>
        new(role, Accounts.Rights.Of(role, maintainsRecipients), productIds, role is AccessRole.Owner or AccessRole.Admin || maintainsRecipients, UserId: userId);

    public static CallerAccess ForKey(long apiKeyId, AccessRole role, IReadOnlyList<long>? productIds)
    {
        var rights = Accounts.Rights.OfKey(role);
        return new(role, rights, productIds, rights.Contains(Right.ManageRecipients), ApiKeyId: apiKeyId);
    }
}

/// <summary>
/// The account the current request or job acts for. Every tenant-owned entity is filtered by it in the
/// DbContext, so a query cannot forget it. A fresh context sees nothing until it is scoped to an account
/// or explicitly marked as acting for the whole platform (gateway, billing, worker, CLI).
/// </summary>
public sealed class TenantContext
{
    private long[] _productIds = [];

    public Guid? AccountId { get; private set; }

    /// <summary>Who is acting, for audit entries and allocation records.</summary>
    public string Actor { get; private set; } = "anonymous";

    /// <summary>True for platform-wide work: the gateway, billing, the worker and the operator CLI.</summary>
    public bool IsPlatform { get; private set; }

    /// <summary>The caller's role, rights and product scope inside the account; null for the platform.</summary>
    public CallerAccess? Access { get; private set; }

    /// <summary>True when the caller sees every product of its account (read by the query filters).</summary>
    public bool AllProducts { get; private set; } = true;

    /// <summary>The products a limited caller sees (read by the query filters; empty when <see cref="AllProducts"/>).</summary>
    public IReadOnlyList<long> ProductIds => _productIds;

    public void ActForAccount(Guid accountId, string actor, CallerAccess access)
    {
        AccountId = accountId;
        Actor = actor;
        IsPlatform = false;
        Access = access;
        AllProducts = access.ProductIds is null;
        _productIds = access.ProductIds is null ? [] : [.. access.ProductIds];
    }

    /// <summary>The account's owner: every right, every product (demo seeding, tests, the operator CLI acting for one account).</summary>
    public void ActForOwner(Guid accountId, string actor) =>
        ActForAccount(accountId, actor, new CallerAccess(AccessRole.Owner, Rights.Of(AccessRole.Owner, true), null, true));

    public void ActForPlatform(string actor)
    {
        AccountId = null;
        Actor = actor;
        IsPlatform = true;
        Access = null;
        AllProducts = true;
        _productIds = [];
    }

    /// <summary>Whether the caller holds <paramref name="right"/>; the platform holds every right.</summary>
    public bool Has(Right right) => IsPlatform || Access?.Rights.Contains(right) == true;

    /// <summary>The caller's products as a cache key: figures cached per account are cached per scope too.</summary>
    public string ScopeKey => AllProducts ? "*" : string.Join(",", _productIds.Order());

    /// <summary>A product created by a limited caller joins its scope for the rest of the request.</summary>
    public void AddToScope(long productId)
    {
        if (!AllProducts && !_productIds.Contains(productId))
        {
            _productIds = [.. _productIds, productId];
        }
    }

    /// <summary>The scoped account id; throws when the caller acts for no single account.</summary>
    public Guid RequireAccountId() =>
        AccountId ?? throw new InvalidOperationException("This operation needs an account scope.");
}
