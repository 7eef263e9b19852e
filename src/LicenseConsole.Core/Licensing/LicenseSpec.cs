namespace LicenseConsole.Licensing;

/// <summary>A package spec from the platform catalog: how long one license keeps a device connected.</summary>
public sealed class LicenseSpec
{
    public required string Code { get; init; }
    public required string Name { get; init; }
    public int ValidityMonths { get; init; }

    /// <summary>The end of a license period that starts at <paramref name="start"/>.</summary>
    public DateTime PeriodEnd(DateTime start) => LicenseTerms.PeriodEnd(start, ValidityMonths);

    /// <summary>The default catalog, seeded by the initial migration.</summary>
    public static IReadOnlyList<LicenseSpec> DefaultCatalog { get; } =
    [
        new() { Code = "STD-1Y", Name = "Standard, 1 year", ValidityMonths = 12 },
        new() { Code = "STD-2Y", Name = "Standard, 2 years", ValidityMonths = 24 },
        new() { Code = "STD-3Y", Name = "Standard, 3 years", ValidityMonths = 36 },
    ];
}
