using System.Globalization;
using System.Text.RegularExpressions;
using LicenseConsole.Common;

namespace LicenseConsole.UnitTests.Common;

/// <summary>The refusal catalogue: every entry complete in both languages, one status per code, and the only source of refusals.</summary>
public sealed partial class RefusalsTests
{
    private static readonly CultureInfo Chinese = new("zh-CN");

    public static TheoryData<string> Entries => [.. typeof(Refusals).GetFields().Where(f => f.FieldType == typeof(Refusal)).Select(f => f.Name)];

    [Theory]
    [MemberData(nameof(Entries))]
    public void Entry_HasACodeAStatusAndWordsInBothLanguagesWithTheSamePlaceholders(string name)
    {
        var refusal = (Refusal)typeof(Refusals).GetField(name)!.GetValue(null)!;

        Assert.Matches("^[a-z]+(_[a-z]+)*$", refusal.Code);
        Assert.InRange(refusal.Status, 400, 599);
        Assert.False(string.IsNullOrWhiteSpace(refusal.English));
        Assert.Matches(@"\p{IsCJKUnifiedIdeographs}", refusal.Chinese);
        Assert.Equal(Placeholders(refusal.English), Placeholders(refusal.Chinese));
    }

    [Fact]
    public void Codes_EachMeansOneStatus()
    {
        var mixed = Refusals.All.GroupBy(r => r.Code).Where(g => g.Select(r => r.Status).Distinct().Count() > 1).Select(g => g.Key).ToList();

        Assert.True(Refusals.All.Count > 50, $"Only {Refusals.All.Count} entries found.");
        Assert.Empty(mixed);
    }

    [Fact]
    public void Describe_FillsNumbersWordsAndTextInTheCallersLanguage()
    {
        var error = Refusals.InsufficientLicenses.Error(("available", 1200L), ("requested", 5000), ("spec", "STD-1Y"));
        var name = Refusals.NameMissing.ErrorFor("name", ("what", new Words("product name", "产品名称")));

        Assert.Equal("Only 1,200 unallocated STD-1Y licenses are left; you asked for 5,000.", error.Message);
        Assert.Equal("未分配的 STD-1Y 激活码只剩 1,200 个，无法分配 5,000 个。", error.Describe(Chinese));
        Assert.Equal(("Enter a product name.", "请输入产品名称。", "name"), (name.Message, name.Describe(Chinese), name.Field));
    }

    [Fact]
    public void Error_TakesTheEntrysCodeStatusAndField()
    {
        var error = Refusals.ProductNotFound.Error();

        Assert.Equal((ErrorCodes.ProductNotFound, 404, "productKey"), (error.Code, error.Status, error.Field));
    }

    [Fact]
    public void Sources_BuildRefusalsOnlyInTheCatalogue()
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(root.FullName, "LicenseConsole.sln")))
        {
            root = root.Parent ?? throw new InvalidOperationException("LicenseConsole.sln not found");
        }

        var sources = Directory.EnumerateFiles(Path.Combine(root.FullName, "src"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .ToList();
        var elsewhere = sources
            .Where(f => Path.GetFileName(f) is not ("Refusals.cs" or "Refusal.cs") && NewRefusal().IsMatch(File.ReadAllText(f)))
            .Select(Path.GetFileName)
            .ToList();

        Assert.True(sources.Count > 100, $"Only {sources.Count} source files found: the scan is looking in the wrong place.");
        Assert.Empty(elsewhere);
    }

    private static string[] Placeholders(string words) => [.. Placeholder().Matches(words).Select(m => m.Value).Order(StringComparer.Ordinal)];

    [GeneratedRegex(@"\{[A-Za-z]+\}")]
    private static partial Regex Placeholder();

    [GeneratedRegex(@"new\s+(Refusal|DomainException)\s*\(|new\s*\(\s*ErrorCodes\.")]
    private static partial Regex NewRefusal();
}
