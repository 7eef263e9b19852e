using LicenseConsole.Data;

namespace LicenseConsole.UnitTests.Data;

public sealed class DatabaseConnectionTests
{
    [Fact]
    public void ResolveConnection_SqliteWithoutConnectionString_UsesAFileInTheDataFolder()
    {
        var root = Path.Combine(Path.GetTempPath(), "lc-unit-" + Guid.NewGuid().ToString("N"));
        try
        {
            var connection = DatabaseServiceCollectionExtensions.ResolveConnection(new DatabaseOptions(), null, root);

            Assert.Equal(DatabaseProvider.Sqlite, connection.Provider);
            Assert.Contains(Path.Combine(root, "App_Data", "licenseconsole.db"), connection.ConnectionString, StringComparison.Ordinal);
            Assert.True(Directory.Exists(Path.Combine(root, "App_Data")));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public void ResolveConnection_PostgresWithoutConnectionString_ExplainsWhatIsMissing()
    {
        var options = new DatabaseOptions { Provider = DatabaseProvider.Postgres };

        var error = Assert.Throws<InvalidOperationException>(() => DatabaseServiceCollectionExtensions.ResolveConnection(options, "  ", "/tmp"));

        Assert.Contains("ConnectionStrings:LicenseConsole", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ResolveConnection_PostgresWithConnectionString_UsesIt()
    {
        var options = new DatabaseOptions { Provider = DatabaseProvider.Postgres };

        var connection = DatabaseServiceCollectionExtensions.ResolveConnection(options, "Host=db;Database=lc", "/tmp");

        Assert.Equal(new DatabaseConnection(DatabaseProvider.Postgres, "Host=db;Database=lc"), connection);
    }
}
