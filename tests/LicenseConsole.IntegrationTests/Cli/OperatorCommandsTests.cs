using System.Diagnostics;
using LicenseConsole.Accounts;
using LicenseConsole.IntegrationTests.Infrastructure;
using LicenseConsole.Web.Cli;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LicenseConsole.IntegrationTests.Cli;

public sealed class OperatorCommandsTests(PostgresDatabase database) : IClassFixture<PostgresDatabase>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AccountsAdd_ValidOptions_CreatesTheAccountWithItsOwner()
    {
        var email = $"cli-{Guid.NewGuid():N}@example.com";

        var (code, output, error) = await RunWithInputAsync("Cli-Password-1\n", "accounts", "add", "--email", email, "--data-center", "eu-west");

        Assert.Equal((OperatorCommands.Ok, ""), (code, error));
        Assert.Contains($"for {email} in eu-west", output, StringComparison.Ordinal);
        await using var db = database.CreatePlatformContext();
        var account = await db.Accounts.SingleAsync(a => a.OwnerEmail == email, Ct);
        Assert.Equal("Europe/Berlin", account.TimeZoneId);
        Assert.True(await db.Users.AnyAsync(u => u.AccountId == account.Id && u.Role == AccessRole.Owner, Ct));
    }

    [Fact]
    public async Task AccountsAdd_UnknownDataCenter_ExitsOneWithAClearMessage()
    {
        var (code, output, error) = await RunWithInputAsync("Cli-Password-1\n", "accounts", "add", "--email", $"cli-{Guid.NewGuid():N}@example.com", "--data-center", "mars-1");

        Assert.Equal(OperatorCommands.Refused, code);
        Assert.Equal("", output);
        Assert.Contains("Unknown data center", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AccountsAdd_PasswordOnTheCommandLine_IsRefusedAndCreatesNothing()
    {
        var email = $"cli-{Guid.NewGuid():N}@example.com";

        var (code, _, error) = await RunWithInputAsync("", "accounts", "add", "--email", email, "--password", "Cli-Password-1", "--data-center", "eu-west");

        Assert.Equal(OperatorCommands.Usage, code);
        Assert.Contains("A password is never taken on the command line", error, StringComparison.Ordinal);
        await using var db = database.CreatePlatformContext();
        Assert.False(await db.Accounts.AnyAsync(a => a.OwnerEmail == email, Ct));
    }

    [Fact]
    public async Task ApiKeysAdd_RoleAndProducts_MintsAViewerKeyLimitedToThem()
    {
        var account = await CreateAccountAsync();
        await using var services = database.CreateServices();
        string productKey;
        await using (var scope = services.CreateAsyncScope())
        {
            scope.ServiceProvider.GetRequiredService<TenantContext>().ActForOwner(account.Id, account.OwnerEmail);
            productKey = (await scope.ServiceProvider.GetRequiredService<LicenseConsole.Products.ProductService>().CreateAsync("Cli lamp", null, Ct)).ProductKey;
        }

        var (code, output, _) = await RunAsync("apikeys", "add", "--account", account.OwnerEmail, "--role", "viewer", "--products", productKey);

        Assert.Equal(OperatorCommands.Ok, code);
        Assert.Contains($"(viewer, products {productKey})", output, StringComparison.Ordinal);
        await using var db = database.CreatePlatformContext();
        var key = await db.ApiKeys.SingleAsync(k => k.AccountId == account.Id, Ct);
        Assert.Equal((AccessRole.Viewer, true), (key.Role, key.LimitedToProducts));
        Assert.Equal(1, await db.ProductGrants.CountAsync(g => g.ApiKeyId == key.Id, Ct));
    }

    [Theory]
    [InlineData("accounts", "add", "--email", "x@example.com", "--data-center", "cn-east")]
    [InlineData("accounts", "add", "--email", "x@example.com", "--password")]
    [InlineData("accounts", "add", "--email", "x@example.com", "--password", "P", "--colour", "red")]
    [InlineData("accounts", "remove", "--email", "x@example.com")]
    public async Task Run_MalformedCommandLine_ExitsTwoWithUsage(params string[] args)
    {
        var (code, _, error) = await RunAsync(args);

        Assert.Equal(OperatorCommands.Usage, code);
        Assert.Contains("Operator commands:", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ApiKeysAdd_ExistingAccount_PrintsAKeyThatAuthenticates()
    {
        var account = await CreateAccountAsync();

        var (code, output, _) = await RunAsync("apikeys", "add", "--account", account.OwnerEmail, "--name", "reporting");

        Assert.Equal(OperatorCommands.Ok, code);
        var key = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Last();
        await using var services = database.CreateServices();
        await using var scope = services.CreateAsyncScope();
        var identity = await scope.ServiceProvider.GetRequiredService<ApiKeyService>().AuthenticateAsync(key, Ct);
        Assert.Equal((account.Id, "reporting"), (identity!.AccountId, identity.Name));
    }

    [Fact]
    public async Task PurchasesAdd_ExistingAccount_AddsToTheUnallocatedPool()
    {
        var account = await CreateAccountAsync();

        var (code, output, _) = await RunAsync("purchases", "add", "--account", account.OwnerEmail, "--spec", "std-2y", "--quantity", "40", "--order", "cli-order-" + account.Id);
        var (again, againOutput, _) = await RunAsync("purchases", "add", "--account", account.OwnerEmail, "--spec", "std-2y", "--quantity", "40", "--order", "cli-order-" + account.Id);

        Assert.Equal((OperatorCommands.Ok, OperatorCommands.Ok), (code, again));
        Assert.Contains("40 STD-2Y license(s)", output, StringComparison.Ordinal);
        Assert.Contains("recorded before; nothing added", againOutput, StringComparison.Ordinal);
        await using var db = database.CreatePlatformContext();
        Assert.Equal(40, await db.UnallocatedPools.Where(u => u.AccountId == account.Id && u.SpecCode == "STD-2Y").Select(u => u.Quantity).SingleAsync(Ct));
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("-5")]
    [InlineData("0")]
    [InlineData("99999999999")]
    public async Task PurchasesAdd_BadQuantity_ExitsOneAndAddsNothing(string quantity)
    {
        var account = await CreateAccountAsync();

        var (code, _, error) = await RunAsync("purchases", "add", "--account", account.OwnerEmail, "--spec", "STD-1Y", "--quantity", quantity);

        Assert.Equal(OperatorCommands.Refused, code);
        Assert.Contains("quantity", error, StringComparison.Ordinal);
        await using var db = database.CreatePlatformContext();
        Assert.False(await db.Purchases.AnyAsync(p => p.AccountId == account.Id, Ct));
    }

    [Fact]
    public async Task PurchasesAdd_UnknownAccount_ExitsOne()
    {
        var (code, _, error) = await RunAsync("purchases", "add", "--account", "nobody@example.com", "--spec", "STD-1Y", "--quantity", "1");

        Assert.Equal(OperatorCommands.Refused, code);
        Assert.Contains("No account is owned by 'nobody@example.com'", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Binary_AccountsAddThenVerify_RunsAsAProcessWithExitCodes()
    {
        var email = $"proc-{Guid.NewGuid():N}@example.com";
        var web = Path.Combine(AppContext.BaseDirectory, "LicenseConsole.Web.dll");

        var created = await RunProcessAsync(web, "accounts", "add", "--email", email, "--data-center", "cn-north");
        var refused = await RunProcessAsync(web, "accounts", "add", "--email", email, "--data-center", "cn-north");
        var verified = await RunProcessAsync(web, "verify");

        Assert.True(created.Code == 0, created.Output + created.Error);
        Assert.Contains($"for {email} in cn-north", created.Output, StringComparison.Ordinal);
        Assert.Equal(1, refused.Code);
        Assert.Contains("account_exists", refused.Error, StringComparison.Ordinal);
        Assert.True(verified.Code == 0, verified.Output + verified.Error);
        Assert.Contains("Ledger verified: no breach.", verified.Output, StringComparison.Ordinal);
    }

    private async Task<Account> CreateAccountAsync()
    {
        await using var services = database.CreateServices();
        return await TestAccounts.CreateAsync(services);
    }

    private Task<(int Code, string Output, string Error)> RunAsync(params string[] args) => RunWithInputAsync("", args);

    private async Task<(int Code, string Output, string Error)> RunWithInputAsync(string input, params string[] args)
    {
        await using var services = database.CreateServices();
        await using var scope = services.CreateAsyncScope();
        using var reader = new StringReader(input);
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await OperatorCommands.ExecuteAsync(scope.ServiceProvider, args, reader, output, error, Ct);
        return (code, output.ToString(), error.ToString());
    }

    private async Task<(int Code, string Output, string Error)> RunProcessAsync(string web, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetTempPath(),
        };
        start.ArgumentList.Add(web);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Testing";
        start.Environment["Database__Provider"] = "Postgres";
        start.Environment["ConnectionStrings__LicenseConsole"] = database.ConnectionString;
        start.Environment["Seed__Demo"] = "false";
        start.Environment[OperatorCommands.PasswordVariable] = "Proc-Password-1";
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync(Ct);
        var error = process.StandardError.ReadToEndAsync(Ct);
        await process.WaitForExitAsync(Ct);
        return (process.ExitCode, await output, await error);
    }
}
