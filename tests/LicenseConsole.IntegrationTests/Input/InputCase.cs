using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace LicenseConsole.IntegrationTests.Input;

/// <summary>Who sends a case.</summary>
public enum Caller
{
    Anonymous,

    /// <summary>Account A's API key.</summary>
    AccountKey,

    PlatformKey,

    /// <summary>Account A's owner, signed in to the console (the sign-in cookie).</summary>
    Cookie,
}

/// <summary>What an accepted case must show, and what it changed in the ledger's figures.</summary>
public delegate Task AcceptedCheck(CaseAnswer answer, LedgerFigures expectedChange);

/// <summary>One malformed, boundary or hostile request to one endpoint.</summary>
public sealed class InputCase
{
    public required string Endpoint { get; init; }

    public required string Name { get; init; }

    public required string Method { get; init; }

    /// <summary>Path and query, encoded as they go on the wire.</summary>
    public required string Target { get; init; }

    public Caller Caller { get; init; } = Caller.Anonymous;

    public byte[]? Body { get; init; }

    public string? ContentType { get; init; }

    /// <summary>Form fields, encoded; the session's antiforgery token is added when <see cref="Token"/> is set.</summary>
    public IReadOnlyList<KeyValuePair<string, string>>? Form { get; init; }

    /// <summary>Extra request headers.</summary>
    public IReadOnlyList<KeyValuePair<string, string>>? Headers { get; init; }

    /// <summary>Send the antiforgery token of the caller's session (a form field for forms, a header otherwise).</summary>
    public bool Token { get; init; }

    /// <summary>The whole request as bytes over a socket, for what an HTTP client would not send (Kestrel's own parsing).</summary>
    public byte[]? Raw { get; init; }

    /// <summary>The app may accept the request (valid input, however odd); then <see cref="Check"/> runs.</summary>
    public bool MayAccept { get; init; }

    /// <summary>A console refusal must show its message beside a field of the re-rendered form.</summary>
    public bool FieldMessage { get; init; }

    public AcceptedCheck? Check { get; init; }

    /// <summary>The input this case varies (null: the request as a whole), and the value it sent there.</summary>
    public string? Field { get; init; }

    public string? Sent { get; init; }

    public override string ToString() => $"{Endpoint} · {Name}";
}

/// <summary>The answer to a case.</summary>
public sealed record CaseAnswer(InputCase Case, int Status, string? ContentType, string Body, Uri? Location)
{
    public bool Accepted => Status is >= 200 and < 400;

    public JsonElement Json()
    {
        using var document = JsonDocument.Parse(Body);
        return document.RootElement.Clone();
    }
}

/// <summary>Sends cases, over HTTP or a raw socket, and judges each answer.</summary>
public sealed partial class CaseRunner(PublishedApp app, IReadOnlyDictionary<Caller, HttpClient> clients, IReadOnlyDictionary<Caller, string> tokens)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    public async Task<CaseAnswer> SendAsync(InputCase c, CancellationToken cancellationToken)
    {
        if (c.Raw is not null)
        {
            return await SendRawAsync(c, cancellationToken);
        }

        using var request = new HttpRequestMessage(new HttpMethod(c.Method), c.Target);
        if (c.Form is not null)
        {
            var fields = c.Form.Select(f => $"{Uri.EscapeDataString(f.Key)}={f.Value}");
            if (c.Token)
            {
                fields = fields.Append($"__RequestVerificationToken={Uri.EscapeDataString(tokens[c.Caller])}");
            }

            request.Content = new ByteArrayContent(Encoding.ASCII.GetBytes(string.Join("&", fields)));
            request.Content.Headers.TryAddWithoutValidation("Content-Type", c.ContentType ?? "application/x-www-form-urlencoded");
        }
        else if (c.Body is not null)
        {
            request.Content = new ByteArrayContent(c.Body);
            if (!string.IsNullOrEmpty(c.ContentType))
            {
                request.Content.Headers.TryAddWithoutValidation("Content-Type", c.ContentType);
            }

            if (c.Token)
            {
                request.Headers.Add("RequestVerificationToken", tokens[c.Caller]);
            }
        }
        else if (c.Token)
        {
            request.Headers.Add("RequestVerificationToken", tokens[c.Caller]);
        }

        foreach (var (name, value) in c.Headers ?? [])
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        try
        {
            using var response = await clients[c.Caller].SendAsync(request, timeout.Token);
            var body = await response.Content.ReadAsStringAsync(timeout.Token);
            return new CaseAnswer(c, (int)response.StatusCode, response.Content.Headers.ContentType?.MediaType, body, response.Headers.Location);
        }
        catch (HttpRequestException) when (c.Target.Length > MaxRequestLine)
        {
            // Kestrel answers a request line over its limit with 414 and closes the connection while the client is
            // still sending the rest of the line: the client may find the connection reset before it reads the 414.
            // Either way the server refused it before the app saw it.
            return new CaseAnswer(c, (int)System.Net.HttpStatusCode.RequestUriTooLong, null, "", null);
        }
        catch (HttpRequestException) when (c.Target.StartsWith("/api/", StringComparison.Ordinal) && c.Body?.Length > LicenseConsole.Web.Hosting.ApiLimits.MaxRequestBodyBytes)
        {
            // The same for an API body over its limit: the app answers 413 and the connection closes while the client may
            // still be sending.
            return new CaseAnswer(c, (int)System.Net.HttpStatusCode.RequestEntityTooLarge, null, "", null);
        }
    }

    /// <summary>Kestrel's default limit of a request line (method, target, version).</summary>
    private const int MaxRequestLine = 8 * 1024;

    /// <summary>The reasons the answer is wrong (none: it is right).</summary>
    public static IEnumerable<string> Judge(CaseAnswer answer)
    {
        var c = answer.Case;
        if (answer.Status >= 500)
        {
            yield return $"answered {answer.Status}";
            yield break;
        }

        if (answer.Accepted)
        {
            if (!c.MayAccept)
            {
                yield return $"was accepted ({answer.Status})";
            }

            yield break;
        }

        if (answer.Status is < 400 and >= 200)
        {
            yield break;
        }

        if (answer.Status is < 400 or >= 500)
        {
            yield return $"answered {answer.Status}";
            yield break;
        }

        // Kestrel refuses a malformed request (a NUL in the path, a request line over 8 KB) before the app sees
        // it, with an empty body and no content type: nothing more to ask of it.
        if (answer.Status is 400 or 413 or 414 or 431 && answer.Body.Length == 0 && answer.ContentType is null)
        {
            yield break;
        }

        if (c.Target.StartsWith("/api/", StringComparison.Ordinal))
        {
            foreach (var fault in ProblemFaults(answer))
            {
                yield return fault;
            }
        }
        else if (c.FieldMessage && answer.Status == 400 && !FieldMessagePattern().IsMatch(answer.Body))
        {
            yield return "was refused (400) without a message beside a field";
        }
    }

    private static IEnumerable<string> ProblemFaults(CaseAnswer answer)
    {
        if (answer.ContentType != "application/problem+json")
        {
            yield return $"refused ({answer.Status}) as {answer.ContentType ?? "no content type"}, not problem+json: {Shorten(answer.Body)}";
            yield break;
        }

        JsonElement problem;
        try
        {
            problem = answer.Json();
        }
        catch (JsonException)
        {
            problem = default;
        }

        if (problem.ValueKind != JsonValueKind.Object)
        {
            yield return $"refused ({answer.Status}) with a body that is not a JSON object: {Shorten(answer.Body)}";
            yield break;
        }

        if (!problem.TryGetProperty("code", out var code) || code.ValueKind != JsonValueKind.String || !CodePattern().IsMatch(code.GetString()!))
        {
            yield return $"refused ({answer.Status}) without a stable code: {Shorten(answer.Body)}";
        }

        var hasDetail = problem.TryGetProperty("detail", out var detail) && detail.ValueKind == JsonValueKind.String && detail.GetString()!.Trim().Length > 0;
        var hasErrors = problem.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Object && errors.EnumerateObject().Any();
        if (!hasDetail && !hasErrors)
        {
            yield return $"refused ({answer.Status}) without a detail or errors: {Shorten(answer.Body)}";
        }
    }

    private async Task<CaseAnswer> SendRawAsync(InputCase c, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(app.BaseAddress.Host, app.BaseAddress.Port, timeout.Token);
        await using var stream = tcp.GetStream();
        await stream.WriteAsync(c.Raw, timeout.Token);
        using var buffer = new MemoryStream();
        await stream.CopyToAsync(buffer, timeout.Token);
        var text = Encoding.UTF8.GetString(buffer.ToArray());
        var head = text.Split("\r\n\r\n", 2);
        if (head.Length > 1 && Regex.IsMatch(head[0], "(?im)^Transfer-Encoding:\\s*chunked"))
        {
            head[1] = Unchunk(head[1]);
        }

        var status = StatusLinePattern().Match(head[0]);
        Assert.True(status.Success, $"{c}: no HTTP status line in the answer: {Shorten(text)}");
        var contentType = Regex.Match(head[0], @"(?im)^Content-Type:\s*([^;\r\n]+)").Groups[1].Value;
        return new CaseAnswer(c, int.Parse(status.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture),
            contentType.Length == 0 ? null : contentType.Trim(), head.Length > 1 ? head[1] : "", null);
    }

    private static string Unchunk(string body)
    {
        var text = new StringBuilder();
        var rest = body;
        while (rest.IndexOf("\r\n", StringComparison.Ordinal) is var end and > 0
            && int.TryParse(rest[..end], System.Globalization.NumberStyles.HexNumber, System.Globalization.CultureInfo.InvariantCulture, out var size) && size > 0)
        {
            var chunk = Encoding.UTF8.GetBytes(rest[(end + 2)..]);
            var piece = Encoding.UTF8.GetString(chunk, 0, Math.Min(size, chunk.Length));
            text.Append(piece);
            rest = rest[(end + 2 + piece.Length)..].TrimStart('\r', '\n');
        }

        return text.ToString();
    }

    public static string Shorten(string text) => text.Length <= 300 ? text : text[..300] + "…";

    [GeneratedRegex("^[a-z]+(_[a-z]+)*$")]
    private static partial Regex CodePattern();

    [GeneratedRegex("^HTTP/1\\.[01] (\\d{3})")]
    private static partial Regex StatusLinePattern();

    // A message beside a field: a validation span (MVC's, or one marked "…-error") with its text, the field marked invalid, or the form's summary.
    [GeneratedRegex("field-validation-error[^\"]*\"[^>]*>\\s*[^<\\s]|data-testid=\"[a-z-]+-error\"[^>]*>\\s*[^<\\s]|class=\"[^\"]*is-invalid|validation-summary-errors")]
    private static partial Regex FieldMessagePattern();
}
