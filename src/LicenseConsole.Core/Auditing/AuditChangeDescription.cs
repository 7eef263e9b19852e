using System.Globalization;
using System.Text.Json;

namespace LicenseConsole.Auditing;

/// <summary>The words an audit entry's change is told in, in the reader's language (the console's translations).</summary>
public interface IAuditWords
{
    /// <summary>The name of a field <paramref name="action"/> records, or null for a field without one (its raw name is shown).</summary>
    string? Field(string action, string field);

    /// <summary>"On" or "Off", for a switch such as auto-renew.</summary>
    string Switch(bool on);

    /// <summary>"Yes" or "No", for any other flag.</summary>
    string YesOrNo(bool yes);

    /// <summary>A role as recorded ("operator"), in words; a role without words as recorded.</summary>
    string Role(string role);

    /// <summary>What a scope without product keys means: every product.</summary>
    string AllProducts { get; }

    /// <summary>An instant, in the account's time zone.</summary>
    string Time(DateTime utc);

    /// <summary>A field and its value: "Auto-renew: On" (the separator differs between languages).</summary>
    string Labelled(string label, string value);
}

/// <summary>
/// What an audit entry changed, in words, built from the JSON it recorded before and after: "Auto-renew: On → Off"
/// for a change (only the fields that changed), the fields of what was created or removed ("Name: Door Lock"). A field
/// without words shows its raw name, and JSON that is not an object is shown as recorded: the log never fails to show.
/// </summary>
public static class AuditChangeDescription
{
    /// <summary>Between the parts of one description, where they are read on one line.</summary>
    public const string Separator = " · ";

    private const string Arrow = " → ";
    private const string Nothing = "—";

    // Fields that only restate the action ("Changed the password" needs no "Password changed: Yes").
    private static readonly HashSet<string> Restating = ["revoked", "passwordChanged", "passwordSet"];

    private static readonly HashSet<string> Switches = ["autoRenew"];
    private static readonly HashSet<string> Times = ["expiresAt", "lockedUntil"];

    /// <summary>The entry's change as parts ("Auto-renew: On → Off", "Quantity: 10"), in the order the entry recorded them.</summary>
    public static IReadOnlyList<string> Describe(string action, string? before, string? after, IAuditWords words)
    {
        var old = Read(before);
        var now = Read(after);
        if (old is { Fields: null } || now is { Fields: null })
        {
            // Not the objects the audit trail writes: show what was recorded rather than guess.
            return [string.Join(Arrow, new[] { before, after }.Where(s => !string.IsNullOrWhiteSpace(s)))];
        }

        var oldFields = old?.Fields ?? new Dictionary<string, JsonElement>();
        var newFields = now?.Fields ?? new Dictionary<string, JsonElement>();
        var names = newFields.Keys.Concat(oldFields.Keys).Distinct().Where(n => !Restates(n, oldFields, newFields)).ToList();
        var changed = old is null || now is null
            ? names
            : names.Where(n => !(oldFields.TryGetValue(n, out var o) && newFields.TryGetValue(n, out var v) && JsonElement.DeepEquals(o, v))).ToList();
        if (changed.Count == 0 && old is not null && now is not null)
        {
            // Switched to what it already was: say what it is.
            changed = [.. newFields.Keys.Where(n => !Restates(n, oldFields, newFields))];
            oldFields = new Dictionary<string, JsonElement>();
        }

        return [.. changed.Select(n => words.Labelled(words.Field(action, n) ?? n, Change(n, oldFields, newFields, words)))];
    }

    private static string Change(string name, Dictionary<string, JsonElement> before, Dictionary<string, JsonElement> after, IAuditWords words) =>
        (before.TryGetValue(name, out var old), after.TryGetValue(name, out var now)) switch
        {
            (true, true) => Value(name, old, words) + Arrow + Value(name, now, words),
            (true, false) => Value(name, old, words),
            _ => Value(name, now, words),
        };

    private static bool Restates(string name, Dictionary<string, JsonElement> before, Dictionary<string, JsonElement> after) =>
        Restating.Contains(name)
        && (!before.TryGetValue(name, out var old) || old.ValueKind == JsonValueKind.True)
        && (!after.TryGetValue(name, out var now) || now.ValueKind == JsonValueKind.True);

    private static string Value(string name, JsonElement value, IAuditWords words) => value.ValueKind switch
    {
        JsonValueKind.Null or JsonValueKind.Undefined when name == "productKeys" => words.AllProducts,
        JsonValueKind.Array when name == "productKeys" && value.GetArrayLength() == 0 => words.AllProducts,
        JsonValueKind.Null or JsonValueKind.Undefined => Nothing,
        JsonValueKind.True or JsonValueKind.False when Switches.Contains(name) => words.Switch(value.GetBoolean()),
        JsonValueKind.True or JsonValueKind.False => words.YesOrNo(value.GetBoolean()),
        JsonValueKind.String when name == "role" => words.Role(value.GetString()!),
        JsonValueKind.String when Times.Contains(name) && value.TryGetDateTime(out var at) => words.Time(at.Kind == DateTimeKind.Local ? at.ToUniversalTime() : DateTime.SpecifyKind(at, DateTimeKind.Utc)),
        JsonValueKind.String => value.GetString()!,
        JsonValueKind.Number when value.TryGetInt64(out var number) => number.ToString("N0", CultureInfo.InvariantCulture),
        JsonValueKind.Array => string.Join(", ", value.EnumerateArray().Select(v => Value("", v, words))),
        _ => value.GetRawText(),
    };

    /// <summary>Null when nothing was recorded; <see cref="Recorded.Fields"/> null when what was recorded is not a JSON object.</summary>
    private static Recorded? Read(string? json)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Null)
            {
                return null;
            }

            if (root.ValueKind != JsonValueKind.Object)
            {
                return new Recorded(null);
            }

            var fields = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
            foreach (var property in root.EnumerateObject())
            {
                fields.TryAdd(property.Name, property.Value.Clone());
            }

            return new Recorded(fields);
        }
        catch (JsonException)
        {
            return new Recorded(null);
        }
    }

    private sealed record Recorded(Dictionary<string, JsonElement>? Fields);
}
