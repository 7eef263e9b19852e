using System.Globalization;
using System.Security.Claims;
using LicenseConsole.Accounts;
using LicenseConsole.Common;
using LicenseConsole.Web.Tenancy;

namespace LicenseConsole.Web.Ui;

/// <summary>
/// The signed-in user and their account, as the pages need them: for the header, for permissions, and to
/// show dates in the account's time zone and the user's culture. Read once per request.
/// </summary>
public sealed class ConsoleSession(IHttpContextAccessor http, AccountService accounts, TenantContext tenant, TimeProvider clock)
{
    private AccountProfile? _profile;
    private TimeZoneInfo? _zone;

    private ClaimsPrincipal User => http.HttpContext?.User ?? new ClaimsPrincipal();

    public string Email => User.Identity?.Name ?? "";

    public bool IsOwner => tenant.Access?.Role == AccessRole.Owner;

    /// <summary>The signed-in person's role (the pages hide or disable what it may not do).</summary>
    public AccessRole Role => tenant.Access?.Role ?? AccessRole.Viewer;

    /// <summary>True for a person signed in with a password (not an API key): they have a password to change.</summary>
    public bool IsSignedInUser => CallerPrincipal.SessionOf(User) is not null;

    /// <summary>True when the user sees only the products granted to them.</summary>
    public bool LimitedToProducts => tenant.Access?.ProductIds is not null;

    public bool Can(Right right) => tenant.Has(right);

    /// <summary>Why a control is disabled: the user's role and the right it lacks, in the page's language.</summary>
    public string WhyNot(Right right) => Rights.Refusal(tenant.Access?.Role, right).Describe(CultureInfo.CurrentUICulture);

    /// <summary>A role's name in the page's language.</summary>
    public static string RoleName(AccessRole role) => Rights.Describe(role).In(CultureInfo.CurrentUICulture);

    /// <summary>The colon after a label: full-width in Chinese ("管理员："), as English writes it otherwise.</summary>
    public static string Colon => Words.IsChinese(CultureInfo.CurrentUICulture) ? "：" : ": ";

    /// <summary>A license spec as the pages name it: "Standard, 1 year (STD-1Y)", "标准版 1 年（STD-1Y）".</summary>
    public static string SpecLabel(Words name, string code) =>
        Words.IsChinese(CultureInfo.CurrentUICulture) ? $"{name.Chinese}（{code}）" : $"{name.English} ({code})";

    public async Task<AccountProfile> ProfileAsync()
    {
        if (_profile is null)
        {
            _profile = await accounts.ProfileAsync(http.HttpContext?.RequestAborted ?? default);
            _zone = AccountCalendar.Find(_profile.TimeZoneId);
        }

        return _profile;
    }

    /// <summary>An instant in the account's time zone, in the user's culture's short date and time.</summary>
    public string DateTime(DateTime? utc) =>
        utc is { } t ? AccountCalendar.ToLocal(t, Zone).ToString("g", CultureInfo.CurrentCulture) : "—";

    /// <summary>An instant's day in the account's time zone, in the user's culture's short date.</summary>
    public string Date(DateTime? utc) =>
        utc is { } t ? AccountCalendar.ToLocal(t, Zone).ToString("d", CultureInfo.CurrentCulture) : "—";

    /// <summary>An instant in ISO 8601 with the account's offset (2026-12-03T18:00:00+08:00), for exports.</summary>
    public string IsoDateTime(DateTime? utc) =>
        utc is { } t ? new DateTimeOffset(AccountCalendar.ToLocal(t, Zone), Zone.GetUtcOffset(t)).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture) : "";

    /// <summary>Calendar days from today to <paramref name="utc"/>'s day, in the account's time zone.</summary>
    public int DaysLeft(DateTime utc) => AccountCalendar.DaysUntil(clock.GetUtcNow().UtcDateTime, utc, Zone);

    public static string Number(long value) => value.ToString("N0", CultureInfo.CurrentCulture);

    /// <summary>The account's time zone; <see cref="ProfileAsync"/> must have run (the layout runs it first).</summary>
    public TimeZoneInfo Zone => _zone ?? TimeZoneInfo.Utc;
}
