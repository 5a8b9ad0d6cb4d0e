using Tccg.Twitch.Helix;

namespace Tccg.Twitch.Tests;

public sealed class HelixJsonTests
{
    internal static string Data(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "TestData", name));

    [Fact]
    public void ParsePage_RealClipShapes_SmoothOutTheQuirks()
    {
        var page = HelixJson.ParsePage<HelixClip>(Data("clips-quirks.json"), "clips");
        Assert.Null(page.Cursor);
        Assert.Equal(2, page.Data.Count);

        var old = page.Data[0];
        Assert.Equal(60.0, old.Duration);
        Assert.Equal("205586603", old.VideoId);
        Assert.Equal(480, old.VodOffset);
        Assert.Equal(new DateTimeOffset(2017, 11, 30, 22, 34, 18, TimeSpan.Zero), old.CreatedAt);

        var korean = page.Data[1];
        Assert.Null(korean.VideoId);
        Assert.Null(korean.VodOffset);
        Assert.Equal(27.9, korean.Duration);
        Assert.Equal("트위치", korean.BroadcasterName);
        Assert.True(korean.IsFeatured);
    }

    [Fact]
    public void ParsePage_CursorPresent_IsReturned()
    {
        var page = HelixJson.ParsePage<HelixClip>(Data("clips-page.json"), "clips");
        Assert.Equal("eyJiIjpudWxsLCJhIjp7Ik9mZnNldCI6MX19", page.Cursor);
        Assert.Equal(12.5, page.Data[0].Duration);
    }

    [Fact]
    public void ParsePage_PaginationAbsent_MeansLastPage()
    {
        var page = HelixJson.ParsePage<HelixClip>(Data("clips-no-pagination.json"), "clips");
        Assert.Null(page.Cursor);
        Assert.Empty(page.Data);
    }

    [Theory]
    [InlineData("clips-malformed.json")]
    [InlineData(null)]
    public void ParsePage_MalformedBody_ThrowsTwitchApiExceptionNamingTheEndpoint(string? file)
    {
        var body = file is null ? "<html>502 Bad Gateway</html>" : Data(file);
        var e = Assert.Throws<TwitchApiException>(() => HelixJson.ParsePage<HelixClip>(body, "clips"));
        Assert.Contains("malformed response for clips", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ParsePage_MissingRequiredField_IsMalformed()
    {
        const string body = """{"data":[{"id":"A","broadcaster_id":"1"}]}""";
        Assert.Throws<TwitchApiException>(() => HelixJson.ParsePage<HelixClip>(body, "clips"));
    }

    [Fact]
    public void ParsePage_NoDataArray_IsMalformed()
    {
        Assert.Throws<TwitchApiException>(() => HelixJson.ParsePage<HelixGame>("""{"error":"x"}""", "games"));
    }

    [Fact]
    public void ErrorMessage_HelixErrorBody_GivesItsMessage()
    {
        Assert.Equal("Invalid OAuth token",
            HelixJson.ErrorMessage("""{"error":"Unauthorized","status":401,"message":"Invalid OAuth token"}"""));
    }
}
