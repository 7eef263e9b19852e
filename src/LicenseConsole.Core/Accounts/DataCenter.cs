namespace LicenseConsole.Accounts;

/// <summary>A region of the platform. Each account has one home data center.</summary>
public sealed class DataCenter
{
    public required string Code { get; init; }
    public required string Name { get; init; }

    /// <summary>IANA time zone used as the default for accounts homed here.</summary>
    public required string TimeZoneId { get; init; }

    /// <summary>The platform's regions; seeded by the initial migration.</summary>
    public static IReadOnlyList<DataCenter> Catalog { get; } =
    [
        new() { Code = "cn-east", Name = "China East", TimeZoneId = "Asia/Shanghai" },
        new() { Code = "cn-north", Name = "China North", TimeZoneId = "Asia/Shanghai" },
        new() { Code = "cn-south", Name = "China South", TimeZoneId = "Asia/Shanghai" },
        new() { Code = "ap-southeast", Name = "Asia Pacific Southeast", TimeZoneId = "Asia/Singapore" },
        new() { Code = "eu-west", Name = "Europe West", TimeZoneId = "Europe/Berlin" },
        new() { Code = "us-east", Name = "US East", TimeZoneId = "America/New_York" },
    ];
}
