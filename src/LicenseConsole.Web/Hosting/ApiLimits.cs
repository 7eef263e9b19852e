namespace LicenseConsole.Web.Hosting;

/// <summary>The largest API request body: a connect-batch of 1,000 connections with the longest keys fits with room to spare.</summary>
public static class ApiLimits
{
    public const long MaxRequestBodyBytes = 1024 * 1024;
}
