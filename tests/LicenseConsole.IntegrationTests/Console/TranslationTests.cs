using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace LicenseConsole.IntegrationTests.Console;

/// <summary>Every English text the console shows has its Chinese: a missing entry would show English on a Chinese page.</summary>
public sealed partial class TranslationTests
{
    [Fact]
    public void ChineseResources_EveryTextTheViewsAndControllersUse_IsTranslated()
    {
        var web = Path.Combine(RepositoryRoot(), "src", "LicenseConsole.Web");
        var resx = XDocument.Load(Path.Combine(web, "Resources", "Localization", "ConsoleText.zh-CN.resx"));
        var translated = resx.Root!.Elements("data")
            .Where(d => !string.IsNullOrWhiteSpace(d.Element("value")?.Value))
            .Select(d => d.Attribute("name")!.Value)
            .ToHashSet(StringComparer.Ordinal);

        var used = Directory.EnumerateFiles(web, "*.*", SearchOption.AllDirectories)
            .Where(f => (f.EndsWith(".cshtml", StringComparison.Ordinal) || f.EndsWith(".cs", StringComparison.Ordinal))
                && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .SelectMany(f => TextKey().Matches(File.ReadAllText(f)).Select(m => (File: Path.GetFileName(f), Key: m.Groups["key"].Value.Replace("\\\"", "\"", StringComparison.Ordinal))))
            .ToList();
        var missing = used.Where(u => !translated.Contains(u.Key)).Select(u => $"{u.File}: \"{u.Key}\"").Distinct().ToList();

        Assert.True(used.Count > 200, $"Only {used.Count} texts found: the scan is looking in the wrong place.");
        Assert.True(missing.Count == 0, "Texts without a Chinese translation:\n" + string.Join("\n", missing));
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "LicenseConsole.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("LicenseConsole.sln not found above " + AppContext.BaseDirectory);
    }

    // T["…"], Text["…"] and text["…"] (the localizer's names in views and controllers), and DataAnnotations messages.
    [GeneratedRegex(@"(?:\b[Tt]ext|\bT)\[\s*""(?<key>(?:[^""\\]|\\.)*)""|ErrorMessage\s*=\s*""(?<key>(?:[^""\\]|\\.)*)""")]
    private static partial Regex TextKey();
}
