using LicenseConsole.Common;

namespace LicenseConsole.Licensing;

/// <summary>A package spec from the platform catalog: how long one license keeps a device connected.</summary>
public sealed class LicenseSpec
{
    public required string Code { get; init; }

    /// <summary>The spec's name in English.</summary>
    public required string Name { get; init; }

    /// <summary>The spec's name in Chinese: catalog data like the English one, not a translation the console guesses.</summary>
    public required string ChineseName { get; init; }

    public int ValidityMonths { get; init; }

    public Words Names => new(Name, ChineseName);

    /// <summary>The end of a license period that starts at <paramref name="start"/>.</summary>
    public DateTime PeriodEnd(DateTime start) => LicenseTerms.PeriodEnd(start, ValidityMonths);

    /// <summary>The default catalog, seeded by the migrations.</summary>
    public static IReadOnlyList<LicenseSpec> DefaultCatalog { get; } =
    [
        new() { Code = "STD-1Y", Name = "Standard, 1 year", ChineseName = "标准版 1 年", ValidityMonths = 12 },
        new() { Code = "STD-2Y", Name = "Standard, 2 years", ChineseName = "标准版 2 年", ValidityMonths = 24 },
        new() { Code = "STD-3Y", Name = "Standard, 3 years", ChineseName = "标准版 3 年", ValidityMonths = 36 },
    ];
}
