using LicenseConsole.Accounts;
using LicenseConsole.Data;
using LicenseConsole.Demo;
using LicenseConsole.Devices;
using LicenseConsole.IntegrationTests.Infrastructure;
using LicenseConsole.Licensing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LicenseConsole.IntegrationTests.Demo;

/// <summary>Each test needs an empty database of its own: the demo account exists once per database.</summary>
public sealed class DemoDataSeederTests(PostgresServer server)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(DatabaseProvider.Postgres)]
    [InlineData(DatabaseProvider.Sqlite)]
    public async Task Initialize_EmptyDatabaseWithDemoOn_SeedsAConsistentLedgerWithDevicesInEveryState(DatabaseProvider provider)
    {
        await using var database = await FreshDatabaseAsync(provider);
        await using var services = database.CreateServices(settings: new Dictionary<string, string?> { ["Seed:Demo"] = "true" });
        await InitializeAsync(services);
        await InitializeAsync(services);

        await using var db = database.CreatePlatformContext();
        var account = await db.Accounts.SingleAsync(a => a.OwnerEmail == DemoDataSeeder.OwnerEmail, Ct);
        var now = DateTime.UtcNow;
        var devices = db.Devices.Where(d => d.AccountId == account.Id);

        Assert.Empty(await new LedgerVerifier(db).VerifyAsync(Ct));
        Assert.Equal([AccessRole.Admin, AccessRole.Operator, AccessRole.Owner, AccessRole.Viewer], await db.Users.Where(u => u.AccountId == account.Id).Select(u => u.Role).OrderBy(r => r).ToListAsync(Ct));
        Assert.True(await devices.AnyAsync(d => d.DeletedAt == null && d.ExpiresAt > now.AddDays(30), Ct), "no valid device");
        Assert.True(await devices.AnyAsync(d => d.DeletedAt == null && d.ExpiresAt > now && d.ExpiresAt <= now.AddDays(30), Ct), "no expiring device");
        Assert.True(await devices.AnyAsync(d => d.DeletedAt == null && d.LapsedAt != null, Ct), "no lapsed device");
        Assert.True(await devices.AnyAsync(d => d.DeletedAt != null, Ct), "no deleted device");
        Assert.True(await devices.AnyAsync(d => !d.AutoRenew, Ct), "no blacklisted device");
        Assert.True(await db.Activations.AnyAsync(a => a.AccountId == account.Id && a.Kind == ActivationKind.Renewal, Ct), "no renewal");
        Assert.True(await db.Products.AnyAsync(p => p.AccountId == account.Id && p.DeletedAt != null, Ct), "no deleted product");
        Assert.Equal(2, await db.UnallocatedPools.CountAsync(u => u.AccountId == account.Id && u.Quantity > 0, Ct));
    }

    [Theory]
    [InlineData(DatabaseProvider.Postgres)]
    [InlineData(DatabaseProvider.Sqlite)]
    public async Task Initialize_DemoUnset_SeedsOnlyTheEmbeddedDatabase(DatabaseProvider provider)
    {
        await using var database = await FreshDatabaseAsync(provider);
        await using var services = database.CreateServices(settings: new Dictionary<string, string?> { ["Seed:Demo"] = null });
        await InitializeAsync(services);

        await using var db = database.CreatePlatformContext();
        var seeded = await db.Accounts.AnyAsync(a => a.OwnerEmail == DemoDataSeeder.OwnerEmail, Ct);

        Assert.Equal(provider == DatabaseProvider.Sqlite, seeded);
    }

    private async Task<TestDatabase> FreshDatabaseAsync(DatabaseProvider provider)
    {
        TestDatabase database = provider == DatabaseProvider.Postgres ? new PostgresDatabase(server) : new SqliteDatabase();
        await database.InitializeAsync();
        return database;
    }

    private static async Task InitializeAsync(IServiceProvider services)
    {
        await using var scope = services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<DatabaseInitializer>().InitializeAsync(Ct);
    }
}
