namespace LicenseConsole.Devices;

/// <summary>The gateway's question on every device connection (SPEC rules 3 to 7).</summary>
public interface IDeviceConnections
{
    /// <summary>May the device connect, and did it consume a license? Refusals are <see cref="Common.DomainException"/>s.</summary>
    Task<ConnectionOutcome> ConnectAsync(string? productKey, string? deviceKey, string? dataCenter, CancellationToken cancellationToken = default);
}
