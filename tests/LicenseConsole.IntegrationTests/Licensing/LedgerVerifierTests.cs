using LicenseConsole.IntegrationTests.Infrastructure;
using LicenseConsole.Products;
using LicenseConsole.Web.Cli;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LicenseConsole.IntegrationTests.Licensing;

/// <summary>
/// The verifier that every fault test and the operator's <c>verify</c> command rely on: a clean ledger passes,
/// and each invariant, broken on purpose behind the services' back, is reported by name. Where the schema
/// itself refuses a breach (check constraints on the pools), the constraint is dropped first: the verifier
/// must not lean on it.
/// </summary>
public sealed class LedgerVerifierTests(PostgresDatabases databases) : IClassFixture<PostgresDatabases>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Verify_ALedgerWrittenByTheServices_FindsNoBreach()
    {
        await using var story = await StoryAsync();

        Assert.Empty(await story.Ledger.VerifyAsync());
    }

    [Theory]
    [InlineData("used = activations", "UPDATE product_pools SET used = used + 1 WHERE product_id = {product}")]
    [InlineData("0 <= used <= total", "ALTER TABLE product_pools DROP CONSTRAINT ck_product_pools_used; UPDATE product_pools SET used = -1 WHERE product_id = {product}")]
    [InlineData("total = allocations + bound purchases", "UPDATE product_pools SET total = total + 5 WHERE product_id = {product}")]
    [InlineData("0 <= used <= total", "ALTER TABLE product_pools DROP CONSTRAINT ck_product_pools_used; UPDATE product_pools SET total = -3 WHERE product_id = {product}")]
    [InlineData("unbound purchases = unallocated + allocations", "UPDATE unallocated_pools SET quantity = quantity + 1 WHERE account_id = '{account}'")]
    [InlineData("unallocated >= 0", "ALTER TABLE unallocated_pools DROP CONSTRAINT ck_unallocated_pools_quantity; UPDATE unallocated_pools SET quantity = -1 WHERE account_id = '{account}'")]
    [InlineData("total = allocations + bound purchases", "DELETE FROM allocations WHERE product_id = {product}")]
    [InlineData("device matches its activations", "UPDATE devices SET activation_count = activation_count + 1 WHERE product_id = {product}")]
    [InlineData("device matches its activations", "UPDATE devices SET expires_at = expires_at + interval '1 day' WHERE product_id = {product}")]
    [InlineData("no overlapping periods", """
        INSERT INTO activations (account_id, product_id, device_id, spec_code, activated_at, expires_at, kind, data_center, recorded_at)
        SELECT account_id, product_id, device_id, spec_code, activated_at + interval '1 month', expires_at + interval '1 month', kind, data_center, recorded_at
        FROM activations WHERE product_id = {product}
        """)]
    public async Task Verify_AnInvariantBrokenBehindTheServices_ReportsItByName(string invariant, string corruption)
    {
        await using var story = await StoryAsync();

        await story.CorruptAsync(corruption);

        var breaches = await story.Ledger.VerifyAsync();
        Assert.Contains(breaches, b => b.Invariant == invariant);
    }

    [Theory]
    [InlineData("UPDATE product_pools SET used = -1 WHERE product_id = {product}")]
    [InlineData("UPDATE product_pools SET used = total + 1 WHERE product_id = {product}")]
    [InlineData("UPDATE unallocated_pools SET quantity = -1 WHERE account_id = '{account}'")]
    public async Task Database_ANegativeOrOversoldPool_IsRefusedByItsCheckConstraint(string corruption)
    {
        await using var story = await StoryAsync();

        var refused = await Assert.ThrowsAsync<Npgsql.PostgresException>(() => story.CorruptAsync(corruption));

        Assert.Equal(Npgsql.PostgresErrorCodes.CheckViolation, refused.SqlState);
        Assert.Empty(await story.Ledger.VerifyAsync());
    }

    [Fact]
    public async Task Verify_ALicenseConsumedAfterTheProductWasDeleted_ReportsForfeitedOnlyOnDeletion()
    {
        await using var story = await StoryAsync();
        await story.Ledger.AsAccountAsync(story.Account.Id, s => s.GetRequiredService<ProductService>().DeleteAsync(story.ProductKey, story.ProductKey));
        Assert.Empty(await story.Ledger.VerifyAsync());

        // A consumption recorded a minute after the deletion, pool and device kept consistent with it.
        await story.CorruptAsync("""
            WITH gone AS (SELECT id, deleted_at FROM products WHERE id = {product}),
            d AS (UPDATE devices SET activation_count = activation_count + 1, activated_at = expires_at, expires_at = expires_at + interval '1 year'
                  WHERE product_id = {product} AND device_key = 'dev-1' RETURNING id, account_id, activated_at, expires_at),
            p AS (UPDATE product_pools SET used = used + 1 WHERE product_id = {product})
            INSERT INTO activations (account_id, product_id, device_id, spec_code, activated_at, expires_at, kind, data_center, recorded_at)
            SELECT d.account_id, {product}, d.id, 'STD-1Y', d.activated_at, d.expires_at, 'Renewal', 'cn-east', gone.deleted_at + interval '1 minute'
            FROM d, gone
            """);

        var breaches = await story.Ledger.VerifyAsync();
        Assert.Equal("forfeited only on deletion", Assert.Single(breaches).Invariant);
    }

    [Fact]
    public async Task VerifyCommand_ABreach_PrintsItAndExitsOne()
    {
        await using var story = await StoryAsync();
        await story.CorruptAsync("UPDATE product_pools SET used = used + 2 WHERE product_id = {product}");

        await using var services = story.Database.CreateServices();
        await using var scope = services.CreateAsyncScope();
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await OperatorCommands.ExecuteAsync(scope.ServiceProvider, ["verify"], TextReader.Null, output, error, Ct);

        Assert.Equal(OperatorCommands.Refused, code);
        Assert.Contains($"used = activations: {story.ProductKey}: pool used 4, activations 2", output.ToString(), StringComparison.Ordinal);
        Assert.Contains("Ledger verification found 1 breach(es).", output.ToString(), StringComparison.Ordinal);
    }

    /// <summary>
    /// A small ledger on a database of its own: licenses bought unallocated and for a product, an allocation,
    /// two devices connected.
    /// </summary>
    private async Task<Story> StoryAsync()
    {
        var database = await databases.NewAsync();
        var ledger = new Ledger(database);
        var account = await ledger.CreateAccountAsync();
        var product = await ledger.ProductWithLicensesAsync(account, 3);
        await ledger.BuyAsync(account, "STD-1Y", 10);
        await ledger.AllocateAsync(account, product.ProductKey, "STD-1Y", 4);
        await ledger.ConnectAsync(product.ProductKey, "dev-1");
        await ledger.ConnectAsync(product.ProductKey, "dev-2");
        await using var db = database.CreatePlatformContext();
        var productId = await db.Products.Where(p => p.ProductKey == product.ProductKey).Select(p => p.Id).SingleAsync(Ct);
        return new Story(database, ledger, account, product.ProductKey, productId);
    }

    private sealed record Story(TestDatabase Database, Ledger Ledger, Accounts.Account Account, string ProductKey, long ProductId) : IAsyncDisposable
    {
        public async Task CorruptAsync(string sql)
        {
            await using var db = Database.CreatePlatformContext();
            var statement = sql.Replace("{product}", ProductId.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
                .Replace("{account}", Account.Id.ToString(), StringComparison.Ordinal);
            Assert.True(await db.Database.ExecuteSqlRawAsync(statement, Ct) > 0, "The corruption changed no row: " + statement);
        }

        public async ValueTask DisposeAsync()
        {
            await Ledger.DisposeAsync();
            await Database.DisposeAsync();
        }
    }
}
