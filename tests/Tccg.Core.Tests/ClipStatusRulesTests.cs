using Tccg.Core.Clips;

namespace Tccg.Core.Tests;

public class ClipStatusRulesTests
{
    [Theory]
    [InlineData(ClipStatus.Found, ClipStatus.Downloaded)]
    [InlineData(ClipStatus.Found, ClipStatus.Unavailable)]
    [InlineData(ClipStatus.Found, ClipStatus.Duplicate)]
    [InlineData(ClipStatus.Downloaded, ClipStatus.Used)]
    [InlineData(ClipStatus.Downloaded, ClipStatus.Missing)]
    [InlineData(ClipStatus.Failed, ClipStatus.Downloaded)]
    [InlineData(ClipStatus.Missing, ClipStatus.Found)]
    public void CanMove_LegalMove_IsAllowed(ClipStatus from, ClipStatus to) =>
        Assert.True(ClipStatusRules.CanMove(from, to));

    [Theory]
    [InlineData(ClipStatus.Found, ClipStatus.Used)]
    [InlineData(ClipStatus.Found, ClipStatus.Missing)]
    [InlineData(ClipStatus.Unavailable, ClipStatus.Downloaded)]
    [InlineData(ClipStatus.Used, ClipStatus.Found)]
    [InlineData(ClipStatus.Duplicate, ClipStatus.Used)]
    [InlineData(ClipStatus.Downloaded, ClipStatus.Found)]
    public void CanMove_IllegalMove_IsRefused(ClipStatus from, ClipStatus to) =>
        Assert.False(ClipStatusRules.CanMove(from, to));

    [Fact]
    public void EveryStatus_HasAWayOut_ExceptNone()
    {
        foreach (var status in Enum.GetValues<ClipStatus>())
            Assert.NotEmpty(ClipStatusRules.TargetsOf(status));
    }
}
