using System.Text.Json;
using LicenseConsole.Devices;

namespace LicenseConsole.Web.Api;

/// <summary>
/// One entry of a bulk connect call, read as <c>POST /devices/connect</c> reads its body: an object whose members
/// are <c>productKey</c>, <c>deviceKey</c> and <c>dataCenter</c>, all strings and all required. Anything else
/// answers this entry alone with the fields at fault.
/// </summary>
public static class ConnectBatchEntry
{
    private static readonly string[] Members = ["productKey", "deviceKey", "dataCenter"];

    /// <summary>The connection, or the names of the members that are missing or not valid.</summary>
    public static (ConnectionInput? Input, IReadOnlyList<string> Faults) Read(JsonElement entry)
    {
        if (entry.ValueKind != JsonValueKind.Object)
        {
            return (null, ["body"]);
        }

        var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var faults = new List<string>();
        foreach (var member in entry.EnumerateObject())
        {
            var name = Members.FirstOrDefault(m => string.Equals(m, member.Name, StringComparison.OrdinalIgnoreCase));
            if (name is null || member.Value.ValueKind != JsonValueKind.String || !values.TryAdd(name, member.Value.GetString()!))
            {
                faults.Add(name ?? member.Name);
            }
        }

        faults.AddRange(Members.Where(m => !values.ContainsKey(m) && !faults.Contains(m)));
        return faults.Count > 0
            ? (null, faults)
            : (new ConnectionInput(values["productKey"], values["deviceKey"], values["dataCenter"]), []);
    }
}
