using System.ComponentModel.DataAnnotations;

namespace LicenseConsole.Data;

public enum DatabaseProvider
{
    Sqlite,
    Postgres,
}

/// <summary>Configuration section <c>Database</c>.</summary>
public sealed class DatabaseOptions
{
    public const string Section = "Database";

    /// <summary>The embedded SQLite file is the zero-setup default; PostgreSQL is the production database.</summary>
    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;

    /// <summary>Apply pending migrations when the app starts.</summary>
    public bool MigrateOnStartup { get; set; } = true;

    /// <summary>Folder (relative to the content root) for the SQLite file when no connection string is given.</summary>
    [Required]
    public string DataFolder { get; set; } = "App_Data";

    /// <summary>Seconds a database command may take before it is abandoned.</summary>
    [Range(1, 3600)]
    public int CommandTimeoutSeconds { get; set; } = 30;
}

/// <summary>Configuration section <c>Seed</c>.</summary>
public sealed class SeedOptions
{
    public const string Section = "Seed";

    /// <summary>Seed the demo account into an empty database. Unset: yes for SQLite, no for PostgreSQL.</summary>
    public bool? Demo { get; set; }
}
