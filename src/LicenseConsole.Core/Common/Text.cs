namespace LicenseConsole.Common;

/// <summary>Checks on free text that people type (names).</summary>
public static class Text
{
    /// <summary>Trims <paramref name="value"/> and checks it holds 1 to <paramref name="maxLength"/> printable characters.</summary>
    public static string RequireName(string? value, int maxLength, string field, Words what)
    {
        var trimmed = (value ?? "").Trim();
        if (trimmed.Length == 0)
        {
            throw Refusals.NameMissing.ErrorFor(field, ("what", what));
        }

        if (trimmed.Length > maxLength)
        {
            throw Refusals.NameTooLong.ErrorFor(field, ("what", what), ("max", maxLength));
        }

        if (!IsPrintable(trimmed))
        {
            throw Refusals.NameNotPrintable.ErrorFor(field, ("what", what));
        }

        return trimmed;
    }

    /// <summary>
    /// Checks the text of a search or a filter: trimmed, at most <paramref name="maxLength"/> printable
    /// characters, or null when empty. A control character or broken UTF-16 cannot match anything a person
    /// typed, and the database would refuse it.
    /// </summary>
    public static string? RequireFilter(string? value, int maxLength, string field)
    {
        var trimmed = value?.Trim();
        if (string.IsNullOrEmpty(trimmed))
        {
            return null;
        }

        if (trimmed.Length > maxLength || !IsPrintable(trimmed))
        {
            throw Refusals.FilterInvalid.ErrorFor(field, ("max", maxLength));
        }

        return trimmed;
    }

    /// <summary>No control characters and no broken UTF-16 (lone surrogates).</summary>
    public static bool IsPrintable(string value)
    {
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (char.IsControl(c) || char.IsLowSurrogate(c))
            {
                return false;
            }

            if (char.IsHighSurrogate(c))
            {
                if (i + 1 >= value.Length || !char.IsLowSurrogate(value[i + 1]))
                {
                    return false;
                }

                i++;
            }
        }

        return true;
    }
}
