using LicenseConsole.Licensing;

namespace LicenseConsole.Devices;

/// <summary>What a connecting device's state calls for.</summary>
public enum ConnectionStep
{
    /// <summary>The license is valid: nothing is consumed.</summary>
    Valid,

    /// <summary>A deleted device returns within its license's validity: restored, nothing consumed.</summary>
    Restore,

    /// <summary>A first connection (or a deleted device back after its license ended): consume from now.</summary>
    ConsumeFirst,

    /// <summary>Expired with auto-renew in effect and not lapsed: consume a period starting where the last ended.</summary>
    ConsumeRenewal,

    /// <summary>Lapsed, auto-renew now in effect: consume a period starting now.</summary>
    ConsumeAfterLapse,

    /// <summary>Expired and auto-renew is off for the product or the device: refuse.</summary>
    RefuseAutoRenewOff,
}

/// <summary>The state of a device that the connection rules (SPEC rules 3 to 7) look at.</summary>
public readonly record struct DeviceLicenseState(DateTime? ExpiresAt, DateTime? LapsedAt, DateTime? DeletedAt, bool DeviceAutoRenew);

/// <summary>SPEC rules 3 to 7: what a connection does, decided from the device's state alone.</summary>
public static class ConnectionRules
{
    public static ConnectionStep Decide(DeviceLicenseState device, bool productAutoRenew, DateTime now)
    {
        if (device.DeletedAt is not null)
        {
            return device.ExpiresAt > now ? ConnectionStep.Restore : ConnectionStep.ConsumeFirst;
        }

        if (device.ExpiresAt is null)
        {
            return ConnectionStep.ConsumeFirst;
        }

        if (device.ExpiresAt > now)
        {
            return ConnectionStep.Valid;
        }

        if (!LicenseTerms.AutoRenewInEffect(productAutoRenew, device.DeviceAutoRenew))
        {
            return ConnectionStep.RefuseAutoRenewOff;
        }

        return device.LapsedAt is null ? ConnectionStep.ConsumeRenewal : ConnectionStep.ConsumeAfterLapse;
    }

    /// <summary>The kind of activation a consuming step records.</summary>
    public static ActivationKind KindOf(ConnectionStep step) => step switch
    {
        ConnectionStep.ConsumeFirst => ActivationKind.First,
        ConnectionStep.ConsumeRenewal => ActivationKind.Renewal,
        ConnectionStep.ConsumeAfterLapse => ActivationKind.AfterLapse,
        _ => throw new ArgumentOutOfRangeException(nameof(step), step, "This step consumes nothing."),
    };
}
