using LicenseConsole.Accounts;
using LicenseConsole.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace LicenseConsole.Migrations.Sqlite;

/// <summary>Used by dotnet-ef to build the SQLite model.</summary>
public sealed class DesignTimeDbContextFactory : IDesignTimeDbContextFactory<LicenseConsoleDbContext>
{
    public LicenseConsoleDbContext CreateDbContext(string[] args)
    {
        var builder = new DbContextOptionsBuilder<LicenseConsoleDbContext>();
        DatabaseServiceCollectionExtensions.Configure(builder, new DatabaseConnection(DatabaseProvider.Sqlite, "Data Source=licenseconsole_design.db"));
        return new LicenseConsoleDbContext(builder.Options, new TenantContext());
    }
}
