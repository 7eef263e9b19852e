using LicenseConsole.Common;

namespace LicenseConsole.UnitTests.Common;

public sealed class PagingAndTextTests
{
    private static readonly Words ProductName = new("product name", "产品名称");

    [Fact]
    public void PageRequest_NothingGiven_IsTheFirstPageOfFifty() =>
        Assert.Equal(new PageRequest(1, 50), PageRequest.From(null, null));

    [Theory]
    [InlineData(0, 10, "page")]
    [InlineData(-1, 10, "page")]
    [InlineData(1, 0, "pageSize")]
    [InlineData(1, 501, "pageSize")]
    public void PageRequest_OutOfRange_IsRefusedNamingTheField(int page, int size, string field)
    {
        var error = Assert.Throws<DomainException>(() => PageRequest.From(page, size));

        Assert.Equal((ErrorCodes.ValidationFailed, field), (error.Code, error.Field));
    }

    [Fact]
    public void PageRequest_ThirdPageOfTwenty_SkipsForty() =>
        Assert.Equal(40, PageRequest.From(3, 20).Skip);

    [Theory]
    [InlineData("Smart Meter 智能电表", true)]
    [InlineData("emoji 🔌 plug", true)]
    [InlineData("tab\there", false)]
    [InlineData("null\0byte", false)]
    public void IsPrintable_Examples_RefuseControlCharacters(string text, bool expected) =>
        Assert.Equal(expected, Text.IsPrintable(text));

    [Fact]
    public void IsPrintable_LoneSurrogates_AreRefused()
    {
        // Built at run time: attribute constants cannot carry broken UTF-16 intact.
        Assert.False(Text.IsPrintable("lone " + (char)0xD800 + " high"));
        Assert.False(Text.IsPrintable("lone low " + (char)0xDC00));
        Assert.False(Text.IsPrintable("ends high " + (char)0xD83D));
        Assert.True(Text.IsPrintable("pair " + (char)0xD83D + (char)0xDD0C));
    }

    [Fact]
    public void RequireName_PaddedName_IsTrimmed() =>
        Assert.Equal("Door Lock", Text.RequireName("  Door Lock \n", 200, "name", ProductName));

    [Theory]
    [InlineData("   ")]
    [InlineData(null)]
    public void RequireName_Blank_IsRefused(string? name) =>
        Assert.Equal("name", Assert.Throws<DomainException>(() => Text.RequireName(name, 200, "name", ProductName)).Field);

    [Fact]
    public void RequireName_TooLong_IsRefusedNamingTheLimitInBothLanguages()
    {
        var error = Assert.Throws<DomainException>(() => Text.RequireName(new string('x', 201), 200, "name", ProductName));

        Assert.Equal(Refusals.NameTooLong, error.Refusal);
        Assert.Equal("The product name may hold at most 200 characters.", error.Message);
        Assert.Equal("产品名称最多 200 个字符。", error.Describe(new System.Globalization.CultureInfo("zh-CN")));
    }
}
