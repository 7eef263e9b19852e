using LicenseConsole.Devices;
using LicenseConsole.Licensing;

namespace LicenseConsole.Renewal;

/// <summary>
/// SPEC rules 5 and 6 at expiry, for the worker: each due license is renewed from the moment it ended (no gap, no
/// overlap, however late the worker runs) while auto-renew is in effect, and lapses otherwise or when its pool
/// runs dry. The due licenses come oldest expiry first, and the ledger serves each pool's grants in that order,
/// so the oldest are renewed first when a pool cannot cover them all. Pure: no database, no clock.
/// </summary>
public static class RenewalPlanner
{
    public static LedgerWork Plan(IReadOnlyList<DueRenewal> due)
    {
        var work = new LedgerWork();
        foreach (var d in due)
        {
            if (!LicenseTerms.AutoRenewInEffect(d.ProductAutoRenew, d.DeviceAutoRenew))
            {
                work.Lapses.Add(new DeviceLapse(d.DeviceId, d.ActivationCount, LapseReason.AutoRenewOff));
            }
            else if (d.SpecCode is null || d.ValidityMonths is not { } months)
            {
                work.Lapses.Add(new DeviceLapse(d.DeviceId, d.ActivationCount, LapseReason.NoLicense));
            }
            else
            {
                work.Grants.Add(new LicenseGrant(
                    d.DeviceId, d.ActivationCount, d.ProductId, d.AccountId, DeviceKey: "", d.SpecCode,
                    d.ExpiresAt, LicenseTerms.PeriodEnd(d.ExpiresAt, months), ActivationKind.Renewal, d.DataCenter,
                    Connecting: false, LapseIfRefused: LapseReason.NoLicense));
            }
        }

        return work;
    }
}
