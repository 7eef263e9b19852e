namespace LicenseConsole.Devices;

/// <summary>A connection as the gateway sends it, before it is checked.</summary>
public sealed record ConnectionInput(string? ProductKey, string? DeviceKey, string? DataCenter);

/// <summary>The gateway's question on every device connection (SPEC rules 3 to 7).</summary>
public interface IDeviceConnections
{
    /// <summary>May the device connect, and did it consume a license? Refusals are <see cref="Common.DomainException"/>s.</summary>
    Task<ConnectionOutcome> ConnectAsync(string? productKey, string? deviceKey, string? dataCenter, CancellationToken cancellationToken = default);

    /// <summary>
    /// Many connections in one call, settled as if they came one by one in input order; each is answered as
    /// <see cref="ConnectAsync"/> would answer it, and a malformed one refuses only itself.
    /// </summary>
    Task<IReadOnlyList<ConnectionAnswer>> ConnectManyAsync(IReadOnlyList<ConnectionInput> connections, CancellationToken cancellationToken = default);
}
