using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using LicenseConsole.Accounts;
using LicenseConsole.IntegrationTests.Infrastructure;
using LicenseConsole.IntegrationTests.Input;
using Microsoft.EntityFrameworkCore;

namespace LicenseConsole.IntegrationTests.Tenancy;

/// <summary>
/// Every endpoint and page that takes an id or a key, generated from the route table, asked by account A (its
/// API key, and its owner's sign-in cookie) for account B's: the answer is 404 (problem+json "…_not_found" for
/// the API, the not-found page for the console), and nothing of B's changes. Platform endpoints name any
/// account by design and anonymous ones hold no account's data: they are listed as excluded, by their policy.
/// </summary>
[Collection(PublishedAppCollection.Name)]
public sealed partial class TenancyMatrixTests(PublishedApp app)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static ITestOutputHelper? Output => TestContext.Current.TestOutputHelper;

    [Fact]
    public async Task EveryEndpointTakingAnIdOrKey_AnotherAccountsValue_Answers404AndChangesNothingOfTheirs()
    {
        var endpoints = RouteTable.Read(app.Factory.Services);
        var (a, b) = await app.AccountsAsync();
        var (cookie, token) = await app.SignedInAsync(a.Email, TestAccounts.Password);
        using var signedIn = cookie;
        using var keyClient = app.CreateClient(a.Key);

        var unknown = new List<string>();
        var excluded = new List<string>();
        var matrix = new List<(AppEndpoint Endpoint, string Credential, HttpRequestMessage Request)>();
        foreach (var endpoint in endpoints)
        {
            var ids = endpoint.Inputs.Where(i => IsId(endpoint, i)).ToList();
            if (ids.Count == 0)
            {
                continue;
            }

            if (ExclusionOf(endpoint) is { } reason)
            {
                excluded.Add($"{endpoint.Key}: {reason}");
                continue;
            }

            var values = new Dictionary<string, string>();
            foreach (var id in ids)
            {
                if (TheirValue(endpoint, id, b) is { } value)
                {
                    values[id.Name] = value;
                }
                else
                {
                    unknown.Add($"{endpoint.Key}: {id.Source} '{id.Name}'");
                }
            }

            if (values.Count < ids.Count)
            {
                continue;
            }

            // A key may not do what its role may not (sub-accounts and keys are the owner's): the authorization matrix
            // holds those; here a key asks only what it may ask of its own account.
            if (KeyMay(endpoint))
            {
                matrix.Add((endpoint, endpoint.IsApi ? "account key" : "account key (console)", Request(endpoint, values, b, token: null)));
            }

            if (endpoint.IsApi || endpoint.Method == "GET" || endpoint.Method == "POST")
            {
                matrix.Add((endpoint, "sign-in cookie", Request(endpoint, values, b, token)));
            }
        }

        // A key belongs to the API; a console form needs the antiforgery token only a signed-in page gives.
        matrix.RemoveAll(m => m.Credential == "account key (console)" && m.Endpoint.Method != "GET");

        Assert.Empty(unknown);
        var faults = new List<string>();
        var before = await TheirsAsync(b.Id);
        foreach (var (endpoint, credential, request) in matrix)
        {
            using (request)
            {
                var client = credential.StartsWith("account key", StringComparison.Ordinal) ? keyClient : signedIn;
                using var response = await client.SendAsync(request, Ct);
                var body = await response.Content.ReadAsStringAsync(Ct);
                if (Fault(endpoint, response, body) is { } fault)
                {
                    faults.Add($"{endpoint.Key} with {credential} ({request.RequestUri}): {fault}");
                }

                var after = await TheirsAsync(b.Id);
                if (before.Differences(after) is { Count: > 0 } changed)
                {
                    faults.Add($"{endpoint.Key} with {credential} changed B's data: {string.Join("; ", changed)}");
                    before = after;
                }
            }
        }

        Output?.WriteLine($"Tenancy matrix: {matrix.Select(m => m.Endpoint.Key).Distinct().Count()} endpoints taking an id or key, {matrix.Count} requests (endpoint × credential)");
        foreach (var group in matrix.GroupBy(m => m.Credential))
        {
            Output?.WriteLine($"  {group.Key}: {group.Count()}");
        }

        Output?.WriteLine("Route values that name no account's data: " + string.Join(", ", NotAccountData.Select(n => $"{n.Key} ({n.Value})")));
        Output?.WriteLine($"Excluded ({excluded.Count}):");
        foreach (var line in excluded)
        {
            Output?.WriteLine("  " + line);
        }

        Assert.True(matrix.Count >= 40, $"Only {matrix.Count} requests in the matrix: the route table was not read as expected.");
        Assert.True(faults.Count == 0, string.Join("\n", faults));
    }

    private static bool KeyMay(AppEndpoint endpoint) =>
        endpoint.Policy?.StartsWith("Right:", StringComparison.Ordinal) != true
        || Rights.OfKey(AccessRole.Admin).Contains(Enum.Parse<Right>(endpoint.Policy["Right:".Length..]));

    /// <summary>Route values that name nothing of an account, each with what it names instead.</summary>
    private static readonly Dictionary<string, string> NotAccountData = new(StringComparer.OrdinalIgnoreCase)
    {
        ["path"] = "a static file of the site",
        ["statusCode"] = "an HTTP status (the error page)",
        ["documentName"] = "the OpenAPI document",
    };

    /// <summary>
    /// An input that names something of an account: a route value, or a product key in a query, a body or a
    /// form, except the key a product is created with (a new key: keys are unique across accounts because the
    /// gateway finds a product by its key alone, so another account's key is refused as taken, 409).
    /// </summary>
    private static bool IsId(AppEndpoint endpoint, EndpointInput input) => input.Source switch
    {
        InputSource.Route => !NotAccountData.ContainsKey(input.Name),
        InputSource.Query or InputSource.Body or InputSource.Form => string.Equals(input.Name, "productKey", StringComparison.OrdinalIgnoreCase)
            && !(endpoint.Method == "POST" && endpoint.Pattern.EndsWith("products", StringComparison.Ordinal)),
        _ => false,
    };

    /// <summary>Why an endpoint is not in the matrix, read from its authorization: null when it is.</summary>
    private static string? ExclusionOf(AppEndpoint endpoint) => (endpoint.Anonymous, endpoint.Policy) switch
    {
        (true, _) => "anonymous (holds no account's data)",
        (_, "Platform") => "platform scope (policy Platform): names any account by design",
        _ => null,
    };

    /// <summary>Account B's value for an id input, from the name it has and the resource its route names; null: the matrix does not know it.</summary>
    private static string? TheirValue(AppEndpoint endpoint, EndpointInput input, AccountSeed b)
    {
        var segments = endpoint.Pattern.Split('/');
        var at = Array.FindIndex(segments, s => s.StartsWith("{" + input.Name, StringComparison.Ordinal));
        var resource = at > 0 ? segments[at - 1] : "";
        return (input.Name.ToLowerInvariant(), resource) switch
        {
            ("productkey", _) => b.Product,
            ("devicekey", _) => b.Device,
            ("id", "alert-recipients") => b.Recipient.ToString(CultureInfo.InvariantCulture),
            ("id", "sub-accounts") => b.SubAccount.ToString(),
            ("id", "api-keys") => b.ApiKey.ToString(CultureInfo.InvariantCulture),
            _ => null,
        };
    }

    /// <summary>A request that would succeed for B: B's ids, and for every other input a value B could send.</summary>
    private static HttpRequestMessage Request(AppEndpoint endpoint, Dictionary<string, string> ids, AccountSeed b, string? token)
    {
        var path = "/" + RouteParameter().Replace(endpoint.Pattern, m => Uri.EscapeDataString(ids[m.Groups["name"].Value]));
        var query = endpoint.Inputs.Where(i => i.Source == InputSource.Query)
            .Select(i => (i.Name, Value: ids.GetValueOrDefault(i.Name) ?? Ordinary(i.Name, b)))
            .Where(q => q.Value is not null)
            .Select(q => $"{Uri.EscapeDataString(q.Name)}={Uri.EscapeDataString(q.Value!)}");
        var request = new HttpRequestMessage(new HttpMethod(endpoint.Method), path + (query.Any() ? "?" + string.Join("&", query) : ""));

        var body = endpoint.Inputs.Where(i => i.Source == InputSource.Body).ToList();
        if (body.Count > 0)
        {
            var members = body.Select(i => (i.Name, Value: ids.GetValueOrDefault(i.Name) ?? Ordinary(i.Name, b)))
                .Where(m => m.Value is not null)
                .Select(m => $"\"{m.Name}\":{(m.Value is "true" or "false" || int.TryParse(m.Value, out _) ? m.Value : JsonSerializer.Serialize(m.Value))}");
            request.Content = new StringContent("{" + string.Join(",", members) + "}", Encoding.UTF8, "application/json");
        }

        var form = endpoint.Inputs.Where(i => i.Source == InputSource.Form).ToList();
        if (form.Count > 0 || (!endpoint.IsApi && endpoint.Method != "GET"))
        {
            var fields = form.Select(i => (i.Name, Value: ids.GetValueOrDefault(i.Name) ?? Ordinary(i.Name, b)))
                .Where(f => f.Value is not null)
                .Select(f => new KeyValuePair<string, string>(f.Name, f.Value!))
                .ToList();
            if (token is not null)
            {
                fields.Add(new("__RequestVerificationToken", token));
            }

            request.Content = new FormUrlEncodedContent(fields);
        }
        else if (token is not null && endpoint.Method != "GET")
        {
            request.Headers.Add("RequestVerificationToken", token);
        }

        return request;
    }

    /// <summary>A value that B itself could send for an input that is not an id: the request fails only for being A's.</summary>
    private static string? Ordinary(string name, AccountSeed b) => name.ToLowerInvariant() switch
    {
        "confirm" => b.Product,
        "enabled" or "confirmed" => "true",
        "listed" => "true",
        "devicekey" => b.Device,
        "speccode" => AccountSeed.Spec,
        "quantity" => "1",
        "role" => "viewer",
        "password" => "Tenancy-Password-2026",
        "maintainsrecipients" => "true",
        "requestid" => "tenancy-" + Guid.NewGuid().ToString("N"),
        "page" or "pagesize" => "1",
        _ => null,
    };

    private static string? Fault(AppEndpoint endpoint, HttpResponseMessage response, string body)
    {
        if (response.StatusCode != HttpStatusCode.NotFound)
        {
            return $"answered {(int)response.StatusCode}, not 404: {CaseRunner.Shorten(body)}";
        }

        var type = response.Content.Headers.ContentType?.MediaType;
        if (endpoint.IsApi)
        {
            if (type != "application/problem+json")
            {
                return $"404 as {type}, not problem+json";
            }

            var code = JsonDocument.Parse(body).RootElement.GetProperty("code").GetString();
            return code?.EndsWith("_not_found", StringComparison.Ordinal) == true ? null : $"404 with code '{code}', not '…_not_found'";
        }

        return type == "text/html" ? null : $"404 as {type}, not the not-found page";
    }

    /// <summary>Everything of B's a request could change: the ledger's figures, switches, recipients, keys, sub-accounts, and the audit log.</summary>
    private async Task<LedgerFigures> TheirsAsync(Guid account)
    {
        var figures = await LedgerFigures.ReadAsync(app.Factory, app.Database, [account]);
        await using var db = app.Database.CreatePlatformContext();
        figures.Add("audit entries", await db.AuditEntries.LongCountAsync(e => e.AccountId == account, Ct));
        return figures;
    }

    [GeneratedRegex(@"\{\*{0,2}(?<name>[A-Za-z]+)(:[^}]*)?\}")]
    private static partial Regex RouteParameter();
}
