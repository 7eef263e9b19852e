using LicenseConsole.Common;

namespace LicenseConsole.Devices;

/// <summary>A device connecting: its product key, device key and the data center it came through, checked and normalised.</summary>
public sealed record ConnectionRequest(string ProductKey, string DeviceKey, string DataCenter)
{
    /// <summary>The request, or the refusal of its first bad member.</summary>
    public static ConnectionRequest Validate(string? productKey, string? deviceKey, string? dataCenter)
    {
        var pk = Keys.Normalize(productKey ?? "");
        if (!Keys.IsValidKey(pk))
        {
            throw Refusals.ProductKeyInvalid.Error();
        }

        var dk = Keys.Normalize(deviceKey ?? "");
        if (!Keys.IsValidKey(dk))
        {
            throw Refusals.DeviceKeyInvalid.Error();
        }

        var dc = Keys.Normalize(dataCenter ?? "");
        if (!Accounts.DataCenter.Catalog.Any(d => d.Code == dc))
        {
            throw Refusals.DataCenterUnknown.Error(("known", string.Join(", ", Accounts.DataCenter.Catalog.Select(d => d.Code))));
        }

        return new ConnectionRequest(pk, dk, dc);
    }
}
