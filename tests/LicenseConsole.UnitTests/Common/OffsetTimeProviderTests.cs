using LicenseConsole.Common;
using Microsoft.Extensions.Time.Testing;

namespace LicenseConsole.UnitTests.Common;

public sealed class OffsetTimeProviderTests
{
    [Fact]
    public void GetUtcNow_WithOffset_RunsAheadOfTheInnerClock()
    {
        var inner = new FakeTimeProvider(new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero));
        var clock = new OffsetTimeProvider(inner, TimeSpan.FromDays(400));

        Assert.Equal(new DateTimeOffset(2027, 4, 5, 0, 0, 0, TimeSpan.Zero), clock.GetUtcNow());

        inner.Advance(TimeSpan.FromHours(1));
        Assert.Equal(new DateTimeOffset(2027, 4, 5, 1, 0, 0, TimeSpan.Zero), clock.GetUtcNow());
    }
}
