namespace LicenseConsole.Web.Localization;

/// <summary>
/// The console's words. Keys are the English text; Resources/ConsoleText.zh-CN.resx holds the Chinese.
/// English needs no resource file: a key is its own translation.
/// </summary>
public sealed class ConsoleText
{
    public const string Chinese = "zh-CN";
    public const string English = "en";

    public static readonly string[] Cultures = [Chinese, English];
}
