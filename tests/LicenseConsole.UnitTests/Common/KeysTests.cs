using LicenseConsole.Common;

namespace LicenseConsole.UnitTests.Common;

public sealed class KeysTests
{
    [Theory]
    [InlineData("  PkAbC  ", "pkabc")]
    [InlineData("Demo@Example.COM", "demo@example.com")]
    public void Normalize_MixedCaseWithSpaces_TrimsAndLowerCases(string input, string expected) =>
        Assert.Equal(expected, Keys.Normalize(input));

    [Theory]
    [InlineData("pk1", true)]
    [InlineData("AA:BB:CC:00:11:22", true)]
    [InlineData("imei-860000000000001", true)]
    [InlineData("dev_1.2", true)]
    [InlineData("", false)]
    [InlineData("has space", false)]
    [InlineData("semi;colon", false)]
    [InlineData("<script>", false)]
    [InlineData("ключ", false)]
    [InlineData(null, false)]
    public void IsValidKey_Examples_MatchTheAllowedAlphabet(string? key, bool expected) =>
        Assert.Equal(expected, Keys.IsValidKey(key));

    [Fact]
    public void IsValidKey_SixtyFiveCharacters_IsRefused()
    {
        Assert.True(Keys.IsValidKey(new string('a', 64)));
        Assert.False(Keys.IsValidKey(new string('a', 65)));
    }

    [Fact]
    public void NewProductKey_Always_IsAValidLowerCaseKeyStartingWithPk()
    {
        var keys = Enumerable.Range(0, 200).Select(_ => Keys.NewProductKey()).ToList();

        Assert.All(keys, k =>
        {
            Assert.StartsWith("pk", k, StringComparison.Ordinal);
            Assert.Equal(12, k.Length);
            Assert.True(Keys.IsValidKey(k));
            Assert.Equal(k, Keys.Normalize(k));
        });
        Assert.Equal(keys.Count, keys.Distinct().Count());
    }

    [Theory]
    [InlineData("ops@example.com", true)]
    [InlineData("li.wei+alerts@iot.example.cn", true)]
    [InlineData("no-at-sign", false)]
    [InlineData("a@b", false)]
    [InlineData("Ops <ops@example.com>", false)]
    [InlineData("ops@example.com\r\nBcc: x@evil.example", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void IsValidEmail_Examples_AcceptOnlyBareAddresses(string? email, bool expected) =>
        Assert.Equal(expected, Keys.IsValidEmail(email));
}
