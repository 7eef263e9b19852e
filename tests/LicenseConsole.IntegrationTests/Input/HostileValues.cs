using System.Globalization;
using System.Text;

namespace LicenseConsole.IntegrationTests.Input;

/// <summary>
/// One value to put into one input. <see cref="Text"/> is the value itself (null: leave the input out);
/// <see cref="Json"/> overrides how it is written in a JSON body (a number, a wrong type, a broken token);
/// <see cref="Wire"/> overrides how it is written in a form or a query string (bytes that are not UTF-8).
/// <see cref="Valid"/> says the app may accept it in a JSON body; an accepted value must come back verbatim.
/// A form or a query has no types ("12" is a number there) and keeps bytes that are not UTF-8 as they were
/// sent ("%FF" is read as those three characters): <see cref="WireValid"/> says whether the value is valid
/// there, when that differs.
/// </summary>
public sealed record InputValue(string Label, string? Text, bool Valid = false, string? Json = null, string? Wire = null, bool? WireValid = null)
{
    public bool Omitted => Text is null && Json is null && Wire is null;

    /// <summary>The value as the app reads it from a form or a query.</summary>
    public string? WireRead => Text ?? (Wire is null ? null : Uri.UnescapeDataString(Wire));

    public bool ValidIn(InputSource source) => source == InputSource.Body ? Valid : WireValid ?? Valid;

    public string JsonToken => Json ?? HostileValues.JsonString(Text!);

    /// <summary>The value encoded for a form or a query, "{n}" replaced by <paramref name="n"/> first.</summary>
    public string WireTextFor(string n) => Wire ?? Uri.EscapeDataString((Text ?? "").Replace("{n}", n, StringComparison.Ordinal));
}

/// <summary>The kinds of input the app reads, each with its malformed, boundary and hostile values.</summary>
public enum InputKind
{
    /// <summary>A name people type (product, recipient, key): 1 to <c>max</c> printable characters.</summary>
    Name,

    /// <summary>A product or device key: letters, digits, '-', '_', '.', ':'; 1 to 64.</summary>
    Key,

    /// <summary>A key that may be left out (a product's own key when creating it).</summary>
    OptionalKey,

    Email,
    Password,
    Integer,
    Boolean,
    Guid,
    Date,

    /// <summary>A license spec code from the catalog.</summary>
    Spec,

    /// <summary>A data center code from the catalog.</summary>
    DataCenter,

    /// <summary>A billing order id: 1 to 128 printable characters.</summary>
    OrderId,

    /// <summary>An idempotency key or a form's request id: 1 to 64 printable characters.</summary>
    RequestId,

    /// <summary>Free text of a search or a filter.</summary>
    Search,

    /// <summary>A return address: only a local one is followed.</summary>
    ReturnUrl,

    /// <summary>One of a few words (a status filter, a culture).</summary>
    Choice,

    /// <summary>A number in a route (an id).</summary>
    RouteNumber,

    /// <summary>A key or text in a route.</summary>
    RouteText,

    /// <summary>The entries of a bulk connect call: 1 to 1,000, each refused alone when malformed.</summary>
    ConnectionList,

    /// <summary>A checkbox of a form: "true" ticks it, anything else (or nothing) leaves it unticked; never refused.</summary>
    Checkbox,

    /// <summary>The products a sub-account or key is limited to: the account's live product keys; none or empty means all.</summary>
    ProductKeyList,
}

public static class HostileValues
{
    public const string SqlDrop = "'; DROP TABLE products; --";
    public const string SqlOr = "' OR '1'='1";
    public const string Script = "<script>alert(1)</script>";
    public const string ImageOnError = "\"><img src=x onerror=alert(1)>";

    /// <summary>Text that is valid input for a name: may be stored, and is then shown and returned exactly as sent.</summary>
    public static readonly InputValue[] ValidHostileText =
    [
        new("sql drop", SqlDrop, Valid: true),
        new("sql or", SqlOr, Valid: true),
        new("script tag", Script, Valid: true),
        new("img onerror", ImageOnError, Valid: true),
        new("rtl override", "invoice\u202Egpj.exe", Valid: true),
        new("zero-width", "zero\u200Bwidth\u200Djoin", Valid: true),
        new("emoji", "lamp 😀🚀", Valid: true),
        new("fullwidth and cjk", "Ｌａｍｐ 灯", Valid: true),
        new("template", "{{7*7}} ${jndi:ldap://x/a}", Valid: true),
        new("path", "../../etc/passwd", Valid: true),
        new("replacement character", "\uFFFD lamp", Valid: true),
    ];

    /// <summary>Text no name may hold: empty, blank, control characters, broken UTF-16, too long.</summary>
    public static IEnumerable<InputValue> InvalidText(int max) =>
    [
        new("empty", ""),
        new("blank", "   "),
        new("nul", "\0"),
        new("nul inside", "lamp\0x"),
        new("bell", "lamp\u0007"),
        new("line break", "lamp\r\nSet-Cookie: x=1"),
        new("tab", "lamp\tx"),
        new("lone high surrogate", null, Json: "\"\\ud800\"", Wire: "%ED%A0%80", WireValid: true),
        new("lone low surrogate", null, Json: "\"x\\udc00\"", Wire: "x%ED%B0%80", WireValid: true),
        new("invalid utf-8", null, Json: "\"\\udfff\\ud800\"", Wire: "%FF%FE", WireValid: true),
        new("over max", new string('n', max + 1)),
        new("1 MB", OneMegabyte),
    ];

    public static readonly string OneMegabyte = new('m', 1024 * 1024);

    public static IEnumerable<InputValue> ForKind(InputKind kind, int max = 200) => kind switch
    {
        InputKind.Name => [.. ValidHostileText, new("max length", new string('n', max), Valid: true), .. InvalidText(max), .. WrongJsonTypes(number: true)],
        InputKind.Key or InputKind.OptionalKey =>
        [
            new("empty", "", Valid: kind == InputKind.OptionalKey),
            new("spaces inside", "pk with spaces"),
            new("65 characters", new string('k', 65)),
            new("sql drop", SqlDrop),
            new("sql or", SqlOr),
            new("script tag", Script),
            new("nul", "pk\0"),
            new("line break inside", "pk\r\nSet-Cookie: x=1"),
            new("slash", "pk/../x"),
            new("percent", "pk%00"),
            new("unicode", "pk-灯"),
            new("emoji", "pk😀"),
            new("zero-width", "pk\u200B1"),
            new("lone surrogate", null, Json: "\"pk\\ud800\"", Wire: "pk%ED%A0%80"),
            new("invalid utf-8", null, Json: "\"pk\\ufffd\"", Wire: "pk%FF"),
            new("1 MB", OneMegabyte),
            .. WrongJsonTypes(number: true),
        ],
        InputKind.Email =>
        [
            new("no at", "not-an-email"),
            new("no domain dot", "ops@example"),
            new("display name", "Ops <ops@example.com>"),
            new("two ats", "a@b@example.com"),
            new("script", "<script>@example.com"),
            new("sql", "'; DROP TABLE users; --@example.com"),
            new("nul", "ops\0@example.com"),
            new("line break", "ops@example.com\r\nBcc: x@example.com"),
            new("lone surrogate", null, Json: "\"ops\\ud800@example.com\"", Wire: "ops%ED%A0%80%40example.com", WireValid: true),
            new("too long", new string('e', 250) + "@example.com"),
            new("1 MB", OneMegabyte + "@example.com"),
            new("empty", ""),
            new("apostrophe and plus", "o'brien+ops-{n}@example.com", Valid: true),
            .. WrongJsonTypes(number: true),
        ],
        InputKind.Password =>
        [
            new("empty", ""),
            new("short", "abc"),
            new("1 MB", OneMegabyte),
            new("nul", "Password-2026\0"),
            .. WrongJsonTypes(number: true),
        ],
        InputKind.Integer =>
        [
            new("zero", "0"),
            new("negative", "-1"),
            new("int min", "-2147483648", Json: "-2147483648"),
            new("int max + 1", "2147483648", Json: "2147483648"),
            new("long overflow", "99999999999999999999", Json: "99999999999999999999"),
            new("1e309", "1e309", Json: "1e309"),
            new("decimal", "1.5", Json: "1.5"),
            new("exponent", "1e2", Json: "1e2"),
            new("number as string", "12", Json: "\"12\"", WireValid: true),
            new("words", "twelve"),
            new("empty", ""),
            new("nul", "1\0"),
            new("hex", "0x10", Json: "0x10"),
            new("leading plus", "+1", Json: "+1", WireValid: true),
            new("NaN", "NaN", Json: "NaN"),
            new("true", "true", Json: "true"),
            new("object", null, Json: "{}", Wire: "%7B%7D"),
            new("array", null, Json: "[1]", Wire: "1&x=2", WireValid: true),
        ],
        InputKind.Boolean =>
        [
            new("maybe", "maybe"),
            new("empty", ""),
            new("one", "1", Json: "1"),
            new("string true", "yes", Json: "\"true\""),
            new("nul", "true\0"),
            new("sql", SqlOr),
            new("object", null, Json: "{}", Wire: "%7B%7D"),
            new("array", null, Json: "[true]", Wire: "x&y=true"),
        ],
        InputKind.Guid =>
        [
            new("not a guid", "not-a-guid"),
            new("empty", ""),
            new("zero guid", "00000000-0000-0000-0000-000000000000"),
            new("unknown guid", "6f9619ff-8b86-d011-b42d-00c04fc964ff"),
            new("too long", "6f9619ff-8b86-d011-b42d-00c04fc964ff0"),
            new("sql", SqlOr),
            new("number", null, Json: "42", Wire: "42"),
        ],
        InputKind.Date =>
        [
            new("word", "yesterday"),
            new("month 13", "2026-13-01"),
            new("february 30", "2026-02-30"),
            new("day zero", "2026-01-00"),
            new("first day", "0001-01-01", Valid: true),
            new("last day", "9999-12-31", Valid: true),
            new("slashes", "2026/01/01"),
            new("with time", "2026-01-01T25:00:00"),
            new("number", "1e309"),
            new("sql", SqlOr),
            new("nul", "2026-01-01\0"),
            new("10 KB", new string('9', 10_240)),
        ],
        InputKind.Spec =>
        [
            new("unknown", "GOLD-99Y"),
            new("lower case", "std-1y", Valid: true),
            new("sql", SqlDrop),
            new("script", Script),
            new("nul", "STD-1Y\0"),
            new("empty", ""),
            new("lone surrogate", null, Json: "\"STD\\ud800\"", Wire: "STD%ED%A0%80"),
            new("1 MB", OneMegabyte),
            .. WrongJsonTypes(number: true),
        ],
        InputKind.DataCenter =>
        [
            new("unknown", "mars-north"),
            new("sql", SqlOr),
            new("nul", "cn-east\0"),
            new("script", Script),
            new("empty", ""),
            new("lone surrogate", null, Json: "\"cn\\udc00\"", Wire: "cn%ED%B0%80"),
            new("1 MB", OneMegabyte),
            .. WrongJsonTypes(number: true),
        ],
        InputKind.OrderId =>
        [
            new("sql drop", SqlDrop, Valid: true),
            new("script tag", Script, Valid: true),
            new("emoji", "order-😀", Valid: true),
            new("129 characters", new string('o', 129)),
            .. InvalidText(128).Where(v => v.Label is not ("over max")),
            .. WrongJsonTypes(number: true),
        ],
        InputKind.RequestId =>
        [
            new("65 characters", new string('r', 65)),
            new("nul", "req\0"),
            new("bell", "req\u0007"),
            new("empty", ""),
            new("1 KB", new string('r', 1024)),
            new("sql", SqlDrop, Valid: true),
            new("script", Script, Valid: true),
        ],
        InputKind.Search =>
        [
            .. ValidHostileText,
            new("nul", "a\0b"),
            new("bell", "a\u0007"),
            new("like wildcards", "%_%", Valid: true),
            new("backslash", "\\", Valid: true),
            new("invalid utf-8", null, Wire: "%FF%FE", WireValid: true),
            new("lone surrogate", null, Wire: "%ED%A0%80", WireValid: true),
            new("bad escape", null, Wire: "%G1%", WireValid: true),
            new("10 KB", new string('s', 10_240)),
        ],
        InputKind.ReturnUrl =>
        [
            new("absolute elsewhere", "https://evil.example/", Valid: true),
            new("protocol relative", "//evil.example/", Valid: true),
            new("backslash", "/\\evil.example", Valid: true),
            new("javascript", "javascript:alert(1)", Valid: true),
            new("header injection", "/\r\nSet-Cookie: x=1", Valid: true),
            new("nul", "/\0", Valid: true),
            new("10 KB", "/" + new string('u', 10_240), Valid: true),
        ],
        InputKind.Choice =>
        [
            new("unknown", "sometimes"),
            new("sql", SqlOr),
            new("nul", "lapsed\0"),
            new("script", Script),
            new("1 KB", new string('c', 1024)),
        ],
        InputKind.RouteNumber =>
        [
            new("zero", "0"),
            new("negative", "-1"),
            new("long max", long.MaxValue.ToString(CultureInfo.InvariantCulture)),
            new("long overflow", "9223372036854775808"),
            new("1e309", "1e309"),
            new("words", "abc"),
            new("sql", SqlOr),
            new("nul", "1\0"),
            new("guid", "6f9619ff-8b86-d011-b42d-00c04fc964ff"),
        ],
        InputKind.RouteText =>
        [
            new("unknown", "no-such-thing"),
            new("65 characters", new string('k', 65)),
            new("sql drop", SqlDrop),
            new("sql or", SqlOr),
            new("script", Script),
            new("nul", "x\0"),
            new("encoded slash", "a/b"),
            new("dots", "..."),
            new("unicode", "灯😀"),
            new("invalid utf-8", null, Wire: "%FF%FE"),
            new("lone surrogate", null, Wire: "%ED%A0%80"),
            new("10 KB", new string('k', 10_240)),
        ],
        InputKind.ConnectionList =>
        [
            new("empty list", null, Json: "[]"),
            new("1,001 entries", null, Json: Entries(1001, UnknownEntry)),
            new("json string", null, Json: "\"connections\""),
            new("json number", null, Json: "42"),
            new("json object", null, Json: UnknownEntry),
            new("entry a number", null, Valid: true, Json: "[1]"),
            new("entry null", null, Valid: true, Json: "[null]"),
            new("entry empty", null, Valid: true, Json: "[{}]"),
            new("entry members null", null, Valid: true, Json: "[{\"productKey\":null,\"deviceKey\":null,\"dataCenter\":null}]"),
            new("entry members numbers", null, Valid: true, Json: "[{\"productKey\":1,\"deviceKey\":2,\"dataCenter\":3}]"),
            new("entry extra member", null, Valid: true, Json: "[{\"productKey\":\"pk\",\"deviceKey\":\"dk\",\"dataCenter\":\"cn-east\",\"x\":1}]"),
            new("entry hostile keys", null, Valid: true,
                Json: $"[{{\"productKey\":{JsonString(SqlDrop)},\"deviceKey\":{JsonString(Script)},\"dataCenter\":{JsonString(SqlOr)}}}]"),
            new("entry unknown product", null, Valid: true, Json: $"[{UnknownEntry}]"),
            new("1,000 entries", null, Valid: true, Json: Entries(1000, UnknownEntry)),
        ],
        InputKind.Checkbox =>
        [
            new("ticked", "true", Valid: true),
            new("unticked word", "maybe", Valid: true),
            new("sql", SqlOr, Valid: true),
        ],
        InputKind.ProductKeyList =>
        [
            new("all products (empty)", null, Valid: true, Json: "[]"),
            new("all products (null)", null, Valid: true, Json: "null"),
            new("unknown product", "no-such-product", Json: "[\"no-such-product\"]"),
            new("json string", null, Json: "\"pk\""),
            new("json number", null, Json: "42"),
            new("json object", null, Json: "{}"),
            new("entry a number", null, Json: "[1]"),
            new("entry null", null, Json: "[null]"),
            new("entry sql", SqlOr, Json: $"[{JsonString(SqlOr)}]"),
            new("entry script", Script, Json: $"[{JsonString(Script)}]"),
            new("entry nul", "pk\0", Json: "[\"pk\\u0000\"]"),
            new("1,001 entries", null, Json: "[" + string.Join(',', Enumerable.Repeat("\"no-such-product\"", 1001)) + "]"),
        ],
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    private const string UnknownEntry = "{\"productKey\":\"no-such-product\",\"deviceKey\":\"dk-1\",\"dataCenter\":\"cn-east\"}";

    private static string Entries(int count, string entry) => "[" + string.Join(',', Enumerable.Repeat(entry, count)) + "]";

    /// <summary>JSON values of the wrong type, for a member of a JSON body (forms and queries have no types).</summary>
    public static IEnumerable<InputValue> WrongJsonTypes(bool number) =>
    [
        .. number ? [new InputValue("json number", null, Json: "42")] : Array.Empty<InputValue>(),
        new("json true", null, Json: "true"),
        new("json object", null, Json: "{\"a\":1}"),
        new("json array", null, Json: "[\"a\"]"),
    ];

    /// <summary>A JSON string literal: quotes, backslashes and control characters escaped, the rest sent as UTF-8.</summary>
    public static string JsonString(string value)
    {
        var json = new StringBuilder(value.Length + 2).Append('"');
        foreach (var c in value)
        {
            _ = c switch
            {
                '"' => json.Append("\\\""),
                '\\' => json.Append("\\\\"),
                _ when c < ' ' => json.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}"),
                _ => json.Append(c),
            };
        }

        return json.Append('"').ToString();
    }
}
