namespace LicenseConsole.Web.Api;

/// <summary>Configuration section <c>Platform</c>: the keys of the platform's own systems (gateway, billing).</summary>
public sealed class PlatformOptions
{
    public const string Section = "Platform";

    public List<string> ApiKeys { get; set; } = [];
}
