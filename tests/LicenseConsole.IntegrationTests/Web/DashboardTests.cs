using System.Net;
using LicenseConsole.Accounts;
using LicenseConsole.IntegrationTests.Infrastructure;
using LicenseConsole.Licensing;
using LicenseConsole.Products;

namespace LicenseConsole.IntegrationTests.Web;

public abstract class DashboardTests(AppFixture app)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Dashboard_AccountWithPoolsAndADeletedProduct_ShowsTheTotalsOfRuleOne()
    {
        var account = await TestAccounts.CreateAsync(app.Factory.Services);
        await using (var db = app.Database.CreatePlatformContext())
        {
            db.UnallocatedPools.AddRange(
                new UnallocatedPool { AccountId = account.Id, SpecCode = "STD-1Y", Quantity = 10 },
                new UnallocatedPool { AccountId = account.Id, SpecCode = "STD-2Y", Quantity = 5 });
            db.Products.AddRange(
                Product(account, 20, 7, deleted: false),
                Product(account, 4, 1, deleted: true));
            await db.SaveChangesAsync(Ct);
        }

        using var client = app.CreateClient();
        await client.SignInAsync(account.OwnerEmail, TestAccounts.Password);
        var response = await client.GetAsync("/", Ct);
        var html = await response.Content.ReadAsStringAsync(Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("35", ConsoleClient.TestIdText(html, "total"));
        Assert.Equal("7", ConsoleClient.TestIdText(html, "used"));
        Assert.Equal("28", ConsoleClient.TestIdText(html, "remaining"));
        Assert.Equal("15", ConsoleClient.TestIdText(html, "unallocated"));
        Assert.Equal("4", ConsoleClient.TestIdText(html, "forfeited"));
        Assert.Contains("cn-east", ConsoleClient.TestIdText(html, "data-center"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dashboard_NewAccount_ShowsZeroesNotAnotherAccountsLicenses()
    {
        var busy = await TestAccounts.CreateAsync(app.Factory.Services);
        await using (var db = app.Database.CreatePlatformContext())
        {
            db.UnallocatedPools.Add(new UnallocatedPool { AccountId = busy.Id, SpecCode = "STD-1Y", Quantity = 99 });
            db.Products.Add(Product(busy, 50, 20, deleted: false));
            await db.SaveChangesAsync(Ct);
        }

        var fresh = await TestAccounts.CreateAsync(app.Factory.Services, "eu-west");
        using var client = app.CreateClient();
        await client.SignInAsync(fresh.OwnerEmail, TestAccounts.Password);
        var html = await (await client.GetAsync("/", Ct)).Content.ReadAsStringAsync(Ct);

        Assert.Equal("0", ConsoleClient.TestIdText(html, "total"));
        Assert.Equal("0", ConsoleClient.TestIdText(html, "unallocated"));
        Assert.Contains("eu-west", ConsoleClient.TestIdText(html, "data-center"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ProductPage_OwnProduct_Returns200AndAnotherAccountsProduct_Returns404()
    {
        var mine = await TestAccounts.CreateAsync(app.Factory.Services);
        var theirs = await TestAccounts.CreateAsync(app.Factory.Services);
        var myProduct = Product(mine, 3, 1, deleted: false);
        var theirProduct = Product(theirs, 3, 1, deleted: false);
        await using (var db = app.Database.CreatePlatformContext())
        {
            db.Products.AddRange(myProduct, theirProduct);
            await db.SaveChangesAsync(Ct);
        }

        using var client = app.CreateClient();
        await client.SignInAsync(mine.OwnerEmail, TestAccounts.Password);

        var own = await client.GetAsync($"/products/{myProduct.ProductKey}", Ct);
        var foreign = await client.GetAsync($"/products/{theirProduct.ProductKey}", Ct);

        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, foreign.StatusCode);
        Assert.DoesNotContain(theirProduct.Name, await foreign.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }

    private static Product Product(Account account, long total, long used, bool deleted)
    {
        var key = "pk" + Guid.NewGuid().ToString("N")[..10];
        return new Product
        {
            AccountId = account.Id,
            ProductKey = key,
            Name = "Product " + key,
            SpecCode = "STD-1Y",
            CreatedAt = DateTime.UtcNow,
            DeletedAt = deleted ? DateTime.UtcNow : null,
            Pool = new ProductPool { AccountId = account.Id, Total = total, Used = used },
        };
    }
}

public sealed class PostgresDashboardTests(PostgresApp app) : DashboardTests(app), IClassFixture<PostgresApp>;

public sealed class SqliteDashboardTests(SqliteApp app) : DashboardTests(app), IClassFixture<SqliteApp>;
