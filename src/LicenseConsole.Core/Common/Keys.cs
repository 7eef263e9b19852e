using System.Net.Mail;
using System.Security.Cryptography;
using System.Text.RegularExpressions;

namespace LicenseConsole.Common;

/// <summary>
/// Normalisation and validation of the identifiers people and machines type: product keys, device keys
/// and emails are compared case-insensitively, so they are stored lower-cased.
/// </summary>
public static partial class Keys
{
    public const int MaxKeyLength = 64;
    public const int MaxEmailLength = 256;

    private const string KeyAlphabet = "abcdefghijklmnopqrstuvwxyz0123456789";

    public static string Normalize(string value) => value.Trim().ToLowerInvariant();

    /// <summary>Letters, digits, '-', '_', '.', ':' (MAC addresses and IMEIs fit); 1 to 64 characters.</summary>
    public static bool IsValidKey(string? value) =>
        value is not null && value.Length is > 0 and <= MaxKeyLength && KeyPattern().IsMatch(value);

    /// <summary>
    /// The normalised form of a key someone names to look a product or device up, or null when no key can
    /// look like it: then nothing can match, and the database is not asked (it refuses a NUL outright).
    /// </summary>
    public static string? NormalizeLookup(string? value)
    {
        var key = Normalize(value ?? "");
        return IsValidKey(key) ? key : null;
    }

    /// <summary>A new product key: "pk" and ten random lower-case letters or digits.</summary>
    public static string NewProductKey() => "pk" + RandomNumberGenerator.GetString(KeyAlphabet, 10);

    public static bool IsValidEmail(string? value)
    {
        if (string.IsNullOrWhiteSpace(value) || value.Length > MaxEmailLength || value.Any(char.IsControl))
        {
            return false;
        }

        // MailAddress accepts display names ("A <a@b>"); only a bare address that round-trips counts.
        return MailAddress.TryCreate(value, out var address)
            && address.Address == value
            && value.IndexOf('@') is > 0 and var at
            && value[(at + 1)..].Contains('.', StringComparison.Ordinal);
    }

    [GeneratedRegex("^[A-Za-z0-9_.:-]+$", RegexOptions.CultureInvariant)]
    private static partial Regex KeyPattern();
}
