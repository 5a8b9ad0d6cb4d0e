using Tccg.Twitch.Gql;

namespace Tccg.Twitch.Tests;

public sealed class ClipUrlParseTests
{
    private const string Hash = "abc123";

    [Fact]
    public void Parse_Ready_PrefersLandscapeAndTheHighestQualityWithAUrl()
    {
        var result = Assert.IsType<ClipUrlResult.Ready>(ClipUrlResolver.Parse(HelixJsonTests.Data("gql-ready.json"), "c", Hash));
        Assert.Equal("720", result.Quality);
        Assert.StartsWith("https://production.assets.clips.twitchcdn.net/v2/media/l/720.mp4?sig=0a1b2c3d4e&token=", result.Url.AbsoluteUri, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_Ready_UrlEncodesTheTokenValue()
    {
        var result = Assert.IsType<ClipUrlResult.Ready>(ClipUrlResolver.Parse(HelixJsonTests.Data("gql-ready.json"), "c", Hash));
        var token = result.Url.OriginalString[(result.Url.OriginalString.IndexOf("&token=", StringComparison.Ordinal) + 7)..];
        Assert.StartsWith("%7B%22authorization%22%3A%7B", token, StringComparison.Ordinal);
        Assert.Contains("\"expires\":1790000000", Uri.UnescapeDataString(token), StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_ClipNull_IsDeleted() =>
        Assert.IsType<ClipUrlResult.Deleted>(ClipUrlResolver.Parse(HelixJsonTests.Data("gql-deleted.json"), "c", Hash));

    [Fact]
    public void Parse_Creating_IsNotReady() =>
        Assert.IsType<ClipUrlResult.NotReady>(ClipUrlResolver.Parse(HelixJsonTests.Data("gql-creating.json"), "c", Hash));

    [Fact]
    public void Parse_EmptySourceUrls_IsNotReady()
    {
        const string json = """{"data":{"clip":{"playbackAccessToken":{"signature":"s","value":"v"},"assets":[{"aspectRatio":1.77,"videoQualities":[{"quality":"720","sourceURL":""}]}]}}}""";
        Assert.IsType<ClipUrlResult.NotReady>(ClipUrlResolver.Parse(json, "c", Hash));
    }

    [Fact]
    public void Parse_OnlyPortraitAsset_IsUsed()
    {
        const string json = """{"data":{"clip":{"playbackAccessToken":{"signature":"s","value":"v"},"assets":[{"aspectRatio":0.56,"creationState":"CREATED","videoQualities":[{"quality":"1080","sourceURL":"https://cdn.example/p.mp4"}]}]}}}""";
        var result = Assert.IsType<ClipUrlResult.Ready>(ClipUrlResolver.Parse(json, "c", Hash));
        Assert.Equal("https://cdn.example/p.mp4?sig=s&token=v", result.Url.OriginalString);
    }

    [Fact]
    public void Parse_PersistedQueryNotFound_ThrowsNamingTheConfigKey()
    {
        var e = Assert.Throws<ClipAccessHashRotatedException>(() => ClipUrlResolver.Parse(HelixJsonTests.Data("gql-hash-rotated.json"), "c", Hash));
        Assert.Contains("Tccg:Twitch:ClipAccessHash", e.Message, StringComparison.Ordinal);
        Assert.Contains(Hash, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_BatchedArrayResponse_IsRead() =>
        Assert.IsType<ClipUrlResult.Deleted>(ClipUrlResolver.Parse("[" + HelixJsonTests.Data("gql-deleted.json") + "]", "c", Hash));

    [Theory]
    [InlineData("not json")]
    [InlineData("""{"extensions":{}}""")]
    [InlineData("""{"data":{"clip":{"assets":[{"aspectRatio":1.7,"videoQualities":[{"quality":"720","sourceURL":"https://x/y.mp4"}]}]}}}""")]
    public void Parse_Malformed_ThrowsTwitchApiException(string json) =>
        Assert.ThrowsAny<TwitchApiException>(() => ClipUrlResolver.Parse(json, "c", Hash));

    [Theory]
    [InlineData("https://clips-media-assets2.twitch.tv/AT-cm%7C123456-preview-480x272.jpg", "https://clips-media-assets2.twitch.tv/AT-cm%7C123456.mp4")]
    [InlineData("https://clips-media-assets2.twitch.tv/26116234480-offset-3962-preview-480x272.jpg", "https://clips-media-assets2.twitch.tv/26116234480-offset-3962.mp4")]
    [InlineData("http://127.0.0.1:5000/clips-media-assets2/123-offset-60-preview-480x272.jpg", "http://127.0.0.1:5000/clips-media-assets2/123-offset-60.mp4")]
    public void LegacyUrl_OldThumbnail_MapsToMp4(string thumbnail, string expected) =>
        Assert.Equal(expected, ClipUrlResolver.LegacyUrl(thumbnail)!.AbsoluteUri);

    [Theory]
    [InlineData("https://static-cdn.jtvnw.net/twitch-clips-thumbnails-prod/abc/preview-480x272.jpg")]
    [InlineData("https://clips-media-assets2.twitch.tv/abc-preview-260x147.jpg")]
    [InlineData("")]
    [InlineData(null)]
    public void LegacyUrl_ModernOrOddThumbnail_IsNull(string? thumbnail) => Assert.Null(ClipUrlResolver.LegacyUrl(thumbnail));
}
