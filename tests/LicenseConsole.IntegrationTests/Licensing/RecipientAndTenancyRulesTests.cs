using LicenseConsole.Alerts;
using LicenseConsole.Common;
using LicenseConsole.Devices;
using LicenseConsole.IntegrationTests.Infrastructure;
using LicenseConsole.Licensing;
using LicenseConsole.Products;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LicenseConsole.IntegrationTests.Licensing;

/// <summary>SPEC rules 11 (alert recipients) and 13 (tenancy), on each provider.</summary>
public abstract class RecipientAndTenancyRulesTests(TestDatabase database)
{
    // Rule 11

    [Fact]
    public async Task Recipients_NewAccount_ListsTheOwnerAsFixed()
    {
        await using var ledger = new Ledger(database);
        var account = await ledger.CreateAccountAsync();

        var list = await ledger.AsAccountAsync(account.Id, s => s.GetRequiredService<AlertRecipientService>().ListAsync());

        var owner = Assert.Single(list);
        Assert.Equal((AlertRecipientService.OwnerEntryId, account.OwnerEmail, true), (owner.Id, owner.Email, owner.IsOwner));
        var error = await Assert.ThrowsAsync<DomainException>(() =>
            ledger.AsAccountAsync(account.Id, s => s.GetRequiredService<AlertRecipientService>().RemoveAsync(owner.Id)));
        Assert.Equal(ErrorCodes.OwnerRecipientFixed, error.Code);
    }

    [Fact]
    public async Task Recipients_AddAndRemove_AreListedAndAudited()
    {
        await using var ledger = new Ledger(database);
        var account = await ledger.CreateAccountAsync();

        var added = await Recipients(ledger, account.Id, r => r.AddAsync("  Li Wei ", "Li.Wei@Example.com"));
        var listed = await Recipients(ledger, account.Id, r => r.ListAsync());
        await ledger.AsAccountAsync(account.Id, s => s.GetRequiredService<AlertRecipientService>().RemoveAsync(added.Id));
        var after = await Recipients(ledger, account.Id, r => r.ListAsync());

        Assert.Equal(("Li Wei", "li.wei@example.com"), (added.Name, added.Email));
        Assert.Equal([account.OwnerEmail, "li.wei@example.com"], listed.Select(r => r.Email));
        Assert.Single(after);
        await using var db = database.CreatePlatformContext();
        var actions = await db.AuditEntries.Where(e => e.AccountId == account.Id).OrderBy(e => e.Id).Select(e => e.Action).ToListAsync(TestContext.Current.CancellationToken);
        Assert.Equal(["recipient.add", "recipient.remove"], actions);
    }

    [Theory]
    [InlineData("not-an-email")]
    [InlineData("ops@localhost")]
    [InlineData("Ops <ops@example.com>")]
    [InlineData("")]
    public async Task Recipients_InvalidEmail_IsRefused(string email)
    {
        await using var ledger = new Ledger(database);
        var account = await ledger.CreateAccountAsync();

        var error = await Assert.ThrowsAsync<DomainException>(() => Recipients(ledger, account.Id, r => r.AddAsync("Ops", email)));

        Assert.Equal((ErrorCodes.ValidationFailed, "email"), (error.Code, error.Field));
        Assert.Single(await Recipients(ledger, account.Id, r => r.ListAsync()));
    }

    [Fact]
    public async Task Recipients_DuplicateInAnotherCaseOrTheOwnersAddress_IsRefused()
    {
        await using var ledger = new Ledger(database);
        var account = await ledger.CreateAccountAsync();
        await Recipients(ledger, account.Id, r => r.AddAsync("Ops", "ops@example.com"));

        var duplicate = await Assert.ThrowsAsync<DomainException>(() => Recipients(ledger, account.Id, r => r.AddAsync("Ops again", "OPS@example.com")));
        var owner = await Assert.ThrowsAsync<DomainException>(() => Recipients(ledger, account.Id, r => r.AddAsync("Me", account.OwnerEmail.ToUpperInvariant())));

        Assert.Equal(ErrorCodes.RecipientExists, duplicate.Code);
        Assert.Equal(ErrorCodes.RecipientExists, owner.Code);
    }

    // Rule 13

    [Fact]
    public async Task Tenancy_AnotherAccountsProduct_IsNotFoundForEveryOperation()
    {
        await using var ledger = new Ledger(database);
        var mine = await ledger.CreateAccountAsync();
        var theirs = await ledger.CreateAccountAsync();
        await ledger.BuyAsync(mine, "STD-1Y", 10);
        var product = await ledger.ProductWithLicensesAsync(theirs, 5);
        await ledger.ConnectAsync(product.ProductKey, "d1");

        async Task<string> Refusal(Func<IServiceProvider, Task> work) =>
            (await Assert.ThrowsAsync<DomainException>(() => ledger.AsAccountAsync(mine.Id, work))).Code;

        Assert.Null(await ledger.AsAccountAsync(mine.Id, s => s.GetRequiredService<ProductService>().FindAsync(product.ProductKey)));
        Assert.Equal(ErrorCodes.ProductNotFound, await Refusal(s => s.GetRequiredService<AllocationService>().AllocateAsync(product.ProductKey, "STD-1Y", 1)));
        Assert.Equal(ErrorCodes.ProductNotFound, await Refusal(s => s.GetRequiredService<AllocationService>().GetOptionsAsync(product.ProductKey)));
        Assert.Equal(ErrorCodes.ProductNotFound, await Refusal(s => s.GetRequiredService<DeviceService>().ListAsync(product.ProductKey, new DeviceFilter(), PageRequest.From(1, 10))));
        Assert.Equal(ErrorCodes.ProductNotFound, await Refusal(s => s.GetRequiredService<DeviceService>().ActivationsAsync(product.ProductKey, "d1", PageRequest.From(1, 10))));
        Assert.Equal(ErrorCodes.ProductNotFound, await Refusal(s => s.GetRequiredService<DeviceService>().SetAutoRenewAsync(product.ProductKey, "d1", false)));
        Assert.Equal(ErrorCodes.ProductNotFound, await Refusal(s => s.GetRequiredService<ProductService>().SetAutoRenewAsync(product.ProductKey, false)));
        Assert.Equal(ErrorCodes.ProductNotFound, await Refusal(s => s.GetRequiredService<ProductService>().DeleteAsync(product.ProductKey, product.ProductKey)));

        var untouched = await ledger.ProductAsync(theirs, product.ProductKey);
        Assert.Equal((5L, 1L, true), (untouched.Total, untouched.Used, untouched.AutoRenew));
        Assert.Equal(10, (await ledger.SummaryAsync(mine)).Unallocated);
    }

    [Fact]
    public async Task Tenancy_ListsAndSummaries_ShowOnlyTheAccountsOwnData()
    {
        await using var ledger = new Ledger(database);
        var mine = await ledger.CreateAccountAsync();
        var theirs = await ledger.CreateAccountAsync();
        var myProduct = await ledger.ProductWithLicensesAsync(mine, 2);
        var theirProduct = await ledger.ProductWithLicensesAsync(theirs, 3);
        await ledger.ConnectAsync(theirProduct.ProductKey, "theirs-1");
        await Recipients(ledger, theirs.Id, r => r.AddAsync("Their ops", "their-ops@example.com"));
        ledger.Clock.Advance(TimeSpan.FromDays(350));

        var products = await ledger.AsAccountAsync(mine.Id, s => s.GetRequiredService<ProductService>().ListAsync(null, PageRequest.From(1, 100)));
        var expiring = await ledger.AsAccountAsync(mine.Id, s => s.GetRequiredService<DeviceService>().ExpiringAsync(new ExpiringFilter(), PageRequest.From(1, 100)));
        var allocations = await ledger.AsAccountAsync(mine.Id, s => s.GetRequiredService<AllocationService>().ListAsync(null, PageRequest.From(1, 100)));
        var recipients = await Recipients(ledger, mine.Id, r => r.ListAsync());
        var theirRecipient = (await Recipients(ledger, theirs.Id, r => r.ListAsync()))[1];
        var removeTheirs = await Assert.ThrowsAsync<DomainException>(() =>
            ledger.AsAccountAsync(mine.Id, s => s.GetRequiredService<AlertRecipientService>().RemoveAsync(theirRecipient.Id)));

        Assert.Equal([myProduct.ProductKey], products.Items.Select(p => p.ProductKey));
        Assert.Empty(expiring.Items);
        Assert.Empty(allocations.Items);
        Assert.Single(recipients);
        Assert.Equal(ErrorCodes.RecipientNotFound, removeTheirs.Code);
        var summary = await ledger.SummaryAsync(mine);
        Assert.Equal((2L, 0L, 0), (summary.Total, summary.Used, summary.ExpiringDevices));
    }

    private static Task<T> Recipients<T>(Ledger ledger, Guid accountId, Func<AlertRecipientService, Task<T>> work) =>
        ledger.AsAccountAsync(accountId, s => work(s.GetRequiredService<AlertRecipientService>()));
}

public sealed class PostgresRecipientAndTenancyRulesTests(PostgresDatabase database) : RecipientAndTenancyRulesTests(database), IClassFixture<PostgresDatabase>;

public sealed class SqliteRecipientAndTenancyRulesTests(SqliteDatabase database) : RecipientAndTenancyRulesTests(database), IClassFixture<SqliteDatabase>;
