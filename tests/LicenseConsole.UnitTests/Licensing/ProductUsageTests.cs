using LicenseConsole.Licensing;

namespace LicenseConsole.UnitTests.Licensing;

public sealed class ProductUsageTests
{
    [Theory]
    [InlineData(50, 12, 24.0, 76.0)]
    [InlineData(3, 1, 33.33, 66.67)]
    [InlineData(3, 2, 66.66, 33.34)]
    [InlineData(100_000, 99_999, 99.99, 0.01)]
    [InlineData(10, 10, 100.0, 0.0)]
    public void Percentages_AnyPoolSize_ShareOfThatProductsLicensesAddingUpToAHundred(long total, long used, double usedPercent, double remainingPercent)
    {
        var usage = new ProductUsage("pk-a", "A", total, used);

        Assert.Equal((usedPercent, remainingPercent), (usage.UsedPercent, usage.RemainingPercent));
        Assert.Equal(100.0, usage.UsedPercent + usage.RemainingPercent, 6);
    }

    [Fact]
    public void Percentages_NoLicenses_Zero()
    {
        var usage = new ProductUsage("pk-a", "A", 0, 0);

        Assert.Equal((0.0, 0.0), (usage.UsedPercent, usage.RemainingPercent));
    }

    [Fact]
    public void Capped_FewerListedThanHoldLicenses_True()
    {
        Assert.True(new UsageByProduct([new ProductUsage("pk-a", "A", 1, 0)], 2).Capped);
        Assert.False(new UsageByProduct([new ProductUsage("pk-a", "A", 1, 0)], 1).Capped);
    }
}
