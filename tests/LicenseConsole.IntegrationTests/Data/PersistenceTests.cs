using LicenseConsole.Accounts;
using LicenseConsole.Data;
using LicenseConsole.Devices;
using LicenseConsole.IntegrationTests.Infrastructure;
using LicenseConsole.Licensing;
using LicenseConsole.Products;
using Microsoft.EntityFrameworkCore;

namespace LicenseConsole.IntegrationTests.Data;

/// <summary>What the schema itself guarantees, on each provider.</summary>
public abstract class PersistenceTests(TestDatabase database)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Migrate_FreshDatabase_SeedsTheSpecCatalogAndDataCenters()
    {
        await using var db = database.CreatePlatformContext();

        var specs = await db.LicenseSpecs.OrderBy(s => s.ValidityMonths).Select(s => new { s.Code, s.ValidityMonths }).ToListAsync(Ct);

        Assert.Equal([("STD-1Y", 12), ("STD-2Y", 24), ("STD-3Y", 36)], specs.Select(s => (s.Code, s.ValidityMonths)));
        Assert.Contains(await db.DataCenters.ToListAsync(Ct), d => d.Code == "cn-east" && d.TimeZoneId == "Asia/Shanghai");
        Assert.Empty(await db.Database.GetPendingMigrationsAsync(Ct));
    }

    [Fact]
    public async Task SaveChanges_SecondProductWithTheSameKey_IsRefusedByTheUniqueIndex()
    {
        var account = await AddAccountAsync();
        var key = NewKey("pk");
        await using (var db = database.CreatePlatformContext())
        {
            db.Products.Add(NewProduct(account, key));
            await db.SaveChangesAsync(Ct);
        }

        await using var second = database.CreatePlatformContext();
        second.Products.Add(NewProduct(account, key));
        var error = await Assert.ThrowsAsync<DbUpdateException>(() => second.SaveChangesAsync(Ct));
        Assert.True(DbErrors.IsUniqueViolation(error));
    }

    [Fact]
    public async Task SaveChanges_SameDeviceKeyInTwoProducts_IsAllowedButNotTwiceInOne()
    {
        var account = await AddAccountAsync();
        await using var db = database.CreatePlatformContext();
        var first = NewProduct(account, NewKey("pk"));
        var second = NewProduct(account, NewKey("pk"));
        db.Products.AddRange(first, second);
        await db.SaveChangesAsync(Ct);

        db.Devices.AddRange(NewDevice(account, first, "dev-1"), NewDevice(account, second, "dev-1"));
        await db.SaveChangesAsync(Ct);

        await using var again = database.CreatePlatformContext();
        again.Devices.Add(NewDevice(account, first, "dev-1"));
        var error = await Assert.ThrowsAsync<DbUpdateException>(() => again.SaveChangesAsync(Ct));
        Assert.True(DbErrors.IsUniqueViolation(error));
    }

    [Fact]
    public async Task SaveChanges_PurchaseWithAnOrderIdAlreadyUsed_IsRefused()
    {
        var account = await AddAccountAsync();
        var orderId = NewKey("order");
        await using (var db = database.CreatePlatformContext())
        {
            db.Purchases.Add(new Purchase { OrderId = orderId, AccountId = account.Id, SpecCode = "STD-1Y", Quantity = 5, CreatedAt = DateTime.UtcNow });
            await db.SaveChangesAsync(Ct);
        }

        await using var second = database.CreatePlatformContext();
        second.Purchases.Add(new Purchase { OrderId = orderId, AccountId = account.Id, SpecCode = "STD-2Y", Quantity = 1, CreatedAt = DateTime.UtcNow });
        Assert.True(DbErrors.IsUniqueViolation(await Assert.ThrowsAsync<DbUpdateException>(() => second.SaveChangesAsync(Ct))));
    }

    [Fact]
    public async Task SaveChanges_PoolUsingMoreThanItHolds_IsRefusedByTheCheckConstraint()
    {
        var account = await AddAccountAsync();
        await using var db = database.CreatePlatformContext();
        var product = NewProduct(account, NewKey("pk"));
        product.Pool = new ProductPool { AccountId = account.Id, Total = 3, Used = 4 };
        db.Products.Add(product);

        await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync(Ct));
    }

    [Fact]
    public async Task SaveChanges_SecondActivationStartingAtTheSameInstant_IsRefused()
    {
        var account = await AddAccountAsync();
        await using var db = database.CreatePlatformContext();
        var product = NewProduct(account, NewKey("pk"));
        var device = NewDevice(account, product, "dev-1");
        db.Products.Add(product);
        db.Devices.Add(device);
        await db.SaveChangesAsync(Ct);
        var start = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        db.Activations.Add(NewActivation(account, product, device, start));
        await db.SaveChangesAsync(Ct);

        await using var again = database.CreatePlatformContext();
        again.Activations.Add(NewActivation(account, product, device, start));
        Assert.True(DbErrors.IsUniqueViolation(await Assert.ThrowsAsync<DbUpdateException>(() => again.SaveChangesAsync(Ct))));
    }

    [Fact]
    public async Task Query_DateTimes_ComeBackAsTheSameUtcInstant()
    {
        var account = await AddAccountAsync();
        var created = new DateTime(2026, 3, 1, 23, 59, 58, 123, DateTimeKind.Utc).AddTicks(4560);
        await using (var db = database.CreatePlatformContext())
        {
            var product = NewProduct(account, NewKey("pk"));
            product.DeletedAt = created;
            db.Products.Add(product);
            await db.SaveChangesAsync(Ct);
        }

        await using var read = database.CreatePlatformContext();
        var stored = await read.Products.Where(p => p.AccountId == account.Id).Select(p => p.DeletedAt).SingleAsync(Ct);
        Assert.Equal(created, stored);
        Assert.Equal(DateTimeKind.Utc, stored!.Value.Kind);
    }

    [Fact]
    public async Task QueryFilter_ContextScopedToAnAccount_SeesOnlyThatAccountsRows()
    {
        var mine = await AddAccountAsync();
        var theirs = await AddAccountAsync();
        await using (var db = database.CreatePlatformContext())
        {
            db.Products.AddRange(NewProduct(mine, NewKey("pk")), NewProduct(theirs, NewKey("pk")), NewProduct(theirs, NewKey("pk")));
            await db.SaveChangesAsync(Ct);
        }

        var tenant = new TenantContext();
        tenant.ActForOwner(mine.Id, "me");
        await using var scoped = database.CreateContext(tenant);
        var visible = await scoped.Products.Select(p => p.AccountId).ToListAsync(Ct);

        Assert.Equal([mine.Id], visible);
    }

    [Fact]
    public async Task QueryFilter_ContextWithoutAnyScope_SeesNothing()
    {
        var account = await AddAccountAsync();
        await using (var db = database.CreatePlatformContext())
        {
            db.Products.Add(NewProduct(account, NewKey("pk")));
            await db.SaveChangesAsync(Ct);
        }

        await using var unscoped = database.CreateContext(new TenantContext());

        Assert.False(await unscoped.Products.AnyAsync(Ct));
    }

    private async Task<Account> AddAccountAsync()
    {
        var account = new Account
        {
            OwnerEmail = NewKey("owner") + "@example.com",
            DataCenterCode = "cn-east",
            TimeZoneId = "Asia/Shanghai",
            CreatedAt = DateTime.UtcNow,
        };
        await using var db = database.CreatePlatformContext();
        db.Accounts.Add(account);
        await db.SaveChangesAsync(Ct);
        return account;
    }

    private static string NewKey(string prefix) => prefix + Guid.NewGuid().ToString("N")[..12];

    private static Product NewProduct(Account account, string key) => new()
    {
        AccountId = account.Id,
        ProductKey = key,
        Name = "Product " + key,
        CreatedAt = DateTime.UtcNow,
        Pool = new ProductPool { AccountId = account.Id },
    };

    private static Device NewDevice(Account account, Product product, string key) => new()
    {
        AccountId = account.Id,
        Product = product,
        DeviceKey = key,
        CreatedAt = DateTime.UtcNow,
    };

    private static Activation NewActivation(Account account, Product product, Device device, DateTime start) => new()
    {
        AccountId = account.Id,
        ProductId = product.Id,
        DeviceId = device.Id,
        SpecCode = "STD-1Y",
        ActivatedAt = start,
        ExpiresAt = start.AddYears(1),
        Kind = ActivationKind.First,
        DataCenter = "cn-east",
    };
}

public sealed class PostgresPersistenceTests(PostgresDatabase database) : PersistenceTests(database), IClassFixture<PostgresDatabase>;

public sealed class SqlitePersistenceTests(SqliteDatabase database) : PersistenceTests(database), IClassFixture<SqliteDatabase>;
