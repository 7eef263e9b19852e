using LicenseConsole.Accounts;
using LicenseConsole.IntegrationTests.Infrastructure;
using LicenseConsole.Licensing;
using LicenseConsole.Products;
using Microsoft.Extensions.DependencyInjection;

namespace LicenseConsole.IntegrationTests.Licensing;

/// <summary>The dashboard's usage chart: live products ranked by the share of their licenses used, on each provider.</summary>
public abstract class ProductUsageTests(TestDatabase database)
{
    [Fact]
    public async Task UsageByProduct_PoolsOfVeryDifferentSizes_HighestShareFirstNotLargestCountCappedWithTheCountOfProductsWithLicenses()
    {
        await using var ledger = new Ledger(database);
        var account = await ledger.CreateAccountAsync();
        var large = await ProductAsync(ledger, account, 1000, 10);
        var nearlyFull = await ProductAsync(ledger, account, 4, 3);
        var full = await ProductAsync(ledger, account, 2, 2);
        await ledger.CreateProductAsync(account);
        var deleted = await ProductAsync(ledger, account, 1, 1);
        await ledger.AsAccountAsync(account.Id, s => s.GetRequiredService<ProductService>().DeleteAsync(deleted, deleted));

        var top2 = await UsageAsync(ledger, account.Id, 2);
        var all = await UsageAsync(ledger, account.Id, 10);

        Assert.Equal([full, nearlyFull], top2.Products.Select(p => p.ProductKey));
        Assert.Equal(3, top2.ProductsWithLicenses);
        Assert.True(top2.Capped);
        Assert.Equal([(full, 2L, 2L), (nearlyFull, 4L, 3L), (large, 1000L, 10L)], all.Products.Select(p => (p.ProductKey, p.Total, p.Used)));
        Assert.Equal([100.0, 75.0, 1.0], all.Products.Select(p => p.UsedPercent));
        Assert.False(all.Capped);
    }

    [Fact]
    public async Task UsageByProduct_NoProductHoldsLicenses_Empty()
    {
        await using var ledger = new Ledger(database);
        var account = await ledger.CreateAccountAsync();
        await ledger.CreateProductAsync(account);

        var usage = await UsageAsync(ledger, account.Id, 10);

        Assert.Empty(usage.Products);
        Assert.Equal(0, usage.ProductsWithLicenses);
    }

    private static async Task<string> ProductAsync(Ledger ledger, Account account, int licenses, int devices)
    {
        var product = await ledger.ProductWithLicensesAsync(account, licenses);
        await ledger.ConnectManyAsync([.. Enumerable.Range(1, devices).Select(i => (product.ProductKey, $"dk-{i}"))]);
        return product.ProductKey;
    }

    private static Task<UsageByProduct> UsageAsync(Ledger ledger, Guid account, int top) =>
        ledger.AsAccountAsync(account, s => s.GetRequiredService<LicenseSummaryService>().UsageByProductAsync(top));
}

public sealed class PostgresProductUsageTests(PostgresDatabase database) : ProductUsageTests(database), IClassFixture<PostgresDatabase>;

public sealed class SqliteProductUsageTests(SqliteDatabase database) : ProductUsageTests(database), IClassFixture<SqliteDatabase>;
