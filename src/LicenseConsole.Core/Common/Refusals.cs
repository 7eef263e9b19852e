using System.Reflection;

namespace LicenseConsole.Common;

/// <summary>
/// Every reason a request is refused, each defined once: code, status, field and words in both languages. The
/// API's problems, the console's messages and the OpenAPI document all read them from here.
/// </summary>
public static class Refusals
{
    // A device connection (the gateway's call, single or in bulk).
    public static readonly Refusal ProductKeyInvalid = new(ErrorCodes.ValidationFailed, 400, "productKey",
        "The product key must hold 1 to 64 letters, digits, '-', '_', '.' or ':'.",
        "产品 PK 须为 1 到 64 个字母、数字或 '-'、'_'、'.'、':'。");

    public static readonly Refusal DeviceKeyInvalid = new(ErrorCodes.ValidationFailed, 400, "deviceKey",
        "The device key must hold 1 to 64 letters, digits, '-', '_', '.' or ':'.",
        "设备 DK 须为 1 到 64 个字母、数字或 '-'、'_'、'.'、':'。");

    public static readonly Refusal DataCenterUnknown = new(ErrorCodes.ValidationFailed, 400, "dataCenter",
        "Unknown data center. Known: {known}.",
        "未知的数据中心。可选：{known}。");

    public static readonly Refusal GatewayProductNotFound = new(ErrorCodes.ProductNotFound, 404, "productKey",
        "No product has this key.",
        "没有使用此 PK 的产品。");

    public static readonly Refusal ProductDeleted = new(ErrorCodes.ProductDeleted, 403, "productKey",
        "The product was deleted; its devices can no longer connect.",
        "该产品已删除，其设备无法再连接。");

    public static readonly Refusal AutoRenewOff = new(ErrorCodes.AutoRenewOff, 403, "deviceKey",
        "The device's license has expired and auto-renew is off for its product or for the device.",
        "设备的激活码已到期，且其产品或该设备已关闭自动续费。");

    public static readonly Refusal NoLicenseAvailable = new(ErrorCodes.NoLicenseAvailable, 403, "productKey",
        "The product has no license left for this device; allocate more licenses to the product.",
        "该产品已无可用激活码；请为该产品分配更多激活码。");

    public static readonly Refusal DeviceBusy = new(ErrorCodes.Conflict, 409, "deviceKey",
        "The device is being changed by other requests; try again.",
        "该设备正被其他请求修改，请重试。");

    /// <summary>Every refusal of the catalogue.</summary>
    public static IReadOnlyList<Refusal> All { get; } = typeof(Refusals)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Where(f => f.FieldType == typeof(Refusal))
        .Select(f => (Refusal)f.GetValue(null)!)
        .ToList();
}
