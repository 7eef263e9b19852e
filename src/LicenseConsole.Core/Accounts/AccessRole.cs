using LicenseConsole.Common;

namespace LicenseConsole.Accounts;

/// <summary>What a console user or an API key may do. The owner is the account's owner user; the others are given.</summary>
public enum AccessRole
{
    Owner,
    Admin,
    Operator,
    Viewer,
}

/// <summary>One thing a caller may or may not do; every endpoint and console action requires exactly one.</summary>
public enum Right
{
    /// <summary>Read every page, list, chart and export of the products in scope.</summary>
    Read,

    /// <summary>Create products; switch a product's auto-renew; a device's auto-renew and its place on the blacklist.</summary>
    ManageProducts,

    /// <summary>Allocate licenses to a product (irreversible).</summary>
    Allocate,

    /// <summary>Delete a product, forfeiting its licenses (irreversible).</summary>
    DeleteProducts,

    /// <summary>Read the audit log.</summary>
    ReadAudit,

    /// <summary>Sub-accounts, API keys and the account's settings.</summary>
    ManageAccount,

    /// <summary>Add and remove alert recipients (and send the test email to them).</summary>
    ManageRecipients,
}

/// <summary>The role table: which rights each role holds, written once for the console, the API and the tests.</summary>
public static class Rights
{
    public static IReadOnlyList<AccessRole> GivenRoles { get; } = [AccessRole.Admin, AccessRole.Operator, AccessRole.Viewer];

    /// <summary>
    /// The rights of <paramref name="role"/>. <paramref name="maintainsRecipients"/> is the owner's per-sub-account
    /// grant (on by default); keys have it by role (admin and operator keys, not viewer keys).
    /// </summary>
    public static IReadOnlySet<Right> Of(AccessRole role, bool maintainsRecipients)
    {
        var rights = new HashSet<Right> { Right.Read };
        if (role is AccessRole.Owner or AccessRole.Admin or AccessRole.Operator)
        {
            rights.Add(Right.ManageProducts);
        }

        if (role is AccessRole.Owner or AccessRole.Admin)
        {
            rights.Add(Right.Allocate);
            rights.Add(Right.DeleteProducts);
            rights.Add(Right.ReadAudit);
            rights.Add(Right.ManageRecipients);
        }

        if (role is AccessRole.Owner)
        {
            rights.Add(Right.ManageAccount);
        }
        else if (maintainsRecipients)
        {
            rights.Add(Right.ManageRecipients);
        }

        return rights;
    }

    /// <summary>An API key's rights: its role's, with the recipients right of admin and operator keys.</summary>
    public static IReadOnlySet<Right> OfKey(AccessRole role) => Of(role, maintainsRecipients: role is AccessRole.Admin or AccessRole.Operator);

    /// <summary>The right's name in the API (<c>GET /api/v1/me</c>): "read", "products.manage", …</summary>
    public static string Name(Right right) => right switch
    {
        Right.Read => "read",
        Right.ManageProducts => "products.manage",
        Right.Allocate => "licenses.allocate",
        Right.DeleteProducts => "products.delete",
        Right.ReadAudit => "audit.read",
        Right.ManageAccount => "account.manage",
        Right.ManageRecipients => "recipients.manage",
        _ => throw new ArgumentOutOfRangeException(nameof(right)),
    };

    /// <summary>The role's name in the API and the database: "owner", "admin", "operator", "viewer".</summary>
    public static string Name(AccessRole role) => role.ToString().ToLowerInvariant();

    /// <summary>A role a sub-account or key may be given, by its name; null for anything else (the owner's role is not given).</summary>
    public static AccessRole? ParseGiven(string? name) =>
        GivenRoles.Cast<AccessRole?>().FirstOrDefault(r => string.Equals(Name(r!.Value), name?.Trim(), StringComparison.OrdinalIgnoreCase));

    /// <summary>What the right lets one do, in both languages (refusals and the console's reasons).</summary>
    public static Words Describe(Right right) => right switch
    {
        Right.Read => new("read the account's pages and lists", "查看账号的页面和列表"),
        Right.ManageProducts => new("create products and switch auto-renew", "创建产品、设置自动续费"),
        Right.Allocate => new("allocate licenses", "分配激活码"),
        Right.DeleteProducts => new("delete products", "删除产品"),
        Right.ReadAudit => new("read the audit log", "查看操作日志"),
        Right.ManageAccount => new("manage sub-accounts, API keys and account settings", "管理子账号、API 密钥和账号设置"),
        Right.ManageRecipients => new("change the alert recipients", "修改接警人"),
        _ => throw new ArgumentOutOfRangeException(nameof(right)),
    };

    /// <summary>The role's name as people read it, in both languages.</summary>
    public static Words Describe(AccessRole role) => role switch
    {
        AccessRole.Owner => new("owner", "主账号"),
        AccessRole.Admin => new("admin", "管理员"),
        AccessRole.Operator => new("operator", "操作员"),
        AccessRole.Viewer => new("viewer", "只读成员"),
        _ => throw new ArgumentOutOfRangeException(nameof(role)),
    };

    /// <summary>The refusal of a caller that lacks <paramref name="right"/>.</summary>
    public static DomainException Refusal(AccessRole? role, Right right) =>
        Refusals.RightMissing.Error(("role", role is { } r ? Describe(r) : new Words("none", "无")), ("right", Describe(right)));
}
