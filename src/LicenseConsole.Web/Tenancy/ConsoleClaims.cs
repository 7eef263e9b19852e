namespace LicenseConsole.Web.Tenancy;

/// <summary>Claims the console puts on a signed-in principal.</summary>
public static class ConsoleClaims
{
    public const string AccountId = "lc:account";
    public const string Owner = "lc:owner";
    public const string Platform = "lc:platform";
    public const string PlatformPolicy = "Platform";
    public const string AccountPolicy = "Account";
    public const string OwnerPolicy = "Owner";
}
