namespace LicenseConsole.Web.Models;

public sealed record ErrorViewModel(int StatusCode, string? RequestId);
