using LicenseConsole.Common;
using LicenseConsole.Data;
using Microsoft.EntityFrameworkCore;

namespace LicenseConsole.Licensing;

/// <summary>The platform's catalog of license specs.</summary>
public sealed class LicenseSpecService(LicenseConsoleDbContext db)
{
    public async Task<IReadOnlyList<LicenseSpec>> ListAsync(CancellationToken cancellationToken = default) =>
        await db.LicenseSpecs.AsNoTracking().OrderBy(s => s.ValidityMonths).ThenBy(s => s.Code).ToListAsync(cancellationToken);

    /// <summary>The spec with this code (case-insensitive), or a validation error naming <paramref name="field"/>.</summary>
    public async Task<LicenseSpec> RequireAsync(string? code, string field, CancellationToken cancellationToken = default)
    {
        // A code that cannot be one (a NUL, a megabyte) is unknown without asking the database.
        var normalized = (code ?? "").Trim().ToUpperInvariant();
        var spec = Keys.IsValidKey(normalized)
            ? await db.LicenseSpecs.AsNoTracking().SingleOrDefaultAsync(s => s.Code == normalized, cancellationToken)
            : null;
        return spec
            ?? throw Refusals.SpecUnknown.ErrorFor(field, ("code", Truncate(code)), ("known", string.Join(", ", (await ListAsync(cancellationToken)).Select(s => s.Code))));
    }

    private static string Truncate(string? value) => value is null ? "" : value.Length > 32 ? value[..32] + "…" : value;
}
