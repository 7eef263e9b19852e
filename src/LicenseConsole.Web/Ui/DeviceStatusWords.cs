using LicenseConsole.Devices;
using Microsoft.Extensions.Localization;

namespace LicenseConsole.Web.Ui;

/// <summary>A device status as people read it, in the page's language: the badges and the CSV export say the same.</summary>
public static class DeviceStatusWords
{
    public static string Of(DeviceStatus status, IStringLocalizer text) => status switch
    {
        DeviceStatus.Valid => text["Valid"],
        DeviceStatus.Expiring => text["Expiring soon"],
        DeviceStatus.Expired => text["Expired, renewing"],
        DeviceStatus.Lapsed => text["Lapsed"],
        DeviceStatus.Deleted => text["Deleted"],
        _ => text["Not activated"],
    };
}
