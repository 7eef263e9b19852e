using LicenseConsole.Common;

namespace LicenseConsole.Devices;

/// <summary>Why a connection is refused: one wording for the single path and the batched one.</summary>
internal static class ConnectionRefusals
{
    public static DomainException ProductNotFound() =>
        new(ErrorCodes.ProductNotFound, "No product has this key.", "productKey");

    public static DomainException ProductDeleted() =>
        new(ErrorCodes.ProductDeleted, "The product was deleted; its devices can no longer connect.", "productKey");

    public static DomainException AutoRenewOff() =>
        new(ErrorCodes.AutoRenewOff, "The device's license has expired and auto-renew is off for its product or for the device.", "deviceKey");

    public static DomainException NoLicense() =>
        new(ErrorCodes.NoLicenseAvailable, "The product has no license left for this device; allocate more licenses to the product.", "productKey");
}
