using System.Globalization;
using System.Text.RegularExpressions;

namespace LicenseConsole.Common;

/// <summary>
/// One reason the rules refuse a request: its stable <see cref="Code"/> (the API's problem+json <c>code</c>),
/// the HTTP <see cref="Status"/> the API answers, the input it concerns (<see cref="Field"/>, null for the
/// request as a whole) and its words in English and Chinese, with <c>{name}</c> placeholders filled from the
/// refusal's details. Every refusal is an entry of <see cref="Refusals"/>; nothing else words one.
/// </summary>
public sealed partial record Refusal(string Code, int Status, string? Field, string English, string Chinese)
{
    /// <summary>The exception that carries this refusal; <paramref name="details"/> fill the placeholders.</summary>
    public DomainException Error(params (string Name, object Value)[] details) =>
        new(this, details.ToDictionary(d => d.Name, d => d.Value), Field);

    /// <summary>The same, for a refusal whose field is named by the caller (one check used for several inputs).</summary>
    public DomainException ErrorFor(string? field, params (string Name, object Value)[] details) =>
        new(this, details.ToDictionary(d => d.Name, d => d.Value), field);

    /// <summary>The words in <paramref name="culture"/>'s language (Chinese for zh-*, English otherwise).</summary>
    public string Describe(IReadOnlyDictionary<string, object> details, CultureInfo culture)
    {
        var chinese = Words.IsChinese(culture);
        return Placeholder().Replace(chinese ? Chinese : English, m =>
            details.TryGetValue(m.Groups[1].Value, out var value) ? Format(value, chinese, culture) : m.Value);
    }

    /// <summary>The placeholders the words use: a refusal raised without one of them is a mistake a test finds.</summary>
    public IReadOnlySet<string> Placeholders() =>
        Placeholder().Matches(English).Concat(Placeholder().Matches(Chinese)).Select(m => m.Groups[1].Value).ToHashSet();

    private static string Format(object value, bool chinese, CultureInfo culture) => value switch
    {
        Words words => chinese ? words.Chinese : words.English,
        int or long => ((IFormattable)value).ToString("N0", culture),
        IFormattable formattable => formattable.ToString(null, culture),
        _ => value.ToString() ?? "",
    };

    [GeneratedRegex(@"\{([A-Za-z]+)\}")]
    private static partial Regex Placeholder();
}

/// <summary>A word or phrase in both languages: a refusal's placeholder (which field, which thing), a role, a spec's name.</summary>
public sealed record Words(string English, string Chinese)
{
    /// <summary>The words in <paramref name="culture"/>'s language (Chinese for zh-*, English otherwise).</summary>
    public string In(CultureInfo culture) => IsChinese(culture) ? Chinese : English;

    public static bool IsChinese(CultureInfo culture) => culture.TwoLetterISOLanguageName == "zh";
}
