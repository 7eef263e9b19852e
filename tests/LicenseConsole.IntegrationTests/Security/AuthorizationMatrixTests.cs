using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using LicenseConsole.Accounts;
using LicenseConsole.IntegrationTests.Infrastructure;
using LicenseConsole.IntegrationTests.Input;
using LicenseConsole.Web.Tenancy;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace LicenseConsole.IntegrationTests.Security;

/// <summary>
/// The role table, held against every endpoint and console action of the route table: each is asked by the
/// owner, an admin, an operator, a viewer without the recipients right, an operator limited to one product, a
/// removed sub-account's old cookie, and (the API) an admin, an operator and a viewer key. Each answer is allowed
/// or refused exactly as <see cref="Rights"/> says, a refused one changes nothing, and an endpoint without a rule
/// fails the first test.
/// </summary>
[Collection(PublishedAppCollection.Name)]
public sealed partial class AuthorizationMatrixTests(PublishedApp app)
{
    /// <summary>
    /// The static assets' fallback of a build that was not published (it serves wwwroot from the project); a published
    /// app has no such endpoint, and every static file is anonymous.
    /// </summary>
    private const string DevelopmentAssets = "{**path:file}";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public void RouteTable_EveryEndpoint_HasExactlyOneRule()
    {
        var faults = new List<string>();
        foreach (var endpoint in app.Factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.TrimStart('/') != DevelopmentAssets))
        {
            var anonymous = endpoint.Metadata.GetMetadata<IAllowAnonymous>() is not null;
            var policies = endpoint.Metadata.GetOrderedMetadata<IAuthorizeData>().Select(a => a.Policy).Where(p => p is not null).Distinct().ToList();
            var name = endpoint.DisplayName ?? endpoint.RoutePattern.RawText;
            if (!anonymous && policies.Count != 1)
            {
                faults.Add($"{name}: {(policies.Count == 0 ? "no rule" : "rules " + string.Join(", ", policies))}");
            }
            else if (policies.Count == 1 && RuleOf(policies[0]!) is null)
            {
                faults.Add($"{name}: unknown rule {policies[0]}");
            }
        }

        Assert.True(faults.Count == 0, "Endpoints without exactly one rule of the role table:\n" + string.Join("\n", faults));
    }

    [Fact]
    public async Task EveryEndpoint_EachRole_IsAllowedOrRefusedAsTheRoleTableSaysAndARefusalChangesNothing()
    {
        var endpoints = RouteTable.Read(app.Factory.Services)
            .Where(e => !e.Anonymous && e.Policy != ConsoleClaims.PlatformPolicy && e.Pattern != DevelopmentAssets)
            .ToList();
        var seed = await AccountSeed.CreateAsync(app, "roles");
        var callers = await CallersAsync(seed);

        var faults = new List<string>();
        var asked = 0;
        var refused = 0;
        foreach (var caller in callers)
        {
            // Signing out ends the caller's session: asked last.
            foreach (var endpoint in endpoints.Where(e => e.IsApi || !caller.IsKey).OrderBy(e => e.Pattern == "account/sign-out"))
            {
                var rule = RuleOf(endpoint.Policy!) ?? throw new InvalidOperationException($"{endpoint.Key} has no rule.");
                foreach (var (product, inScope) in ProductsToName(endpoint, caller, seed))
                {
                    var expected = Expect(caller, rule, inScope);
                    var before = expected == Outcome.Refused ? await FiguresAsync(seed.Id) : null;
                    using var request = Request(endpoint, caller, seed, product);
                    using var response = await caller.Client.SendAsync(request, Ct);
                    var body = await response.Content.ReadAsStringAsync(Ct);
                    asked++;
                    if (Fault(endpoint, expected, response, body) is { } fault)
                    {
                        faults.Add($"{endpoint.Key} by {caller.Name}{(inScope ? "" : " (product outside its scope)")}: expected {expected}, {fault}");
                    }

                    if (before is not null)
                    {
                        refused++;
                        if (before.Differences(await FiguresAsync(seed.Id)) is { Count: > 0 } changed)
                        {
                            faults.Add($"{endpoint.Key} by {caller.Name} was refused but changed: {string.Join("; ", changed)}");
                        }
                    }
                }
            }
        }

        TestContext.Current.TestOutputHelper?.WriteLine(
            $"Authorization matrix: {endpoints.Count} endpoints × {callers.Count} callers, {asked} requests, {refused} refused (each with the ledger's figures compared).");
        Assert.True(asked > 400, $"Only {asked} requests: the route table was not read as expected.");
        Assert.True(faults.Count == 0, string.Join("\n", faults));
    }

    [Fact]
    public async Task Me_EachCaller_SaysItsRoleProductsAndRights()
    {
        var seed = await AccountSeed.CreateAsync(app, "me");
        var callers = await CallersAsync(seed);

        foreach (var caller in callers.Where(c => !c.Removed))
        {
            using var response = await caller.Client.GetAsync("/api/v1/me", Ct);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var me = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct)).RootElement;
            var rights = caller.IsKey ? Rights.OfKey(caller.Role) : Rights.Of(caller.Role, caller.MaintainsRecipients);
            Assert.Equal(Rights.Name(caller.Role), me.GetProperty("role").GetString());
            Assert.Equal(rights.Select(Rights.Name).Order(StringComparer.Ordinal), me.GetProperty("rights").EnumerateArray().Select(r => r.GetString()!).Order(StringComparer.Ordinal));
            Assert.Equal(rights.Contains(Right.ManageRecipients), me.GetProperty("maintainsRecipients").GetBoolean());
            Assert.Equal(caller.IsKey ? JsonValueKind.String : JsonValueKind.Null, me.GetProperty("keyName").ValueKind);
            Assert.Equal(caller.IsKey ? JsonValueKind.Null : JsonValueKind.String, me.GetProperty("email").ValueKind);
            var products = me.GetProperty("productKeys");
            if (caller.Scoped)
            {
                Assert.Equal([seed.Product], products.EnumerateArray().Select(p => p.GetString()));
            }
            else
            {
                Assert.Equal(JsonValueKind.Null, products.ValueKind);
            }
        }
    }

    private enum Outcome
    {
        Allowed,
        Refused,
        NotFound,
        SignedOut,
    }

    /// <summary>One caller of the matrix: a signed-in browser (with its antiforgery token) or an API key.</summary>
    private sealed record Caller(string Name, HttpClient Client, string? Token, AccessRole Role, bool MaintainsRecipients, bool Scoped = false, bool Removed = false, bool IsKey = false);

    private static Outcome Expect(Caller caller, string rule, bool inScope)
    {
        if (caller.Removed)
        {
            return Outcome.SignedOut;
        }

        var allowed = rule == ConsoleClaims.UserPolicy
            ? !caller.IsKey
            : (caller.IsKey ? Rights.OfKey(caller.Role) : Rights.Of(caller.Role, caller.MaintainsRecipients)).Contains(Enum.Parse<Right>(rule["Right:".Length..]));
        return !allowed ? Outcome.Refused : inScope ? Outcome.Allowed : Outcome.NotFound;
    }

    private static string? Fault(AppEndpoint endpoint, Outcome expected, HttpResponseMessage response, string body)
    {
        var status = (int)response.StatusCode;
        var type = response.Content.Headers.ContentType?.MediaType;
        if (status >= 500)
        {
            return $"answered {status}: {CaseRunner.Shorten(body)}";
        }

        switch (expected)
        {
            case Outcome.SignedOut:
                return endpoint.IsApi
                    ? status == 401 ? null : $"answered {status}, not 401"
                    : status == 302 && response.Headers.Location?.OriginalString.Contains("/account/sign-in", StringComparison.Ordinal) == true
                        ? null
                        : $"answered {status} ({response.Headers.Location}), not a redirect to sign in";
            case Outcome.Refused:
                if (status != 403)
                {
                    return $"answered {status}, not 403: {CaseRunner.Shorten(body)}";
                }

                if (endpoint.IsApi)
                {
                    return type == "application/problem+json" && JsonDocument.Parse(body).RootElement.GetProperty("code").GetString() == "forbidden"
                        ? null
                        : $"403 as {type} without code forbidden: {CaseRunner.Shorten(body)}";
                }

                return type == "text/html" && body.Contains("does not allow this", StringComparison.Ordinal) ? null : "403 without the reason on the error page";
            case Outcome.NotFound:
                // A product outside the caller's scope is as absent as another account's: 404, or a list without it.
                return status == 404 || (status == 200 && !body.Contains("roles spare", StringComparison.Ordinal)) ? null : $"answered {status}, not 404";
            default:
                return status is 401 or 403 ? $"answered {status}: {CaseRunner.Shorten(body)}" : null;
        }
    }

    /// <summary>The product each request names: the caller's own, and for the limited operator the one outside its scope too.</summary>
    private static IEnumerable<(string Product, bool InScope)> ProductsToName(AppEndpoint endpoint, Caller caller, AccountSeed seed)
    {
        yield return (seed.Product, true);
        if (caller.Scoped && NamesAProduct(endpoint))
        {
            yield return (seed.EmptyProduct, false);
        }
    }

    private static bool NamesAProduct(AppEndpoint endpoint) =>
        endpoint.Inputs.Any(i => string.Equals(i.Name, "productKey", StringComparison.OrdinalIgnoreCase))
        && !(endpoint.Method == "POST" && endpoint.Pattern.EndsWith("products", StringComparison.Ordinal));

    private static string? RuleOf(string policy) =>
        policy == ConsoleClaims.UserPolicy || policy == ConsoleClaims.PlatformPolicy
        || (policy.StartsWith("Right:", StringComparison.Ordinal) && Enum.TryParse<Right>(policy["Right:".Length..], out _))
            ? policy
            : null;

    private async Task<List<Caller>> CallersAsync(AccountSeed seed)
    {
        async Task<Caller> UserAsync(string name, AccessRole role, bool recipients, string[]? products = null, bool removed = false)
        {
            var email = $"{name.Replace(' ', '-')}-{Guid.NewGuid():N}@example.com";
            var created = await app.Factory.WithScopeAsync(seed.Id, s => s.GetRequiredService<SubAccountService>()
                .CreateAsync(new SubAccountChange(email, TestAccounts.Password, Rights.Name(role), recipients, products ?? [])));
            var (client, token) = await app.SignedInAsync(email, TestAccounts.Password);
            if (removed)
            {
                await app.Factory.WithScopeAsync(seed.Id, async s =>
                {
                    await s.GetRequiredService<SubAccountService>().RemoveAsync(created.Id);
                    return true;
                });
            }

            return new Caller(name, client, token, role, recipients, Scoped: products is not null, Removed: removed);
        }

        async Task<Caller> KeyAsync(AccessRole role)
        {
            var minted = await app.Factory.WithScopeAsync(seed.Id, s => s.GetRequiredService<ApiKeyService>().CreateAsync($"matrix {Rights.Name(role)}", Rights.Name(role)));
            return new Caller($"{Rights.Name(role)} key", app.CreateClient(minted.Key), null, role, role != AccessRole.Viewer, IsKey: true);
        }

        var (ownerClient, ownerToken) = await app.SignedInAsync(seed.Email, TestAccounts.Password);
        return
        [
            await UserAsync("removed sub-account", AccessRole.Admin, true, removed: true),
            await UserAsync("viewer", AccessRole.Viewer, false),
            await UserAsync("limited operator", AccessRole.Operator, true, [seed.Product]),
            await UserAsync("operator", AccessRole.Operator, true),
            await KeyAsync(AccessRole.Viewer),
            await KeyAsync(AccessRole.Operator),
            new Caller("admin key", app.CreateClient(seed.Key), null, AccessRole.Admin, true, IsKey: true),
            await UserAsync("admin", AccessRole.Admin, true),

            // The owner last: its changes (a sub-account removed, a key revoked) come after every refusal was checked.
            new Caller("owner", ownerClient, ownerToken, AccessRole.Owner, true),
        ];
    }

    /// <summary>A request the caller's own account could send: its ids, and ordinary values for the rest.</summary>
    private static HttpRequestMessage Request(AppEndpoint endpoint, Caller caller, AccountSeed seed, string product)
    {
        string? ValueOf(EndpointInput input)
        {
            var name = input.Name[(input.Name.LastIndexOf('.') + 1)..].ToLowerInvariant();
            var segments = endpoint.Pattern.Split('/');
            var at = Array.FindIndex(segments, s => s.StartsWith("{" + input.Name, StringComparison.Ordinal));
            var resource = at > 0 ? segments[at - 1] : "";
            return (name, resource) switch
            {
                ("productkey", _) when input.Source != InputSource.Form || !input.Name.StartsWith("NewProduct", StringComparison.Ordinal) => product,
                ("devicekey", _) => seed.Device,
                ("id", "alert-recipients") => seed.Recipient.ToString(CultureInfo.InvariantCulture),
                ("id", "sub-accounts") => seed.SubAccount.ToString(),
                ("id", "api-keys") => seed.ApiKey.ToString(CultureInfo.InvariantCulture),
                ("name", _) => $"matrix {Guid.NewGuid():N}"[..20],
                ("email", _) => $"matrix-{Guid.NewGuid():N}@example.com",
                ("password" or "newpassword", _) => "Matrix-Password-2026",
                ("currentpassword", _) => "Not-The-Password-2026",
                ("role", _) => "viewer",
                ("maintainsrecipients" or "enabled" or "confirmed", _) => "true",
                ("listed", _) => "false",
                ("confirm", _) => "not-the-key",
                ("speccode", _) => AccountSeed.Spec,
                ("quantity" or "page" or "pagesize", _) => "1",
                ("requestid", _) => "matrix-" + Guid.NewGuid().ToString("N"),
                ("returnurl", _) => "/",
                _ => null,
            };
        }

        var path = "/" + RouteParameter().Replace(endpoint.Pattern, m =>
            Uri.EscapeDataString(ValueOf(endpoint.Inputs.First(i => i.Source == InputSource.Route && i.Name == m.Groups["name"].Value)) ?? "x"));
        var query = endpoint.Inputs.Where(i => i.Source == InputSource.Query)
            .Select(i => (i.Name, Value: ValueOf(i)))
            .Where(q => q.Value is not null)
            .Select(q => $"{Uri.EscapeDataString(q.Name)}={Uri.EscapeDataString(q.Value!)}")
            .ToList();
        var request = new HttpRequestMessage(new HttpMethod(endpoint.Method), path + (query.Count > 0 ? "?" + string.Join("&", query) : ""));

        var body = endpoint.Inputs.Where(i => i.Source == InputSource.Body).Select(i => (i.Name, Value: ValueOf(i))).Where(m => m.Value is not null).ToList();
        if (endpoint.Inputs.Any(i => i.Source == InputSource.Body))
        {
            var members = body.Select(m => $"\"{m.Name}\":{(m.Value is "true" or "false" || int.TryParse(m.Value, out _) ? m.Value : JsonSerializer.Serialize(m.Value))}");
            request.Content = new StringContent("{" + string.Join(",", members) + "}", Encoding.UTF8, "application/json");
        }

        if (!endpoint.IsApi && endpoint.Method != "GET")
        {
            var fields = endpoint.Inputs.Where(i => i.Source == InputSource.Form).Select(i => (i.Name, Value: ValueOf(i)))
                .Where(f => f.Value is not null)
                .Select(f => new KeyValuePair<string, string>(f.Name, f.Value!))
                .ToList();
            fields.Add(new("__RequestVerificationToken", caller.Token ?? ""));
            request.Content = new FormUrlEncodedContent(fields);
        }
        else if (caller.Token is not null && endpoint.Method != "GET")
        {
            request.Headers.Add("RequestVerificationToken", caller.Token);
        }

        return request;
    }

    private Task<LedgerFigures> FiguresAsync(Guid account) => LedgerFigures.ReadAsync(app.Factory, app.Database, [account]);

    [GeneratedRegex(@"\{\*{0,2}(?<name>[A-Za-z]+)(:[^}]*)?\}")]
    private static partial Regex RouteParameter();
}
