using System.Globalization;
using LicenseConsole.Accounts;
using LicenseConsole.Common;
using LicenseConsole.Licensing;
using LicenseConsole.Web.Hosting;

namespace LicenseConsole.Web.Cli;

/// <summary>
/// The operator's commands on the same binary as the console:
/// <c>dotnet run --project src/LicenseConsole.Web -- accounts add --email E --data-center DC</c>, the password read from
/// <see cref="PasswordVariable"/> or standard input, never the command line (where other users and the shell's history see it).
/// Each prints what it made, and exits non-zero with a clear message on bad input.
/// </summary>
public static class OperatorCommands
{
    public const int Ok = 0;
    public const int Refused = 1;
    public const int Usage = 2;

    /// <summary>The environment variable a new account's password may come from; without it, the first line of standard input.</summary>
    public const string PasswordVariable = "LICENSECONSOLE_PASSWORD";

    private const string Help = """
        Operator commands:
          accounts add  --email E --data-center DC   (password from $LICENSECONSOLE_PASSWORD or standard input)
          apikeys add   --account E [--name N] [--role admin|operator|viewer] [--products PK1,PK2]
          purchases add --account E --spec CODE --quantity N [--product PK] [--order ID]
          verify        check the ledger's invariants; exit code 0 when clean
        Configuration (database, provider) is read as the console reads it.
        """;

    private static readonly string[] Commands = ["accounts", "apikeys", "purchases", "verify", "help", "--help"];

    public static bool IsCommand(string[] args) => args.Length > 0 && Commands.Contains(args[0], StringComparer.OrdinalIgnoreCase);

    /// <summary>Builds the app's services (without serving), brings the database up to date and runs the command.</summary>
    public static async Task<int> RunAsync(string[] args)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = [] });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Serilog:MinimumLevel:Default"] = "Warning" });
        builder.AddLicenseConsoleWeb();
        await using var app = builder.Build();
        await app.InitializeDatabaseAsync();
        await using var scope = app.Services.CreateAsyncScope();
        return await ExecuteAsync(scope.ServiceProvider, args, Console.In, Console.Out, Console.Error, CancellationToken.None);
    }

    /// <summary>Runs one command in <paramref name="services"/> (a scope), acting for the whole platform.</summary>
    public static async Task<int> ExecuteAsync(
        IServiceProvider services, string[] args, TextReader input, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        services.GetRequiredService<TenantContext>().ActForPlatform("cli:" + Environment.UserName);
        try
        {
            var command = string.Join(' ', args.TakeWhile(a => !a.StartsWith("--", StringComparison.Ordinal)).Take(2)).ToLowerInvariant();
            var options = ParseOptions(args.SkipWhile(a => !a.StartsWith("--", StringComparison.Ordinal)).ToArray());
            switch (command)
            {
                case "accounts add":
                    return await AddAccountAsync(services, options, input, output, cancellationToken);
                case "apikeys add":
                    return await AddApiKeyAsync(services, options, output, cancellationToken);
                case "purchases add":
                    return await AddPurchaseAsync(services, options, output, cancellationToken);
                case "verify":
                    return await VerifyAsync(services, output, cancellationToken);
                case "help" or "--help":
                    await output.WriteLineAsync(Help);
                    return Ok;
                default:
                    await error.WriteLineAsync($"Unknown command '{command}'.\n{Help}");
                    return Usage;
            }
        }
        catch (UsageException e)
        {
            await error.WriteLineAsync($"{e.Message}\n{Help}");
            return Usage;
        }
        catch (DomainException e)
        {
            await error.WriteLineAsync(e.Field is null ? $"Refused ({e.Code}): {e.Message}" : $"Refused ({e.Code}, {e.Field}): {e.Message}");
            return Refused;
        }
    }

    private static async Task<int> AddAccountAsync(IServiceProvider services, Options options, TextReader input, TextWriter output, CancellationToken cancellationToken)
    {
        if (options.Has("password"))
        {
            throw new UsageException($"A password is never taken on the command line: set {PasswordVariable} or write it to standard input.");
        }

        options.Allow("email", "data-center");
        var email = options.Require("email");
        var dataCenter = options.Require("data-center");
        var password = Environment.GetEnvironmentVariable(PasswordVariable) is { Length: > 0 } fromEnvironment
            ? fromEnvironment
            : await input.ReadLineAsync(cancellationToken) ?? throw new UsageException($"No password: set {PasswordVariable} or write it to standard input.");
        var account = await services.GetRequiredService<AccountService>().CreateAccountAsync(email, password, dataCenter, cancellationToken);
        await output.WriteLineAsync($"Created account {account.Id} for {account.OwnerEmail} in {account.DataCenterCode} (time zone {account.TimeZoneId}).");
        return Ok;
    }

    private static async Task<int> AddApiKeyAsync(IServiceProvider services, Options options, TextWriter output, CancellationToken cancellationToken)
    {
        options.Allow("account", "name", "role", "products");
        var account = await RequireAccountAsync(services, options.Require("account"), cancellationToken);
        var products = options.Optional("products")?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var minted = await services.GetRequiredService<ApiKeyService>().CreateAsync(
            account.Id, options.Optional("name") ?? "cli", options.Optional("role"), products, cancellationToken);
        var scope = minted.Record.ProductKeys is { } keys ? "products " + string.Join(", ", keys) : "every product";
        await output.WriteLineAsync(
            $"Created API key '{minted.Record.Name}' ({Rights.Name(minted.Record.Role)}, {scope}) for {account.OwnerEmail}. It is shown only now; store it safely:");
        await output.WriteLineAsync(minted.Key);
        return Ok;
    }

    private static async Task<int> AddPurchaseAsync(IServiceProvider services, Options options, TextWriter output, CancellationToken cancellationToken)
    {
        options.Allow("account", "spec", "quantity", "product", "order");
        var account = await RequireAccountAsync(services, options.Require("account"), cancellationToken);
        var quantityText = options.Require("quantity");
        if (!int.TryParse(quantityText, NumberStyles.None, CultureInfo.InvariantCulture, out var quantity))
        {
            throw Refusals.PurchaseQuantityInvalid.Error(("max", PurchaseService.MaxQuantity));
        }

        var orderId = options.Optional("order") ?? $"cli-{Guid.NewGuid():N}";
        var outcome = await services.GetRequiredService<PurchaseService>().RecordAsync(
            new PurchaseRequest(orderId, account.Id, options.Require("spec"), quantity, options.Optional("product")), cancellationToken);
        var where = outcome.ProductKey is null ? "the unallocated pool" : $"product {outcome.ProductKey}";
        await output.WriteLineAsync(outcome.Created
            ? $"Recorded order {outcome.OrderId}: {outcome.Quantity} {outcome.SpecCode} license(s) for {account.OwnerEmail} into {where}."
            : $"Order {outcome.OrderId} was recorded before; nothing added.");
        return Ok;
    }

    private static async Task<int> VerifyAsync(IServiceProvider services, TextWriter output, CancellationToken cancellationToken)
    {
        var breaches = await services.GetRequiredService<LedgerVerifier>().VerifyAsync(cancellationToken);
        foreach (var breach in breaches)
        {
            await output.WriteLineAsync(breach.ToString());
        }

        await output.WriteLineAsync(breaches.Count == 0 ? "Ledger verified: no breach." : $"Ledger verification found {breaches.Count} breach(es).");
        return breaches.Count == 0 ? Ok : Refused;
    }

    private static async Task<Account> RequireAccountAsync(IServiceProvider services, string email, CancellationToken cancellationToken) =>
        await services.GetRequiredService<AccountService>().FindByOwnerEmailAsync(email, cancellationToken)
            ?? throw Refusals.OwnerNotFound.Error(("email", email));

    private static Options ParseOptions(string[] args)
    {
        var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < args.Length; i++)
        {
            var name = args[i];
            if (!name.StartsWith("--", StringComparison.Ordinal) || name.Length == 2)
            {
                throw new UsageException($"Unexpected argument '{name}'.");
            }

            if (i + 1 >= args.Length || args[i + 1].StartsWith("--", StringComparison.Ordinal))
            {
                throw new UsageException($"Option {name} needs a value.");
            }

            if (!values.TryAdd(name[2..], args[++i]))
            {
                throw new UsageException($"Option {name} is given twice.");
            }
        }

        return new Options(values);
    }

    private sealed class Options(Dictionary<string, string> values)
    {
        public void Allow(params string[] names)
        {
            var unknown = values.Keys.FirstOrDefault(k => !names.Contains(k, StringComparer.OrdinalIgnoreCase));
            if (unknown is not null)
            {
                throw new UsageException($"Unknown option --{unknown}.");
            }
        }

        public string Require(string name) =>
            values.TryGetValue(name, out var value) ? value : throw new UsageException($"Option --{name} is required.");

        public string? Optional(string name) => values.GetValueOrDefault(name);

        public bool Has(string name) => values.ContainsKey(name);
    }

    private sealed class UsageException(string message) : Exception(message);
}
