using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using LicenseConsole.Accounts;
using LicenseConsole.Alerts;
using LicenseConsole.IntegrationTests.Api;
using Microsoft.Extensions.DependencyInjection;

namespace LicenseConsole.IntegrationTests.Input;

/// <summary>
/// The bad-input cases of every endpoint, generated from the route table: each input an endpoint reads (route
/// value, query parameter, JSON member, form field, header) gets the malformed, boundary and hostile values of
/// its kind, and each request as a whole gets the broken bodies, wrong content types, missing credentials and
/// antiforgery tokens, and wrong methods. What an endpoint needs besides (who calls it, a valid request to vary,
/// what an accepted request must show) is its <see cref="Shape"/>; an endpoint that reads input and has none,
/// or an input of a kind nobody described, fails the coverage test.
/// </summary>
public sealed partial class InputCatalog
{
    private static readonly string[] Methods = ["GET", "POST", "PUT", "DELETE", "PATCH"];
    private readonly PublishedApp _app;
    private readonly AccountSeed _a;
    private readonly Dictionary<string, Shape> _shapes;
    private int _serial;

    public InputCatalog(PublishedApp app, AccountSeed a)
    {
        _app = app;
        _a = a;
        _shapes = Shapes();
    }

    /// <summary>The endpoints that read input but have no case generator.</summary>
    public IReadOnlyList<string> Uncovered(IEnumerable<AppEndpoint> endpoints) =>
        [.. endpoints.Where(e => e.TakesInput && !_shapes.ContainsKey(e.Key)).Select(e => e.Key)];

    /// <summary>The generators of endpoints the app no longer has.</summary>
    public IReadOnlyList<string> Stale(IEnumerable<AppEndpoint> endpoints) =>
        [.. _shapes.Keys.Except(endpoints.Select(e => e.Key))];

    /// <summary>Inputs of a kind no value catalog describes.</summary>
    public static IReadOnlyList<string> UnknownInputs(IEnumerable<AppEndpoint> endpoints) =>
        [.. endpoints.SelectMany(e => e.Inputs.Where(i => KindOf(e, i) is null).Select(i => $"{e.Key}: {i.Source} '{i.Name}'"))];

    public IReadOnlyList<InputCase> Cases(IReadOnlyList<AppEndpoint> endpoints)
    {
        var cases = new List<InputCase>();
        foreach (var endpoint in endpoints.Where(e => _shapes.ContainsKey(e.Key)))
        {
            cases.AddRange(EndpointCases(endpoint, _shapes[endpoint.Key]));
        }

        cases.AddRange(WrongMethods(endpoints));
        cases.AddRange(Credentials(endpoints));
        cases.AddRange(Transport());
        return cases;
    }

    /// <summary>The kind of value an input takes, and its longest valid length.</summary>
    public static (InputKind Kind, int Max)? KindOf(AppEndpoint endpoint, EndpointInput input)
    {
        var nameMax = endpoint.Pattern.Contains("recipients", StringComparison.Ordinal) || endpoint.Pattern.Contains("api-keys", StringComparison.Ordinal) ? 100 : 200;
        InputKind? kind = (input.Source, input.Name.ToLowerInvariant()) switch
        {
            (InputSource.Route, "id") when input.Constraint?.Contains("guid", StringComparison.Ordinal) == true => InputKind.Guid,
            (InputSource.Route, "id" or "statuscode") => InputKind.RouteNumber,
            (InputSource.Route, "accountid") => InputKind.Guid,
            (InputSource.Route, "productkey" or "devicekey" or "documentname" or "path") => InputKind.RouteText,
            (InputSource.Header, "idempotency-key") => InputKind.RequestId,
            (InputSource.Body, "productkey") when endpoint.Key is "POST /api/v1/products" or "POST /api/v1/purchases" => InputKind.OptionalKey,
            (InputSource.Form, "newproduct.productkey") => InputKind.OptionalKey,
            (InputSource.Body or InputSource.Form, "name" or "newproduct.name" or "form.name") => InputKind.Name,
            (InputSource.Body or InputSource.Form, "productkey" or "devicekey") => InputKind.Key,
            (InputSource.Query, "productkey") => InputKind.Key,
            (InputSource.Body or InputSource.Form, "email" or "form.email") => InputKind.Email,
            (InputSource.Body or InputSource.Form, "password" or "form.password" or "currentpassword" or "newpassword") => InputKind.Password,
            (InputSource.Body or InputSource.Form, "productkeys" or "form.productkeys") => InputKind.ProductKeyList,
            (InputSource.Body or InputSource.Form, "role" or "form.role") => InputKind.Choice,
            (InputSource.Form, "productscope" or "form.productscope") => InputKind.Choice,
            (InputSource.Body, "datacenter") => InputKind.DataCenter,
            (InputSource.Body, "connections") => InputKind.ConnectionList,
            (InputSource.Body, "orderid") => InputKind.OrderId,
            (InputSource.Body, "accountid") => InputKind.Guid,
            (_, "speccode") => InputKind.Spec,
            (_, "quantity" or "page" or "pagesize") => InputKind.Integer,
            (InputSource.Form, "maintainsrecipients" or "form.maintainsrecipients") => InputKind.Checkbox,
            (_, "enabled" or "listed" or "allowed" or "confirmed" or "rememberme" or "maintainsrecipients") => InputKind.Boolean,
            (_, "requestid") => InputKind.RequestId,
            (_, "returnurl") => InputKind.ReturnUrl,
            (_, "status" or "culture") => InputKind.Choice,
            (_, "confirm") => InputKind.RouteText,
            (InputSource.Query, "search" or "devicekey" or "productname" or "after" or "before" or "action" or "actor" or "subject") => InputKind.Search,
            (InputSource.Query, "activatedfrom" or "activatedto" or "expiresfrom" or "expiresto" or "from" or "to") => InputKind.Date,
            _ => null,
        };
        return kind is null ? null : (kind.Value, nameMax);
    }

    private Dictionary<string, Shape> Shapes()
    {
        var a = _a;
        var shapes = new Dictionary<string, Shape>
        {
            ["POST /api/v1/accounts"] = new(Caller.PlatformKey, Base: Json(("email", "\"input-{n}@example.com\""), ("password", "\"Input-Password-2026\""), ("dataCenter", "\"cn-east\"")),
                AcceptValid: true, Check: AccountCreatedAsync),
            ["POST /api/v1/accounts/{accountId:guid}/api-keys"] = new(Caller.PlatformKey, Route: new() { ["accountId"] = a.Id.ToString() },
                Base: Json(("name", "\"input key {n}\"")), AcceptValid: true, Check: ApiKeyMintedAsync),
            ["POST /api/v1/api-keys"] = new(Caller.Cookie, Base: Json(("name", "\"owner key {n}\"")), AcceptValid: true, Check: ApiKeyMintedAsync),
            ["DELETE /api/v1/api-keys/{id:long}"] = new(Caller.Cookie, Route: new() { ["id"] = "999999999" }),
            // The owner's own address is taken: every case is refused, by the value it varies or by the address.
            ["POST /api/v1/sub-accounts"] = new(Caller.Cookie, Base: Json(("email", $"\"{a.Email}\""), ("password", "\"Api-Password-2026\""))),
            ["PUT /api/v1/sub-accounts/{id:guid}"] = new(Caller.Cookie, Route: new() { ["id"] = a.SubAccount.ToString() }, Base: Json(("email", $"\"{a.Email}\"")),
                Optional: ["email"], AcceptValid: true, Check: SubAccountSavedAsync),
            ["DELETE /api/v1/sub-accounts/{id:guid}"] = new(Caller.Cookie, Route: new() { ["id"] = Guid.Empty.ToString() }),
            ["POST /account/password"] = new(Caller.Cookie, Base: new() { ["CurrentPassword"] = "Not-The-Password-2026", ["NewPassword"] = "New-Password-2026" }, FieldMessage: true),
            // No role is "nobody": every case is refused, and the sub-account stays as it is for the others.
            ["POST /settings/sub-accounts/{id:guid}/access"] = new(Caller.Cookie, Route: new() { ["id"] = a.SubAccount.ToString() },
                Base: new() { ["Role"] = "nobody", ["MaintainsRecipients"] = "true" }),
            ["POST /settings/sub-accounts/{id:guid}/password"] = new(Caller.Cookie, Route: new() { ["id"] = a.SubAccount.ToString() },
                Base: new() { ["Password"] = "Reset-Password-2026" }, AcceptValid: true, Check: LocalRedirectAsync),
            ["POST /api/v1/purchases"] = new(Caller.PlatformKey,
                Base: Json(("orderId", $"\"{a.Order}\""), ("accountId", $"\"{a.Id}\""), ("specCode", "\"STD-1Y\""), ("quantity", "20")),
                AcceptValid: true, Check: PurchaseRecordedAsync),
            ["POST /api/v1/devices/connect"] = new(Caller.PlatformKey, Base: Json(("productKey", $"\"{a.Product}\""), ("deviceKey", $"\"{a.Device}\""), ("dataCenter", "\"cn-east\"")),
                AcceptValid: true, Check: ReconnectedAsync),
            ["POST /api/v1/devices/connect-batch"] = new(Caller.PlatformKey,
                Base: Json(("connections", $"[{{\"productKey\":\"{a.Product}\",\"deviceKey\":\"{a.Device}\",\"dataCenter\":\"cn-east\"}}]")),
                AcceptValid: true, Check: BatchAnsweredEntryByEntryAsync),
            ["DELETE /api/v1/products/{productKey}/devices/{deviceKey}"] = new(Caller.PlatformKey, Route: new() { ["productKey"] = a.Product, ["deviceKey"] = a.Device }),
            ["POST /api/v1/products"] = new(Caller.AccountKey, Base: Json(("name", "\"Input lamp {n}\"")), AcceptValid: true, Check: ProductCreatedAsync),
            ["GET /api/v1/products"] = new(Caller.AccountKey, Reads: true),
            ["GET /api/v1/products/{productKey}"] = new(Caller.AccountKey, Route: new() { ["productKey"] = a.Product }),
            ["DELETE /api/v1/products/{productKey}"] = new(Caller.AccountKey, Route: new() { ["productKey"] = a.EmptyProduct }, Base: new() { ["confirm"] = "not-the-key" }),
            ["PUT /api/v1/products/{productKey}/auto-renew"] = new(Caller.AccountKey, Route: new() { ["productKey"] = a.Product }, Base: Json(("enabled", "true")),
                AcceptValid: true, Check: NoContentAsync),
            // Never allocates: the product holds STD-1Y, and no account has a million unallocated licenses.
            ["POST /api/v1/allocations"] = new(Caller.AccountKey,
                Base: Json(("productKey", $"\"{a.Product}\""), ("specCode", "\"STD-2Y\""), ("quantity", "1000000"))),
            ["GET /api/v1/allocations"] = new(Caller.AccountKey, Reads: true),
            ["GET /api/v1/products/{productKey}/devices"] = new(Caller.AccountKey, Route: new() { ["productKey"] = a.Product }, Reads: true),
            ["GET /api/v1/products/{productKey}/devices/{deviceKey}/activations"] = new(Caller.AccountKey,
                Route: new() { ["productKey"] = a.Product, ["deviceKey"] = a.Device }, Reads: true),
            ["PUT /api/v1/products/{productKey}/devices/{deviceKey}/auto-renew"] = new(Caller.AccountKey,
                Route: new() { ["productKey"] = a.Product, ["deviceKey"] = a.Device }, Base: Json(("enabled", "true")), AcceptValid: true, Check: NoContentAsync),
            ["GET /api/v1/expiring-devices"] = new(Caller.AccountKey, Reads: true),
            ["GET /api/v1/alert-recipients"] = new(Caller.AccountKey, Reads: true),
            ["POST /api/v1/alert-recipients"] = new(Caller.AccountKey, Base: Json(("name", "\"Ops {n}\""), ("email", "\"ops-{n}@example.com\"")),
                AcceptValid: true, Check: RecipientAddedAsync),
            ["DELETE /api/v1/alert-recipients/{id:long}"] = new(Caller.AccountKey, Route: new() { ["id"] = a.Recipient.ToString(System.Globalization.CultureInfo.InvariantCulture) }),

            // The sign-in form refuses with 400 (a field) or 401 (the credentials); it must never let anyone in.
            ["GET /account/sign-in"] = new(Caller.Anonymous, Reads: true),
            ["POST /account/sign-in"] = new(Caller.Anonymous, Base: new() { ["Email"] = "nobody-{n}@example.com", ["Password"] = "Wrong-Password-2026" },
                Optional: ["RememberMe", "ReturnUrl"]),
            ["POST /alert-recipients"] = new(Caller.Cookie, Base: new() { ["Form.Name"] = "Form ops {n}", ["Form.Email"] = "form-ops-{n}@example.com" },
                AcceptValid: true, Check: RecipientFormAcceptedAsync, FieldMessage: true),
            ["POST /alert-recipients/{id:long}/remove"] = new(Caller.Cookie, Route: new() { ["id"] = a.Recipient.ToString(System.Globalization.CultureInfo.InvariantCulture) }),
            ["GET /allocations"] = new(Caller.Cookie, Reads: true),
            ["GET /allocations/options"] = new(Caller.Cookie, Reads: true),
            ["GET /allocations/new"] = new(Caller.Cookie, Reads: true),
            ["POST /allocations/new"] = new(Caller.Cookie,
                Base: new() { ["ProductKey"] = a.Product, ["SpecCode"] = "STD-2Y", ["Quantity"] = "1000000", ["Confirmed"] = "true", ["RequestId"] = "req-{n}", ["ReturnUrl"] = "/" },
                Optional: ["ReturnUrl", "RequestId", "Confirmed"], FieldMessage: true),
            ["GET /audit"] = new(Caller.Cookie, Reads: true),
            ["GET /audit/export"] = new(Caller.Cookie, Reads: true),
            ["POST /culture"] = new(Caller.Anonymous, Base: new() { ["culture"] = "en", ["returnUrl"] = "/" }, Optional: ["culture", "returnUrl"],
                AcceptAll: true, Check: LocalRedirectAsync),
            ["GET /products/{productKey}/devices/{deviceKey}"] = new(Caller.Cookie, Route: new() { ["productKey"] = a.Product, ["deviceKey"] = a.Device }, Reads: true),
            ["POST /products/{productKey}/devices/{deviceKey}/auto-renew"] = new(Caller.Cookie, Route: new() { ["productKey"] = a.Product, ["deviceKey"] = a.Device },
                Base: new() { ["enabled"] = "true", ["returnUrl"] = "/devices/expiring" }, Optional: ["returnUrl"], AcceptValid: true, Check: LocalRedirectAsync),
            ["GET /devices/expiring"] = new(Caller.Cookie, Reads: true),
            ["GET /devices/expiring/export"] = new(Caller.Cookie, Reads: true),
            ["* /error/{statusCode:int:range(400,599)?}"] = new(Caller.Anonymous, Route: new() { ["statusCode"] = "404" }, AcceptAll: true),
            ["GET /products"] = new(Caller.Cookie, Reads: true),
            ["POST /products"] = new(Caller.Cookie, Base: new() { ["NewProduct.Name"] = "Form lamp {n}" }, Optional: ["NewProduct.ProductKey"],
                AcceptValid: true, Check: ProductFormAcceptedAsync, FieldMessage: true),
            ["GET /products/{productKey}"] = new(Caller.Cookie, Route: new() { ["productKey"] = a.Product }, Reads: true),
            ["POST /products/{productKey}/auto-renew"] = new(Caller.Cookie, Route: new() { ["productKey"] = a.Product }, Base: new() { ["enabled"] = "true" },
                AcceptValid: true, Check: LocalRedirectAsync),
            ["POST /products/{productKey}/blacklist"] = new(Caller.Cookie, Route: new() { ["productKey"] = a.Product },
                Base: new() { ["deviceKey"] = a.Device, ["listed"] = "false" }, AcceptValid: true, Check: LocalRedirectAsync, FieldMessage: true),
            ["GET /products/{productKey}/delete"] = new(Caller.Cookie, Route: new() { ["productKey"] = a.EmptyProduct }),
            ["POST /products/{productKey}/delete"] = new(Caller.Cookie, Route: new() { ["productKey"] = a.EmptyProduct }, Base: new() { ["confirm"] = "not-the-key" },
                FieldMessage: true),
            ["POST /settings/sub-accounts"] = new(Caller.Cookie, Base: new() { ["Form.Email"] = "form-sub-{n}@example.com", ["Form.Password"] = "Form-Password-2026" },
                AcceptValid: true, Check: SubAccountFormAcceptedAsync, FieldMessage: true),
            ["POST /settings/sub-accounts/{id:guid}/remove"] = new(Caller.Cookie, Route: new() { ["id"] = a.SubAccount.ToString() }),
            ["POST /settings/api-keys"] = new(Caller.Cookie, Base: new() { ["Form.Name"] = "Form key {n}" }, AcceptValid: true, Check: ApiKeyFormAcceptedAsync, FieldMessage: true),
            ["POST /settings/api-keys/{id:long}/revoke"] = new(Caller.Cookie, Route: new() { ["id"] = a.ApiKey.ToString(System.Globalization.CultureInfo.InvariantCulture) }),
            ["GET /openapi/{documentName}.json"] = new(Caller.Anonymous, Route: new() { ["documentName"] = "v1" }, AcceptAll: true),
            ["GET /{**path:file}"] = new(Caller.Anonymous, Route: new() { ["path"] = "favicon.ico" }, AcceptAll: true),
            ["HEAD /{**path:file}"] = new(Caller.Anonymous, Route: new() { ["path"] = "favicon.ico" }, AcceptAll: true),
        };
        return shapes;
    }

    private IEnumerable<InputCase> EndpointCases(AppEndpoint e, Shape s)
    {
        var method = e.Method == RouteTable.AnyMethod ? "GET" : e.Method;
        var route = s.Route ?? [];
        var bodyMembers = e.Inputs.Where(i => i.Source == InputSource.Body).ToList();
        var formFields = e.Inputs.Where(i => i.Source == InputSource.Form).ToList();
        var queryParameters = e.Inputs.Where(i => i.Source == InputSource.Query).ToList();
        var baseValues = s.Base ?? [];

        // A valid request to vary one input of: route values, query, body as the shape has them.
        InputCase Make(string name, string? field, InputValue? value, string? routeValue = null, string? query = null, byte[]? body = null,
            IReadOnlyList<KeyValuePair<string, string>>? form = null, bool? token = null, string? contentType = null, bool? mayAccept = null,
            IReadOnlyList<KeyValuePair<string, string>>? headers = null)
        {
            var n = Interlocked.Increment(ref _serial).ToString(System.Globalization.CultureInfo.InvariantCulture);
            var path = Path(e.Pattern, route, field is not null && routeValue is not null ? (field, routeValue) : null, n);
            query ??= Query(queryParameters, baseValues, null, n);
            var isForm = formFields.Count > 0 && body is null && contentType is null;
            return new InputCase
            {
                Endpoint = e.Key,
                Name = name,
                Method = method,
                Target = "/" + path + (query.Length > 0 ? "?" + query : ""),
                Caller = s.Caller,
                Body = body ?? (bodyMembers.Count > 0 ? JsonBody(bodyMembers, baseValues, null, n) : null),
                ContentType = contentType ?? (bodyMembers.Count > 0 ? "application/json" : null),
                Form = form ?? (isForm ? FormBody(formFields, baseValues, null, n) : null),
                Token = token ?? (method != "GET" && s.Caller is Caller.Cookie or Caller.Anonymous),
                Headers = headers,
                MayAccept = mayAccept ?? (s.AcceptAll || (value is not null && value.ValidIn(SourceOf(field)) && (s.AcceptValid || s.Reads))),
                // A toggle's hidden field has no place for a message, and a form with a NUL byte is not read at all
                // (refused whole, the error page): the others are refused beside their field.
                FieldMessage = s.FieldMessage && formFields.FirstOrDefault(f => f.Name == field) is { } typed && KindOf(e, typed)?.Kind != InputKind.Boolean
                    && value?.WireRead?.Contains('\0', StringComparison.Ordinal) != true,
                Check = s.Check,
                Field = field,
                Sent = value?.WireRead?.Replace("{n}", n, StringComparison.Ordinal),
            };
        }

        InputSource SourceOf(string? field) => e.Inputs.FirstOrDefault(i => i.Name == field)?.Source ?? InputSource.Body;

        foreach (var input in e.RouteValues)
        {
            foreach (var value in ValuesOf(e, input))
            {
                yield return Make($"route {input.Name}: {value.Label}", input.Name, value, routeValue: value.WireTextFor("0"));
            }
        }

        foreach (var input in queryParameters)
        {
            foreach (var value in ValuesOf(e, input))
            {
                var n = _serial + 1;
                yield return Make($"query {input.Name}: {value.Label}", input.Name, value,
                    query: Query(queryParameters, baseValues, (input.Name, value), n.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                    mayAccept: s.AcceptAll || s.Reads || (value.ValidIn(InputSource.Query) && s.AcceptValid));
            }
        }

        foreach (var input in e.Inputs.Where(i => i.Source == InputSource.Header))
        {
            foreach (var value in ValuesOf(e, input).Where(v => v.Text is not null && v.Text.All(c => c is >= ' ' and < (char)127)))
            {
                yield return Make($"header {input.Name}: {value.Label}", input.Name, value, headers: [new(input.Name, value.Text!)], mayAccept: false);
            }
        }

        if (bodyMembers.Count > 0)
        {
            foreach (var c in JsonCases(e, s, bodyMembers, baseValues, Make))
            {
                yield return c;
            }
        }

        if (formFields.Count > 0)
        {
            foreach (var c in FormCases(e, s, formFields, baseValues, Make))
            {
                yield return c;
            }
        }
    }

    private IEnumerable<InputCase> JsonCases(
        AppEndpoint e, Shape s, List<EndpointInput> members, Dictionary<string, string> baseValues, MakeCase make)
    {
        var valid = JsonBody(members, baseValues, null, "0");
        var validText = Encoding.UTF8.GetString(valid);
        byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);
        (string Name, byte[] Body, string? Type)[] whole =
        [
            ("body empty", [], "application/json"),
            ("body null", Bytes("null"), "application/json"),
            ("body array", Bytes("[" + validText + "]"), "application/json"),
            ("body string", Bytes("\"text\""), "application/json"),
            ("body number", Bytes("42"), "application/json"),
            ("body truncated", Bytes(validText[..^1]), "application/json"),
            ("body trailing brace", Bytes(validText + "}"), "application/json"),
            ("body not json", Bytes("name=lamp&quantity=1"), "application/json"),
            ("body with comment", Bytes("/* note */" + validText), "application/json"),
            ("body trailing comma", Bytes(validText[..^1] + ",}"), "application/json"),
            ("body invalid utf-8", [0xFF, 0xFE, 0x7B, 0x7D], "application/json"),
            ("body invalid utf-8 in a string", [.. Bytes("{\"" + members[0].Name + "\":\""), 0xC3, 0x28, .. Bytes("\"}")], "application/json"),
            ("body nested 200 deep", Bytes(string.Concat(Enumerable.Repeat("{\"a\":", 200)) + "1" + new string('}', 200)), "application/json"),
            ("body 1 MB of spaces around {}", Bytes(new string(' ', 1024 * 1024) + "{}"), "application/json"),
            ("body extra member", Bytes(validText[..^1] + (validText.Length > 2 ? "," : "") + "\"unexpected\":1}"), "application/json"),
            ("body duplicate member, second bad", Bytes(validText[..^1] + ",\"" + members[0].Name + "\":{\"x\":1}}"), "application/json"),
            ("content type text/plain", valid, "text/plain"),
            ("content type form", Bytes("a=1"), "application/x-www-form-urlencoded"),
            ("content type multipart", Bytes("--b\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n--b--\r\n"), "multipart/form-data; boundary=b"),
            ("content type xml", Bytes("<request/>"), "application/xml"),
            ("content type missing", valid, null),
            ("content type utf-16 charset", valid, "application/json; charset=utf-16"),
            ("content type unknown charset", valid, "application/json; charset=x-unknown"),
        ];
        foreach (var (name, body, type) in whole)
        {
            yield return make(name, null, null, body: body, contentType: type ?? "", mayAccept: false);
        }

        foreach (var member in members)
        {
            var optional = s.Optional?.Contains(member.Name) == true || !baseValues.ContainsKey(member.Name);
            var values = new List<InputValue>
            {
                new("missing", null, Valid: optional),
                new("null", null, Valid: optional, Json: "null"),
            };
            values.AddRange(ValuesOf(e, member).Where(v => v.Json is not null || v.Text is not null));
            foreach (var value in values)
            {
                var n = _serial + 1;
                var mayAccept = s.AcceptAll || (value.Valid && s.AcceptValid);
                yield return make($"json {member.Name}: {value.Label}", member.Name, value,
                    body: JsonBody(members, baseValues, (member.Name, value), n.ToString(System.Globalization.CultureInfo.InvariantCulture)), mayAccept: mayAccept);
            }
        }

        // A cookie caller that leaves out the antiforgery token (a cross-site form could send the cookie).
        if (e.IsApi && s.Caller == Caller.AccountKey)
        {
            var forCookie = make("cookie without antiforgery token", null, null, body: valid, mayAccept: false);
            yield return WithCaller(forCookie, Caller.Cookie, token: false);
        }
    }

    private IEnumerable<InputCase> FormCases(
        AppEndpoint e, Shape s, List<EndpointInput> fields, Dictionary<string, string> baseValues, MakeCase make)
    {
        var valid = FormBody(fields, baseValues, null, "0");
        var validText = string.Join("&", valid.Select(f => $"{Uri.EscapeDataString(f.Key)}={f.Value}"));
        yield return make("form without antiforgery token", null, null, token: false, mayAccept: false);
        yield return make("form with a forged antiforgery token", null, null,
            form: [.. valid, new("__RequestVerificationToken", "CfDJ8forged")], token: false, mayAccept: false);
        yield return make("form sent as json", null, null, body: Encoding.UTF8.GetBytes("{" + string.Join(",", valid.Select(f => $"\"{f.Key}\":\"{f.Value}\"")) + "}"),
            contentType: "application/json", mayAccept: s.AcceptAll);
        yield return make("form sent as text/plain", null, null, body: Encoding.UTF8.GetBytes(validText), contentType: "text/plain", mayAccept: s.AcceptAll);
        yield return make("form body empty", null, null, body: [], contentType: "application/x-www-form-urlencoded", mayAccept: s.AcceptAll);
        yield return make("form with 2,000 extra fields", null, null,
            form: [.. valid, .. Enumerable.Range(0, 2000).Select(i => new KeyValuePair<string, string>($"x{i}", "1"))], mayAccept: false);
        yield return make("form field name not utf-8", null, null, form: [.. valid, new("%FF%FE", "1")], mayAccept: s.AcceptAll || s.AcceptValid);
        foreach (var field in fields)
        {
            var optional = s.Optional?.Contains(field.Name) == true || !baseValues.ContainsKey(field.Name);
            var values = new List<InputValue> { new("missing", null, Valid: optional) };
            values.AddRange(ValuesOf(e, field).Where(v => v.Wire is not null || v.Text is not null));
            foreach (var value in values)
            {
                var n = _serial + 1;
                yield return make($"form {field.Name}: {value.Label}", field.Name, value,
                    form: FormBody(fields, baseValues, (field.Name, value), n.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            }
        }
    }

    /// <summary>Every route pattern asked with the methods it does not answer.</summary>
    private IEnumerable<InputCase> WrongMethods(IReadOnlyList<AppEndpoint> endpoints)
    {
        foreach (var pattern in endpoints.GroupBy(e => e.Pattern).Where(p => p.Any(e => _shapes.ContainsKey(e.Key) || e.IsApi)))
        {
            var answered = pattern.Select(e => e.Method).ToHashSet();
            if (answered.Contains(RouteTable.AnyMethod))
            {
                continue;
            }

            var sample = pattern.FirstOrDefault(e => _shapes.ContainsKey(e.Key)) ?? pattern.First();
            var shape = _shapes.GetValueOrDefault(sample.Key) ?? new Shape(sample.IsApi ? Caller.AccountKey : Caller.Cookie);
            var path = "/" + Path(sample.Pattern, shape.Route ?? [], null, "0");
            foreach (var method in Methods.Except(answered))
            {
                yield return new InputCase
                {
                    Endpoint = sample.Key,
                    Name = $"method {method}",
                    Method = method,
                    Target = path,
                    Caller = shape.Caller == Caller.PlatformKey ? Caller.PlatformKey : sample.IsApi ? Caller.AccountKey : Caller.Cookie,
                    Token = !sample.IsApi && method != "GET",
                    Body = method is "POST" or "PUT" or "PATCH" ? "{}"u8.ToArray() : null,
                    ContentType = method is "POST" or "PUT" or "PATCH" ? "application/json" : null,
                };
            }
        }
    }

    /// <summary>Every API endpoint asked without a key, with an unknown key, and with a key of the wrong scope.</summary>
    private IEnumerable<InputCase> Credentials(IReadOnlyList<AppEndpoint> endpoints)
    {
        foreach (var e in endpoints.Where(e => e.IsApi && !e.Anonymous))
        {
            var shape = _shapes.GetValueOrDefault(e.Key) ?? new Shape(Caller.AccountKey);
            var path = "/" + Path(e.Pattern, shape.Route ?? [], null, "0");
            var hasBody = e.Inputs.Any(i => i.Source == InputSource.Body);
            var body = hasBody ? JsonBody([.. e.Inputs.Where(i => i.Source == InputSource.Body)], shape.Base ?? [], null, "0") : null;
            InputCase Ask(string name, Caller caller, IReadOnlyList<KeyValuePair<string, string>>? headers = null) => new()
            {
                Endpoint = e.Key,
                Name = name,
                Method = e.Method,
                Target = path,
                Caller = caller,
                Body = body,
                ContentType = hasBody ? "application/json" : null,
                Headers = headers,
            };

            yield return Ask("no credentials", Caller.Anonymous);
            yield return Ask("unknown account key", Caller.Anonymous, [new("X-Api-Key", ApiCalls.UnknownAccountKey)]);
            yield return Ask("key of 4 KB", Caller.Anonymous, [new("X-Api-Key", "lck_" + new string('k', 4096))]);
            yield return Ask("empty key", Caller.Anonymous, [new("X-Api-Key", "")]);
            yield return Ask("sql as key", Caller.Anonymous, [new("X-Api-Key", HostileValues.SqlOr)]);
            yield return e.Policy == "Platform" ? Ask("account key on a platform endpoint", Caller.AccountKey) : Ask("platform key on an account endpoint", Caller.PlatformKey);
        }
    }

    /// <summary>Requests an HTTP client would not send: bytes that are not HTTP, read by Kestrel before the app.</summary>
    private IEnumerable<InputCase> Transport()
    {
        var host = $"Host: {_app.BaseAddress.Authority}\r\n";
        var key = $"X-Api-Key: {_a.Key}\r\n";
        InputCase Raw(string name, string target, params byte[][] parts) => new()
        {
            Endpoint = "transport",
            Name = name,
            Method = "RAW",
            Target = target,
            Raw = [.. parts.SelectMany(p => p)],
        };
        byte[] A(string text) => Encoding.ASCII.GetBytes(text);

        yield return Raw("invalid utf-8 in the query", "/api/v1/products", A("GET /api/v1/products?search="), [0xFF, 0xFE], A(" HTTP/1.1\r\n" + host + key + "Connection: close\r\n\r\n"));
        yield return Raw("invalid utf-8 in the path", "/api/v1/products", A("GET /api/v1/products/"), [0xC3, 0x28], A(" HTTP/1.1\r\n" + host + key + "Connection: close\r\n\r\n"));
        yield return Raw("nul in the path", "/api/v1/products", A("GET /api/v1/products/a"), [0x00], A(" HTTP/1.1\r\n" + host + key + "Connection: close\r\n\r\n"));
        yield return Raw("invalid utf-8 in the key header", "/api/v1/summary", A("GET /api/v1/summary HTTP/1.1\r\n" + host + "X-Api-Key: lck_"), [0xFF, 0xC3], A("\r\nConnection: close\r\n\r\n"));
        yield return Raw("nul in a header", "/api/v1/summary", A("GET /api/v1/summary HTTP/1.1\r\n" + host + key + "X-Note: a"), [0x00], A("\r\nConnection: close\r\n\r\n"));
        yield return Raw("bad chunk size", "/api/v1/products",
            A("POST /api/v1/products HTTP/1.1\r\n" + host + key + "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\nzz\r\n{}\r\n0\r\n\r\n"));
        yield return Raw("negative content length", "/api/v1/products",
            A("POST /api/v1/products HTTP/1.1\r\n" + host + key + "Content-Type: application/json\r\nContent-Length: -1\r\nConnection: close\r\n\r\n{}"));
        yield return Raw("content length and chunked", "/api/v1/products",
            A("POST /api/v1/products HTTP/1.1\r\n" + host + key + "Content-Type: application/json\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n0\r\n\r\n"));
        yield return Raw("header of 64 KB", "/api/v1/summary", A("GET /api/v1/summary HTTP/1.1\r\n" + host + key + "X-Big: " + new string('b', 65_536) + "\r\nConnection: close\r\n\r\n"));
        yield return Raw("request line of 16 KB", "/api/v1/products", A("GET /api/v1/products?search=" + new string('s', 16_384) + " HTTP/1.1\r\n" + host + key + "Connection: close\r\n\r\n"));
        yield return Raw("asterisk target", "*", A("GET * HTTP/1.1\r\n" + host + "Connection: close\r\n\r\n"));
        yield return Raw("absolute target elsewhere", "/api/v1/summary", A("GET http://evil.example/api/v1/summary HTTP/1.1\r\n" + host + key + "Connection: close\r\n\r\n"));
        yield return Raw("no host header", "/api/v1/summary", A("GET /api/v1/summary HTTP/1.1\r\n" + key + "Connection: close\r\n\r\n"));
        yield return Raw("http/1.0 with a body and no length", "/api/v1/products", A("POST /api/v1/products HTTP/1.0\r\n" + key + "Content-Type: application/json\r\n\r\n{\"name\":"));
    }

    private IEnumerable<InputValue> ValuesOf(AppEndpoint e, EndpointInput input)
    {
        var (kind, max) = KindOf(e, input) ?? throw new InvalidOperationException($"No value catalog for {input.Name} of {e.Key}.");
        var except = _shapes.GetValueOrDefault(e.Key)?.Except ?? [];
        var values = HostileValues.ForKind(kind, max).Where(v => !except.Contains(v.Label));

        // Forms, queries and routes carry text: a JSON-only value (a wrong JSON type) has nothing to say there.
        return input.Source == InputSource.Body ? values : values.Where(v => v.Text is not null || v.Wire is not null);
    }

    private static InputCase WithCaller(InputCase c, Caller caller, bool token) => new()
    {
        Endpoint = c.Endpoint,
        Name = c.Name,
        Method = c.Method,
        Target = c.Target,
        Caller = caller,
        Body = c.Body,
        ContentType = c.ContentType,
        Token = token,
    };

    private static string Path(string pattern, IReadOnlyDictionary<string, string> route, (string Name, string Wire)? vary, string n) =>
        RouteParameter().Replace(pattern, m =>
        {
            var name = m.Groups["name"].Value;
            return vary is { } v && v.Name == name ? v.Wire : Uri.EscapeDataString(route.GetValueOrDefault(name, "x").Replace("{n}", n, StringComparison.Ordinal));
        });

    private static string Query(List<EndpointInput> parameters, Dictionary<string, string> baseValues, (string Name, InputValue Value)? vary, string n)
    {
        var parts = new List<string>();
        foreach (var p in parameters)
        {
            if (vary is { } v && v.Name == p.Name)
            {
                if (!v.Value.Omitted)
                {
                    parts.Add($"{Uri.EscapeDataString(p.Name)}={v.Value.WireTextFor(n)}");
                }
            }
            else if (baseValues.TryGetValue(p.Name, out var value))
            {
                parts.Add($"{Uri.EscapeDataString(p.Name)}={Uri.EscapeDataString(value.Replace("{n}", n, StringComparison.Ordinal))}");
            }
        }

        return string.Join("&", parts);
    }

    private static byte[] JsonBody(List<EndpointInput> members, Dictionary<string, string> baseValues, (string Name, InputValue Value)? vary, string n)
    {
        var parts = new List<string>();
        foreach (var m in members)
        {
            string? token = vary is { } v && v.Name == m.Name ? (v.Value.Omitted ? null : v.Value.JsonToken) : baseValues.GetValueOrDefault(m.Name);
            if (token is not null)
            {
                parts.Add($"\"{m.Name}\":{token.Replace("{n}", n, StringComparison.Ordinal)}");
            }
        }

        return Encoding.UTF8.GetBytes("{" + string.Join(",", parts) + "}");
    }

    private static List<KeyValuePair<string, string>> FormBody(List<EndpointInput> fields, Dictionary<string, string> baseValues, (string Name, InputValue Value)? vary, string n)
    {
        var form = new List<KeyValuePair<string, string>>();
        foreach (var f in fields)
        {
            if (vary is { } v && v.Name == f.Name)
            {
                if (!v.Value.Omitted)
                {
                    form.Add(new(f.Name, v.Value.WireTextFor(n)));
                }
            }
            else if (baseValues.TryGetValue(f.Name, out var value))
            {
                form.Add(new(f.Name, Uri.EscapeDataString(value.Replace("{n}", n, StringComparison.Ordinal))));
            }
        }

        return form;
    }

    private static Dictionary<string, string> Json(params (string Name, string Token)[] members) => members.ToDictionary(m => m.Name, m => m.Token);

    // What an accepted case must show: the value exactly as sent, and the change to the figures it made.

    private Task AccountCreatedAsync(CaseAnswer answer, LedgerFigures change)
    {
        Assert.Equal(201, answer.Status);
        if (answer.Case.Field == "email")
        {
            Assert.Equal(answer.Case.Sent!.ToLowerInvariant(), answer.Json().Str("email"));
        }

        return Task.CompletedTask;
    }

    private async Task ApiKeyMintedAsync(CaseAnswer answer, LedgerFigures change)
    {
        Assert.Equal(201, answer.Status);
        Assert.StartsWith(ApiKeyService.KeyPrefix, answer.Json().Str("key"), StringComparison.Ordinal);
        change.Add($"{LedgerFigures.Prefix(_a.Id)}.api keys", 1);
        if (answer.Case.Field == "name")
        {
            var keys = await _app.Factory.WithScopeAsync(_a.Id, s => s.GetRequiredService<ApiKeyService>().ListAsync());
            Assert.Contains(keys, k => k.Name == answer.Case.Sent);
        }
    }

    private Task PurchaseRecordedAsync(CaseAnswer answer, LedgerFigures change)
    {
        if (answer.Status == 200)
        {
            // The same order again: recorded once, nothing added.
            Assert.Equal(_a.Order, answer.Json().Str("orderId"));
            return Task.CompletedTask;
        }

        Assert.Equal(201, answer.Status);
        var purchase = answer.Json();
        if (answer.Case.Field == "orderId")
        {
            Assert.Equal(answer.Case.Sent, purchase.Str("orderId"));
        }

        var a = LedgerFigures.Prefix(_a.Id);
        var quantity = purchase.Long("quantity");
        change.Add("purchases", 1);
        change.Add($"{a}.purchases", 1);
        change.Add($"{a}.purchased", quantity);
        change.Add($"{a}.unallocated {AccountSeed.Spec}", quantity);
        change.Add($"{a}.summary total", quantity);
        change.Add($"{a}.summary remaining", quantity);
        change.Add($"{a}.summary unallocated", quantity);
        return Task.CompletedTask;
    }

    private static Task ReconnectedAsync(CaseAnswer answer, LedgerFigures change)
    {
        Assert.Equal(200, answer.Status);
        Assert.False(answer.Json().GetProperty("consumed").GetBoolean(), "A reconnection consumed a license.");
        return Task.CompletedTask;
    }

    /// <summary>
    /// An accepted bulk call answers every entry in order: the known device reconnects without consuming, every
    /// other entry (malformed or unknown) is refused alone with a 4xx status, a code and a detail.
    /// </summary>
    private static Task BatchAnsweredEntryByEntryAsync(CaseAnswer answer, LedgerFigures change)
    {
        Assert.Equal(200, answer.Status);
        using var sent = System.Text.Json.JsonDocument.Parse(answer.Case.Body!);
        var results = answer.Json().GetProperty("results");
        Assert.Equal(sent.RootElement.GetProperty("connections").GetArrayLength(), results.GetArrayLength());
        foreach (var result in results.EnumerateArray())
        {
            if (result.TryGetProperty("error", out var error))
            {
                Assert.InRange(error.GetProperty("status").GetInt32(), 400, 499);
                Assert.False(string.IsNullOrWhiteSpace(error.Str("code")));
                Assert.False(string.IsNullOrWhiteSpace(error.Str("detail")));
            }
            else
            {
                Assert.False(result.GetProperty("consumed").GetBoolean(), "A bulk call of known devices consumed a license.");
            }
        }

        return Task.CompletedTask;
    }

    /// <summary>A change of the sub-account that left out the taken address (or gave a new one): saved, nothing else changes.</summary>
    private Task SubAccountSavedAsync(CaseAnswer answer, LedgerFigures change)
    {
        Assert.Equal(200, answer.Status);
        Assert.Equal(_a.SubAccount, answer.Json().GetProperty("id").GetGuid());
        return Task.CompletedTask;
    }

    private static Task NoContentAsync(CaseAnswer answer, LedgerFigures change)
    {
        Assert.Equal(204, answer.Status);
        return Task.CompletedTask;
    }

    private async Task ProductCreatedAsync(CaseAnswer answer, LedgerFigures change)
    {
        Assert.Equal(201, answer.Status);
        var created = answer.Json();
        await ExpectProductAsync(created.Str("productKey"), answer.Case.Field == "name" ? answer.Case.Sent : null, change);
    }

    private async Task ProductFormAcceptedAsync(CaseAnswer answer, LedgerFigures change)
    {
        Assert.Equal(302, answer.Status);
        var location = answer.Location!.OriginalString;
        Assert.StartsWith("/products/", location, StringComparison.Ordinal);
        var name = answer.Case.Field == "NewProduct.Name" ? answer.Case.Sent : null;
        await ExpectProductAsync(Uri.UnescapeDataString(location["/products/".Length..]), name, change);
        if (name is not null)
        {
            // The console shows the name as text: never as markup of its own.
            using var console = (await _app.SignedInAsync(_a.Email, Infrastructure.TestAccounts.Password)).Client;
            var html = await (await console.GetAsync(location)).Content.ReadAsStringAsync();
            Assert.Contains(name, WebUtility.HtmlDecode(html), StringComparison.Ordinal);
            if (name.IndexOfAny(['<', '"', '\'']) >= 0)
            {
                Assert.DoesNotContain(name, html, StringComparison.Ordinal);
            }
        }
    }

    private async Task ExpectProductAsync(string productKey, string? name, LedgerFigures change)
    {
        using var client = _app.CreateClient(_a.Key);
        var product = await (await client.GetAsync($"/api/v1/products/{Uri.EscapeDataString(productKey)}")).ExpectJsonAsync(HttpStatusCode.OK);
        if (name is not null)
        {
            Assert.Equal(name, product.Str("name"));
        }

        change.Add("products", 1);
        change.Add($"{LedgerFigures.Prefix(_a.Id)}.products", 1);
    }

    private async Task RecipientAddedAsync(CaseAnswer answer, LedgerFigures change)
    {
        Assert.Equal(201, answer.Status);
        await ExpectRecipientAsync(answer.Case.Field, answer.Case.Sent, change);
        var added = answer.Json();
        if (answer.Case.Field == "name")
        {
            Assert.Equal(answer.Case.Sent, added.Str("name"));
        }
    }

    private async Task RecipientFormAcceptedAsync(CaseAnswer answer, LedgerFigures change)
    {
        Assert.Equal(302, answer.Status);
        await ExpectRecipientAsync(answer.Case.Field?.Replace("Form.", "", StringComparison.Ordinal).ToLowerInvariant(), answer.Case.Sent, change);
    }

    private async Task ExpectRecipientAsync(string? field, string? sent, LedgerFigures change)
    {
        change.Add($"{LedgerFigures.Prefix(_a.Id)}.recipients", 1);
        var recipients = await _app.Factory.WithScopeAsync(_a.Id, s => s.GetRequiredService<AlertRecipientService>().ListAsync());
        if (field == "name")
        {
            Assert.Contains(recipients, r => r.Name == sent);
        }
        else if (field == "email")
        {
            Assert.Contains(recipients, r => r.Email == sent!.ToLowerInvariant());
        }
    }

    private async Task SubAccountFormAcceptedAsync(CaseAnswer answer, LedgerFigures change)
    {
        Assert.Equal(302, answer.Status);
        change.Add($"{LedgerFigures.Prefix(_a.Id)}.sub-accounts", 1);

        // The form's role (viewer unless chosen) and its recipients box, ticked only by "true".
        var recipients = answer.Case.Field == "Form.MaintainsRecipients" && string.Equals(answer.Case.Sent, "true", StringComparison.OrdinalIgnoreCase);
        change.Add($"{LedgerFigures.Prefix(_a.Id)}.users Viewer recipients={recipients} limited=False", 1);
        if (answer.Case.Field == "Form.Email")
        {
            var subAccounts = await _app.Factory.WithScopeAsync(_a.Id, s => s.GetRequiredService<SubAccountService>().ListAsync());
            Assert.Contains(subAccounts, u => u.Email == answer.Case.Sent!.ToLowerInvariant());
        }
    }

    private async Task ApiKeyFormAcceptedAsync(CaseAnswer answer, LedgerFigures change)
    {
        Assert.Equal(302, answer.Status);
        change.Add($"{LedgerFigures.Prefix(_a.Id)}.api keys", 1);
        if (answer.Case.Field == "Form.Name")
        {
            var keys = await _app.Factory.WithScopeAsync(_a.Id, s => s.GetRequiredService<ApiKeyService>().ListAsync());
            Assert.Contains(keys, k => k.Name == answer.Case.Sent);
        }
    }

    private static Task LocalRedirectAsync(CaseAnswer answer, LedgerFigures change)
    {
        Assert.Equal(302, answer.Status);
        var location = answer.Location!.OriginalString;
        Assert.True(location.StartsWith('/') && !location.StartsWith("//", StringComparison.Ordinal) && !location.StartsWith("/\\", StringComparison.Ordinal),
            $"Redirected off the site: {location}");
        return Task.CompletedTask;
    }

    [GeneratedRegex(@"\{\*{0,2}(?<name>[A-Za-z]+)(:[^}]*)?\}")]
    private static partial Regex RouteParameter();

    private delegate InputCase MakeCase(string name, string? field, InputValue? value, string? routeValue = null, string? query = null, byte[]? body = null,
        IReadOnlyList<KeyValuePair<string, string>>? form = null, bool? token = null, string? contentType = null, bool? mayAccept = null,
        IReadOnlyList<KeyValuePair<string, string>>? headers = null);

    /// <summary>What the cases of one endpoint need beyond its route table entry.</summary>
    /// <param name="Caller">Who calls it.</param>
    /// <param name="Route">Valid route values (the seeded account's).</param>
    /// <param name="Base">A request to vary: JSON tokens for a JSON body, text for a form or a query ("{n}": a number unique to the case).</param>
    /// <param name="Optional">Form fields and JSON members that may be left out.</param>
    /// <param name="Reads">A read: any query may be answered with 200.</param>
    /// <param name="AcceptValid">A value the catalog calls valid may be accepted.</param>
    /// <param name="Check">What an accepted answer must show, and the change to the figures it made.</param>
    /// <param name="FieldMessage">A refusal re-renders the form with the message beside the field.</param>
    /// <param name="AcceptAll">Anything may be accepted (the error page, the language switch): it must only never fail.</param>
    /// <param name="Except">Values (by label) left out of this endpoint's cases, each with its reason where the shape is made.</param>
    private sealed record Shape(
        Caller Caller,
        Dictionary<string, string>? Route = null,
        Dictionary<string, string>? Base = null,
        string[]? Optional = null,
        bool Reads = false,
        bool AcceptValid = false,
        AcceptedCheck? Check = null,
        bool FieldMessage = false,
        bool AcceptAll = false,
        string[]? Except = null);
}
