using System.Text.Json;
using Tccg.TwitchSim.World;

namespace Tccg.TwitchSim.Tests;

public class GqlTests
{
    [Fact]
    public async Task ShareClipRenderStatus_ReturnsTokenAndAssets_WithSignedSourceUrls()
    {
        await using var sim = await TestSim.StartAsync();
        var clip = sim.Host.World.Clips.First(c => !c.IsLegacy && !c.HasPortrait && c.VodOffset is not null);
        var json = await sim.GqlAsync(TestSim.GqlBody(clip.Id, sim.Host.ClipAccessHash));
        var node = json.GetProperty("data").GetProperty("clip");
        Assert.Equal(clip.VodOffset, node.GetProperty("videoOffsetSeconds").GetInt32());
        Assert.Equal((int)Math.Round(clip.Duration, MidpointRounding.AwayFromZero), node.GetProperty("durationSeconds").GetInt32());

        var token = node.GetProperty("playbackAccessToken");
        Assert.Matches("^[0-9a-f]{40}$", token.GetProperty("signature").GetString());
        using var value = JsonDocument.Parse(token.GetProperty("value").GetString()!);
        Assert.Equal(clip.Id, value.RootElement.GetProperty("clip_slug").GetString());
        Assert.True(value.RootElement.GetProperty("expires").GetInt64() > DateTimeOffset.UtcNow.ToUnixTimeSeconds());

        var asset = Assert.Single(node.GetProperty("assets").EnumerateArray());
        Assert.True(asset.GetProperty("aspectRatio").GetDouble() > 1);
        Assert.Equal("CREATED", asset.GetProperty("creationState").GetString());
        var qualities = asset.GetProperty("videoQualities").EnumerateArray().ToList();
        Assert.NotEmpty(qualities);
        Assert.All(qualities, q =>
        {
            Assert.Equal(JsonValueKind.String, q.GetProperty("quality").ValueKind);
            Assert.Equal(JsonValueKind.Number, q.GetProperty("frameRate").ValueKind);
            Assert.True(q.GetProperty("width").GetInt32() > q.GetProperty("height").GetInt32());
            Assert.StartsWith(sim.Host.BaseUrl + "/cdn/", q.GetProperty("sourceURL").GetString(), StringComparison.Ordinal);
        });
        Assert.Equal("ShareClipRenderStatus", json.GetProperty("extensions").GetProperty("operationName").GetString());
    }

    [Fact]
    public async Task PortraitAsset_IsListedBeforeTheLandscapeOne()
    {
        await using var sim = await TestSim.StartAsync(o => o.PortraitRate = 0.5);
        var clip = sim.Host.World.Clips.First(c => c.HasPortrait);
        var json = await sim.GqlAsync(TestSim.GqlBody(clip.Id, sim.Host.ClipAccessHash));
        var assets = json.GetProperty("data").GetProperty("clip").GetProperty("assets").EnumerateArray().ToList();
        Assert.Equal(2, assets.Count);
        Assert.True(assets[0].GetProperty("aspectRatio").GetDouble() < 1);
        Assert.True(assets[1].GetProperty("aspectRatio").GetDouble() > 1);
    }

    [Fact]
    public async Task DeletedClip_IsNull_AndGoneFromHelix()
    {
        await using var sim = await TestSim.StartAsync();
        var clip = sim.Host.World.ClipsByGame["509658"][0];
        sim.Host.DeleteClip(clip.Id);
        var json = await sim.GqlAsync(TestSim.GqlBody(clip.Id, sim.Host.ClipAccessHash));
        Assert.Equal(JsonValueKind.Null, json.GetProperty("data").GetProperty("clip").ValueKind);
        var helix = await sim.HelixJsonAsync("/clips?game_id=509658&first=1");
        Assert.NotEqual(clip.Id, helix.GetProperty("data")[0].GetProperty("id").GetString());
        var unknown = await sim.GqlAsync(TestSim.GqlBody("NeverExisted-abc", sim.Host.ClipAccessHash));
        Assert.Equal(JsonValueKind.Null, unknown.GetProperty("data").GetProperty("clip").ValueKind);
    }

    [Fact]
    public async Task CreatingClip_HasCreatingStateAndEmptySourceUrls_UntilReady()
    {
        await using var sim = await TestSim.StartAsync();
        var clip = sim.Host.World.Clips.First(c => !c.IsLegacy);
        sim.Host.SetClipCreating(clip.Id);
        var json = await sim.GqlAsync(TestSim.GqlBody(clip.Id, sim.Host.ClipAccessHash));
        var asset = json.GetProperty("data").GetProperty("clip").GetProperty("assets").EnumerateArray().Last();
        Assert.Equal("CREATING", asset.GetProperty("creationState").GetString());
        Assert.All(asset.GetProperty("videoQualities").EnumerateArray(), q => Assert.Equal("", q.GetProperty("sourceURL").GetString()));

        sim.Host.SetClipCreating(clip.Id, false);
        json = await sim.GqlAsync(TestSim.GqlBody(clip.Id, sim.Host.ClipAccessHash));
        asset = json.GetProperty("data").GetProperty("clip").GetProperty("assets").EnumerateArray().Last();
        Assert.Equal("CREATED", asset.GetProperty("creationState").GetString());
    }

    [Fact]
    public async Task RotatedHash_AnswersPersistedQueryNotFound()
    {
        await using var sim = await TestSim.StartAsync();
        var clip = sim.Host.World.Clips[0];
        var oldHash = sim.Host.ClipAccessHash;
        var newHash = sim.Host.RotateClipAccessHash();
        Assert.NotEqual(oldHash, newHash);
        var json = await sim.GqlAsync(TestSim.GqlBody(clip.Id, oldHash));
        Assert.Equal("PersistedQueryNotFound", json.GetProperty("errors")[0].GetProperty("message").GetString());
        Assert.False(json.TryGetProperty("data", out _));
        var ok = await sim.GqlAsync(TestSim.GqlBody(clip.Id, newHash));
        Assert.Equal(JsonValueKind.Object, ok.GetProperty("data").GetProperty("clip").ValueKind);
    }

    [Fact]
    public async Task BatchRequest_IsAnsweredWithAnArray()
    {
        await using var sim = await TestSim.StartAsync();
        var clips = sim.Host.World.Clips.Take(2).ToList();
        var json = await sim.GqlAsync(new[] { TestSim.GqlBody(clips[0].Id, sim.Host.ClipAccessHash), TestSim.GqlBody(clips[1].Id, "bad") });
        Assert.Equal(JsonValueKind.Array, json.ValueKind);
        Assert.Equal(clips[0].Id, json[0].GetProperty("data").GetProperty("clip").GetProperty("slug").GetString());
        Assert.Equal("PersistedQueryNotFound", json[1].GetProperty("errors")[0].GetProperty("message").GetString());
        Assert.Equal(2, sim.Host.Counters.GqlOperations);
    }

    [Fact]
    public async Task WrongClientId_IsRejected()
    {
        await using var sim = await TestSim.StartAsync();
        var json = await sim.GqlAsync(TestSim.GqlBody(sim.Host.World.Clips[0].Id, sim.Host.ClipAccessHash), clientId: "nope", expectedStatus: 400);
        Assert.Contains("Client-ID", json.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task LegacyClip_HasNoAssets_AndALegacyThumbnail()
    {
        await using var sim = await TestSim.StartAsync();
        var clip = sim.Host.World.Clips.First(c => c.IsLegacy);
        var json = await sim.GqlAsync(TestSim.GqlBody(clip.Id, sim.Host.ClipAccessHash));
        Assert.Equal(0, json.GetProperty("data").GetProperty("clip").GetProperty("assets").GetArrayLength());
        var helix = await sim.HelixJsonAsync("/clips?id=" + clip.Id);
        Assert.Matches("/clips-media-assets2/(\\d+-offset-\\d+|AT-cm%7C\\d+)-preview-480x272\\.jpg$", helix.GetProperty("data")[0].GetProperty("thumbnail_url").GetString());
        Assert.Equal(MediaProfile.Landscape720p30, clip.Profile);
    }
}
