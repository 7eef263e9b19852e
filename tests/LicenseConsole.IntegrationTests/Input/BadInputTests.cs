using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.RegularExpressions;
using LicenseConsole.IntegrationTests.Infrastructure;

namespace LicenseConsole.IntegrationTests.Input;

/// <summary>
/// Every endpoint of the published app, over real HTTP, sent malformed, boundary and hostile input generated
/// from its route table: no answer is a 5xx, every refusal is a clear 4xx (problem+json with a stable code and
/// a detail for the API; the form again with the message beside the field, or a 4xx page, for the console),
/// what is accepted comes back exactly as sent, and the ledger's figures change only by what was accepted.
/// Every refusal an API operation answers is one its OpenAPI operation lists.
/// </summary>
[Collection(PublishedAppCollection.Name)]
public sealed partial class BadInputTests(PublishedApp app)
{
    private const int Parallelism = 4;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static ITestOutputHelper? Output => TestContext.Current.TestOutputHelper;

    [Fact]
    public async Task RouteTable_EveryEndpointThatTakesInput_HasACaseGenerator()
    {
        var endpoints = RouteTable.Read(app.Factory.Services);
        var (a, _) = await app.AccountsAsync();
        var catalog = new InputCatalog(app, a);

        Assert.Empty(catalog.Uncovered(endpoints));
        Assert.Empty(catalog.Stale(endpoints));
        Assert.Empty(InputCatalog.UnknownInputs(endpoints));
    }

    [Fact]
    public async Task EveryEndpoint_BadInput_IsRefusedClearlyAndChangesNothingButWhatWasAccepted()
    {
        var endpoints = RouteTable.Read(app.Factory.Services);
        var (a, b) = await app.AccountsAsync();
        var cases = new InputCatalog(app, a).Cases(endpoints);
        using var anonymous = app.CreateClient();
        using var accountKey = app.CreateClient(a.Key);
        using var platformKey = app.CreateClient(PublishedApp.PlatformKey);
        var (cookie, cookieToken) = await app.SignedInAsync(a.Email, TestAccounts.Password);
        using var signedIn = cookie;
        var runner = new CaseRunner(app,
            new Dictionary<Caller, HttpClient> { [Caller.Anonymous] = anonymous, [Caller.AccountKey] = accountKey, [Caller.PlatformKey] = platformKey, [Caller.Cookie] = signedIn },
            new Dictionary<Caller, string> { [Caller.Anonymous] = await AnonymousTokenAsync(anonymous), [Caller.Cookie] = cookieToken });
        var accounts = new[] { a.Id, b.Id };
        var before = await LedgerFigures.ReadAsync(app.Factory, app.Database, accounts);
        Assert.Empty(await LedgerFigures.VerifyAsync(app.Factory));

        var change = new LedgerFigures();
        var answers = new ConcurrentBag<CaseAnswer>();
        var faults = new ConcurrentBag<string>();
        var clock = Stopwatch.StartNew();
        await Parallel.ForEachAsync(cases, new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = Ct }, async (c, token) =>
        {
            CaseAnswer answer;
            try
            {
                answer = await runner.SendAsync(c, token);
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
            {
                faults.Add($"{c}: no answer ({e.GetType().Name}: {e.Message})");
                return;
            }

            answers.Add(answer);
            foreach (var reason in CaseRunner.Judge(answer))
            {
                faults.Add($"{c}: {reason}");
            }

            if (answer.Accepted && c.MayAccept && c.Check is not null)
            {
                try
                {
                    await c.Check(answer, change);
                }
                catch (Exception e) when (e is Xunit.Sdk.XunitException or HttpRequestException or InvalidOperationException)
                {
                    faults.Add($"{c}: accepted, but {e.Message}");
                }
            }
        });
        clock.Stop();

        var documented = await DocumentedRefusalsAsync(anonymous);
        var apiRefusals = answers.Where(a => a.Status >= 400 && documented.ContainsKey(OperationOf(a))).ToList();
        foreach (var answer in apiRefusals)
        {
            if (Undocumented(answer, documented[OperationOf(answer)]) is { } refusal)
            {
                faults.Add($"{answer.Case}: answered {refusal}, which its OpenAPI operation does not list");
            }
        }

        var after = await LedgerFigures.ReadAsync(app.Factory, app.Database, accounts);
        var breaches = await LedgerFigures.VerifyAsync(app.Factory);
        Report(cases, answers, clock.Elapsed, endpoints);

        if (!faults.IsEmpty)
        {
            Output?.WriteLine(app.Process.RecentOutput());
        }

        Assert.True(cases.Count >= 1000, $"Only {cases.Count} cases were generated.");
        Assert.True(apiRefusals.Count >= 500, $"Only {apiRefusals.Count} API refusals were held against the OpenAPI document.");
        Assert.True(faults.IsEmpty, $"{faults.Count} case(s) answered wrongly:\n" + string.Join("\n", faults.Order(StringComparer.Ordinal).Take(150)));
        Assert.Empty(breaches);
        Assert.Empty(before.Plus(change).Differences(after));
    }

    /// <summary>The refusals (status and code) each API operation lists in the app's OpenAPI document, by "METHOD /path".</summary>
    private static async Task<Dictionary<string, HashSet<string>>> DocumentedRefusalsAsync(HttpClient client)
    {
        using var document = System.Text.Json.JsonDocument.Parse(await client.GetStringAsync("/openapi/v1.json", Ct));
        var documented = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (var path in document.RootElement.GetProperty("paths").EnumerateObject())
        {
            foreach (var operation in path.Value.EnumerateObject())
            {
                documented[$"{operation.Name.ToUpperInvariant()} {path.Name}"] = operation.Value.GetProperty("responses").EnumerateObject()
                    .Where(r => r.Value.TryGetProperty("content", out var content) && content.TryGetProperty("application/problem+json", out _))
                    .SelectMany(r => r.Value.GetProperty("content").GetProperty("application/problem+json").GetProperty("schema")
                        .GetProperty("properties").GetProperty("code").GetProperty("enum").EnumerateArray().Select(code => $"{r.Name} {code.GetString()}"))
                    .ToHashSet(StringComparer.Ordinal);
            }
        }

        Assert.True(documented.Count >= 20, $"The OpenAPI document lists only {documented.Count} operations.");
        return documented;
    }

    /// <summary>
    /// The refusal an API operation answered and does not document, or null. A 404 or 405 of the router (no
    /// operation took the request) and the server's own limits (414, 431: no problem body) belong to no operation.
    /// </summary>
    private static string? Undocumented(CaseAnswer answer, HashSet<string> listed)
    {
        if (answer.ContentType != "application/problem+json")
        {
            return null;
        }

        var code = CodeOf(answer);
        return code is "not_found" or "method_not_allowed" || listed.Contains($"{answer.Status} {code}") ? null : $"{answer.Status} {code}";
    }

    /// <summary>"POST /api/v1/alert-recipients/{id:long}" is the OpenAPI operation "POST /api/v1/alert-recipients/{id}".</summary>
    private static string OperationOf(CaseAnswer answer) => RouteConstraint().Replace(answer.Case.Endpoint, "{$1}");

    private static async Task<string> AnonymousTokenAsync(HttpClient anonymous)
    {
        var html = await (await anonymous.GetAsync("/account/sign-in", Ct)).Content.ReadAsStringAsync(Ct);
        var token = TokenPattern().Match(html);
        Assert.True(token.Success, "No antiforgery token on the sign-in page");
        return token.Groups[1].Value;
    }

    private static void Report(IReadOnlyList<InputCase> cases, IEnumerable<CaseAnswer> answers, TimeSpan elapsed, IReadOnlyList<AppEndpoint> endpoints)
    {
        var all = answers.ToList();
        Output?.WriteLine($"Bad input: {cases.Count} cases, {all.Count} answered, in {elapsed.TotalSeconds:F1} s");
        var asked = cases.Select(c => c.Endpoint).ToHashSet();
        Output?.WriteLine($"Endpoints: {endpoints.Count(e => asked.Contains(e.Key))} of {endpoints.Count} in the route table were sent cases; " +
            $"all {endpoints.Count(e => e.TakesInput)} that take input have a generator (the rest: static files and pages without input)");
        Output?.WriteLine("Outcomes by status: " + string.Join(", ", all.GroupBy(a => a.Status).OrderBy(g => g.Key).Select(g => $"{g.Key}: {g.Count()}")));
        Output?.WriteLine("API refusals by code: " + string.Join(", ", all.Where(a => a.Status >= 400 && a.ContentType == "application/problem+json")
            .GroupBy(a => CodeOf(a)).OrderByDescending(g => g.Count()).Select(g => $"{g.Key}: {g.Count()}")));
        var accepted = all.Where(a => a.Accepted).GroupBy(a => a.Case.Endpoint).OrderBy(g => g.Key, StringComparer.Ordinal);
        Output?.WriteLine("Accepted (valid input, however odd): " + all.Count(a => a.Accepted));
        foreach (var group in accepted)
        {
            Output?.WriteLine($"  {group.Key}: {group.Count()} ({string.Join("; ", group.Select(a => a.Case.Name).Order(StringComparer.Ordinal).Take(12))})");
        }
    }

    private static string CodeOf(CaseAnswer answer)
    {
        try
        {
            return answer.Json().GetProperty("code").GetString() ?? "?";
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return "?";
        }
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();

    [GeneratedRegex(@"\{(\w+)(:[^}]*)?\}")]
    private static partial Regex RouteConstraint();
}
