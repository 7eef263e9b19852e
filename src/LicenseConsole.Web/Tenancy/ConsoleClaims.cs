namespace LicenseConsole.Web.Tenancy;

/// <summary>Claims the console puts on an authenticated principal, and the policies that read them.</summary>
public static class ConsoleClaims
{
    public const string AccountId = "lc:account";
    public const string Platform = "lc:platform";
    public const string Role = "lc:role";
    public const string Right = "lc:right";
    public const string Product = "lc:product";
    public const string Limited = "lc:limited";
    public const string Session = "lc:session";
    public const string ApiKey = "lc:key";
    public const string PlatformPolicy = "Platform";

    /// <summary>A signed-in person (not a key): their own password.</summary>
    public const string UserPolicy = "User";

    /// <summary>The policy that requires <paramref name="right"/> in the caller's account.</summary>
    public static string PolicyOf(Accounts.Right right) => "Right:" + right;
}
