using LicenseConsole.Accounts;
using LicenseConsole.Data;
using LicenseConsole.IntegrationTests.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace LicenseConsole.IntegrationTests.Data;

/// <summary>
/// The roles migration on a database that had sub-accounts and keys before roles existed: the owner stays the
/// owner, sub-accounts (which had every right but the owner's pages) become admins keeping the account's recipients
/// right, and existing keys keep working as admins.
/// </summary>
public sealed class RolesMigrationTests(PostgresServer server)
{
    private const string Before = "20261203183126_LedgerIndexes";
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(DatabaseProvider.Postgres)]
    [InlineData(DatabaseProvider.Sqlite)]
    public async Task Migrate_SubAccountsAndKeysFromBeforeRoles_BecomeAdminsKeepingTheRecipientsRight(DatabaseProvider provider)
    {
        var sqliteFile = Path.Combine(Path.GetTempPath(), $"roles-migration-{Guid.NewGuid():N}.db");
        var connectionString = provider == DatabaseProvider.Postgres
            ? await server.Cluster.CreateDatabaseAsync("rolesmigration", cancellationToken: Ct)
            : new SqliteConnectionStringBuilder { DataSource = sqliteFile }.ToString();
        try
        {
            var (account, owner, sub) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
            await using (var db = Context(provider, connectionString))
            {
                await db.GetService<IMigrator>().MigrateAsync(Before, Ct);
                var at = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
                var accountId = Id(account, provider);
                await db.Database.ExecuteSqlAsync(
                    $"INSERT INTO accounts (id, owner_email, data_center_code, time_zone_id, culture, sub_accounts_manage_recipients, created_at) VALUES ({accountId}, 'owner@example.com', 'cn-east', 'Asia/Shanghai', 'zh-CN', {false}, {at})",
                    Ct);
                foreach (var (user, email, isOwner) in new[] { (owner, "owner@example.com", true), (sub, "sub@example.com", false) })
                {
                    var userId = Id(user, provider);
                    var normalized = email.ToUpperInvariant();
                    await db.Database.ExecuteSqlAsync(
                        $"INSERT INTO users (id, account_id, is_owner, created_at, user_name, normalized_user_name, email, normalized_email, email_confirmed, phone_number_confirmed, two_factor_enabled, lockout_enabled, access_failed_count) VALUES ({userId}, {accountId}, {isOwner}, {at}, {email}, {normalized}, {email}, {normalized}, {true}, {false}, {false}, {true}, {0})",
                        Ct);
                }

                var hash = new string('a', 64);
                await db.Database.ExecuteSqlAsync(
                    $"INSERT INTO api_keys (account_id, name, prefix, hash, created_at, created_by) VALUES ({accountId}, 'old key', 'lck_oldkey00', {hash}, {at}, 'owner@example.com')",
                    Ct);

                await db.Database.MigrateAsync(Ct);
            }

            await using var after = Context(provider, connectionString);
            var users = await after.Users.OrderBy(u => u.Email).Select(u => new { u.Email, u.Role, u.MaintainsRecipients, u.LimitedToProducts }).ToListAsync(Ct);
            var key = await after.ApiKeys.IgnoreQueryFilters().SingleAsync(Ct);

            Assert.Equal(
                [("owner@example.com", AccessRole.Owner, false), ("sub@example.com", AccessRole.Admin, false)],
                users.Select(u => (u.Email!, u.Role, u.MaintainsRecipients)));
            Assert.All(users, u => Assert.False(u.LimitedToProducts));
            Assert.Equal((AccessRole.Admin, false), (key.Role, key.LimitedToProducts));
            Assert.Empty(await after.Database.GetPendingMigrationsAsync(Ct));
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            File.Delete(sqliteFile);
        }
    }

    /// <summary>A Guid as each provider's EF mapping stores it: PostgreSQL's uuid, SQLite's upper-case text.</summary>
    private static object Id(Guid id, DatabaseProvider provider) => provider == DatabaseProvider.Sqlite ? id.ToString().ToUpperInvariant() : id;

    private static LicenseConsoleDbContext Context(DatabaseProvider provider, string connectionString)
    {
        var options = DatabaseServiceCollectionExtensions
            .Configure(new DbContextOptionsBuilder<LicenseConsoleDbContext>(), new DatabaseConnection(provider, connectionString))
            .Options;
        var tenant = new TenantContext();
        tenant.ActForPlatform("migration test");
        return new LicenseConsoleDbContext((DbContextOptions<LicenseConsoleDbContext>)options, tenant);
    }
}
