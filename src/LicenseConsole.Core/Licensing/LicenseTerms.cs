namespace LicenseConsole.Licensing;

/// <summary>The two terms every license decision rests on, defined once for every path that takes a license.</summary>
public static class LicenseTerms
{
    /// <summary>The end of a license period of <paramref name="validityMonths"/> that starts at <paramref name="start"/>.</summary>
    public static DateTime PeriodEnd(DateTime start, int validityMonths) => start.AddMonths(validityMonths);

    /// <summary>Auto-renew is in effect for a device when its product's switch is on and the device is not blacklisted.</summary>
    public static bool AutoRenewInEffect(bool productAutoRenew, bool deviceAutoRenew) => productAutoRenew && deviceAutoRenew;
}
