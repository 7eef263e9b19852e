namespace LicenseConsole.Common;

/// <summary>Checks on free text that people type (names).</summary>
public static class Text
{
    /// <summary>Trims <paramref name="value"/> and checks it holds 1 to <paramref name="maxLength"/> printable characters.</summary>
    public static string RequireName(string? value, int maxLength, string field, string what)
    {
        var trimmed = (value ?? "").Trim();
        if (trimmed.Length == 0)
        {
            throw new DomainException(ErrorCodes.ValidationFailed, $"Enter a {what}.", field);
        }

        if (trimmed.Length > maxLength)
        {
            throw new DomainException(ErrorCodes.ValidationFailed, $"The {what} may hold at most {maxLength} characters.", field);
        }

        if (!IsPrintable(trimmed))
        {
            throw new DomainException(ErrorCodes.ValidationFailed, $"The {what} contains characters that cannot be shown.", field);
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
            throw new DomainException(ErrorCodes.ValidationFailed,
                $"The filter '{field}' takes at most {maxLength} printable characters.", field);
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
