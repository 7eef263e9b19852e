using LicenseConsole.Accounts;
using LicenseConsole.Data;
using Microsoft.EntityFrameworkCore;

namespace LicenseConsole.IntegrationTests.Data;

public sealed class MigrationsTests
{
    [Theory]
    [InlineData(DatabaseProvider.Postgres)]
    [InlineData(DatabaseProvider.Sqlite)]
    public void Model_EachProvider_HasNoChangesMissingFromItsMigrations(DatabaseProvider provider)
    {
        using var db = ContextFor(provider);

        Assert.False(db.Database.HasPendingModelChanges(),
            $"The model has changes that no {provider} migration captures: run scripts/add-migration.sh <Name>.");
    }

    [Fact]
    public void Migrations_BothProviders_HaveTheSameIdsInTheSameOrder()
    {
        using var postgres = ContextFor(DatabaseProvider.Postgres);
        using var sqlite = ContextFor(DatabaseProvider.Sqlite);

        var postgresMigrations = postgres.Database.GetMigrations().ToList();

        Assert.NotEmpty(postgresMigrations);
        Assert.Equal(postgresMigrations, sqlite.Database.GetMigrations().ToList());
    }

    private static LicenseConsoleDbContext ContextFor(DatabaseProvider provider)
    {
        var connection = provider == DatabaseProvider.Postgres
            ? "Host=127.0.0.1;Database=unused"
            : "Data Source=:memory:";
        var builder = new DbContextOptionsBuilder<LicenseConsoleDbContext>();
        DatabaseServiceCollectionExtensions.Configure(builder, new DatabaseConnection(provider, connection));
        return new LicenseConsoleDbContext(builder.Options, new TenantContext());
    }
}
