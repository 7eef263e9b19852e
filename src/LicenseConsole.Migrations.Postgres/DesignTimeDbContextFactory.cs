using LicenseConsole.Accounts;
using LicenseConsole.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace LicenseConsole.Migrations.Postgres;

/// <summary>Used by dotnet-ef to build the PostgreSQL model; no database is contacted when adding a migration.</summary>
public sealed class DesignTimeDbContextFactory : IDesignTimeDbContextFactory<LicenseConsoleDbContext>
{
    public LicenseConsoleDbContext CreateDbContext(string[] args)
    {
        var connectionString = Environment.GetEnvironmentVariable("LICENSECONSOLE_DESIGN_POSTGRES")
            ?? "Host=localhost;Database=licenseconsole_design;Username=postgres";
        var builder = new DbContextOptionsBuilder<LicenseConsoleDbContext>();
        DatabaseServiceCollectionExtensions.Configure(builder, new DatabaseConnection(DatabaseProvider.Postgres, connectionString));
        return new LicenseConsoleDbContext(builder.Options, new TenantContext());
    }
}
