using System.Globalization;

namespace LicenseConsole.Bench;

/// <summary>
/// The Lua expressions of the benchmark's wrk scripts: product keys, device keys and bodies, in terms of
/// <c>tid</c> (wrk's thread), <c>n</c> (the thread's request count) and, in a bulk call, <c>k</c> (the entry).
/// </summary>
public static class Lua
{
    /// <summary>A product key spread over <paramref name="count"/> products numbered from <paramref name="first"/>.</summary>
    public static string Spread(string format, int first, int count) =>
        string.Create(CultureInfo.InvariantCulture, $"string.format({Wrk.Quote(format)}, {first} + (tid * 7919 + n * 31 + k) % {count})");

    /// <summary>A device key never sent before in this run.</summary>
    public static string NewDevice(string prefix) => $"{Wrk.Quote(prefix)} .. tid .. \"-\" .. n .. \"-\" .. k";

    /// <summary>One of the first <paramref name="devices"/> seeded devices of a product (already activated).</summary>
    public static string Device(int product, int devices) =>
        string.Create(CultureInfo.InvariantCulture, $"string.format(\"p{product:D4}-%07d\", 1 + (tid * 104729 + n * 7919 + k * 31) % {devices})");

    /// <summary>A single connection's body; <c>k</c> is 0.</summary>
    public static string Connect(string product, string device) => $"(function(k) return {Entry(product, device)} end)(0)";

    /// <summary>A prelude defining <c>body()</c>: a bulk call of <paramref name="size"/> connections.</summary>
    public static string Bulk(int size, string product, string device) => $$"""
        function body()
          local parts = {}
          for k = 1, {{size}} do
            parts[k] = {{Entry(product, device)}}
          end
          return '{"connections":[' .. table.concat(parts, ",") .. ']}'
        end
        """;

    private static string Entry(string product, string device) =>
        $"'{{\"productKey\":\"' .. {product} .. '\",\"deviceKey\":\"' .. {device} .. '\",\"dataCenter\":\"cn-east\"}}'";
}
