using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace LicenseConsole.Data;

/// <summary>Marks DateTime values read back from SQLite as UTC, and refuses to store local times.</summary>
internal sealed class UtcDateTimeConverter() : ValueConverter<DateTime, DateTime>(
    v => v.Kind == DateTimeKind.Local ? v.ToUniversalTime() : v,
    v => DateTime.SpecifyKind(v, DateTimeKind.Utc));
