using System.Globalization;
using System.Net;
using System.Text.Json;

namespace Tccg.TwitchSim.Tests;

public class HelixClipsTests
{
    private static readonly string[] ClipFields =
    [
        "id", "url", "embed_url", "broadcaster_id", "broadcaster_name", "creator_id", "creator_name", "video_id",
        "game_id", "language", "title", "view_count", "created_at", "thumbnail_url", "duration", "vod_offset", "is_featured",
    ];

    [Fact]
    public async Task Clips_HaveExactlyHelixFieldsAndTypes()
    {
        await using var sim = await TestSim.StartAsync();
        var json = await sim.HelixJsonAsync("/clips?game_id=509658&first=100");
        var clips = json.GetProperty("data").EnumerateArray().ToList();
        Assert.Equal(100, clips.Count);
        foreach (var clip in clips)
        {
            Assert.Equal(ClipFields.Order(StringComparer.Ordinal), clip.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
            foreach (var name in new[] { "id", "url", "embed_url", "broadcaster_id", "broadcaster_name", "creator_id", "creator_name", "video_id", "game_id", "language", "title", "created_at", "thumbnail_url" })
                Assert.Equal(JsonValueKind.String, clip.GetProperty(name).ValueKind);
            Assert.Equal(JsonValueKind.Number, clip.GetProperty("view_count").ValueKind);
            Assert.Equal(JsonValueKind.Number, clip.GetProperty("duration").ValueKind);
            Assert.Contains(clip.GetProperty("is_featured").ValueKind, new[] { JsonValueKind.True, JsonValueKind.False });
            var videoId = clip.GetProperty("video_id").GetString();
            var offset = clip.GetProperty("vod_offset");
            Assert.Equal(videoId == "", offset.ValueKind == JsonValueKind.Null);
            if (offset.ValueKind != JsonValueKind.Null)
                Assert.True(offset.TryGetInt32(out _), "vod_offset must be an integer");
            var created = clip.GetProperty("created_at").GetString()!;
            Assert.Matches("^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ$", created);
            Assert.Equal("509658", clip.GetProperty("game_id").GetString());
            Assert.StartsWith("https://clips.twitch.tv/", clip.GetProperty("url").GetString(), StringComparison.Ordinal);
        }

        var durations = clips.Select(c => c.GetProperty("duration").GetRawText()).ToList();
        Assert.Contains(durations, d => !d.Contains('.', StringComparison.Ordinal));   // e.g. 30
        Assert.Contains(durations, d => d.Contains('.', StringComparison.Ordinal));    // e.g. 29.7
        Assert.Contains(clips, c => c.GetProperty("video_id").GetString() == "");
    }

    [Fact]
    public async Task Clips_AreSortedByViewCountDescending_AcrossPages_AndEndWithEmptyPagination()
    {
        await using var sim = await TestSim.StartAsync();
        var token = await sim.TokenAsync();
        var views = new List<int>();
        string? cursor = null;
        JsonElement last;
        do
        {
            last = await sim.HelixJsonAsync("/clips?game_id=21779&first=50" + (cursor is null ? "" : "&after=" + cursor), token);
            views.AddRange(last.GetProperty("data").EnumerateArray().Select(c => c.GetProperty("view_count").GetInt32()));
            cursor = last.GetProperty("pagination").TryGetProperty("cursor", out var c) ? c.GetString() : null;
        }
        while (cursor is not null);

        Assert.Equal(sim.Host.World.ClipsByGame["21779"].Length, views.Count);
        Assert.Equal(views.OrderDescending(), views);
        Assert.Empty(last.GetProperty("pagination").EnumerateObject());
    }

    [Fact]
    public async Task Clips_DefaultPageSizeIs20()
    {
        await using var sim = await TestSim.StartAsync();
        var json = await sim.HelixJsonAsync("/clips?game_id=509658");
        Assert.Equal(20, json.GetProperty("data").GetArrayLength());
        Assert.True(json.GetProperty("pagination").TryGetProperty("cursor", out _));
    }

    [Fact]
    public async Task Clips_PastAbout1000Results_PagesRepeatEarlierClips_ThenEnd()
    {
        await using var sim = await TestSim.StartAsync(o => o.Games = [new SimGameSpec("33214", "Fortnite", 1200, TimeSpan.FromDays(7))]);
        var ids = await sim.AllClipIdsAsync("game_id=33214", await sim.TokenAsync());
        Assert.Equal(1000 + (3 * 100), ids.Count);
        Assert.Equal(1000, ids.Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(ids.Take(300), ids.Skip(1000));
    }

    [Fact]
    public async Task Clips_NarrowWindows_ReachClipsBeyondTheCap()
    {
        await using var sim = await TestSim.StartAsync(o =>
        {
            o.Games = [new SimGameSpec("33214", "Fortnite", 1200, TimeSpan.FromDays(2))];
            o.OutOfWindowRate = 0;
        });
        var token = await sim.TokenAsync();
        var all = new HashSet<string>(StringComparer.Ordinal);
        for (var day = 2; day >= 1; day--)
        {
            var start = TestSim.Anchor.AddDays(-day);
            all.UnionWith(await sim.AllClipIdsAsync($"game_id=33214&started_at={Rfc(start)}&ended_at={Rfc(start.AddDays(1))}", token));
        }

        Assert.True(all.Count > 1000, $"{all.Count} clips");
    }

    [Fact]
    public async Task Clips_InAWindow_AreThoseCreatedInIt_PlusAFewJustOutside()
    {
        await using var sim = await TestSim.StartAsync(o =>
        {
            o.Games = [new SimGameSpec("21779", "League of Legends", 900, TimeSpan.FromDays(3))];
            o.OutOfWindowRate = 0.3;
        });
        var start = TestSim.Anchor.AddDays(-2);
        var end = TestSim.Anchor.AddDays(-1);
        var ids = await sim.AllClipIdsAsync($"game_id=21779&started_at={Rfc(start)}&ended_at={Rfc(end)}", await sim.TokenAsync());
        var clips = ids.Select(id => sim.Host.World.ClipsById[id]).ToList();
        var inside = sim.Host.World.ClipsOf("21779", start, end).Select(c => c.Id).ToHashSet(StringComparer.Ordinal);

        Assert.True(inside.IsSubsetOf(ids));
        var outside = clips.Where(c => !inside.Contains(c.Id)).ToList();
        Assert.NotEmpty(outside);
        Assert.All(outside, c =>
        {
            Assert.True(c.LeaksOutOfWindow);
            Assert.True(c.CreatedAt >= start.AddHours(-2) && c.CreatedAt <= end.AddHours(2));
        });
        Assert.True(outside.Count < inside.Count / 5, $"{outside.Count} outside of {inside.Count}");
    }

    [Fact]
    public async Task Clips_StartedAtAlone_MeansASevenDayWindow()
    {
        await using var sim = await TestSim.StartAsync(o => o.OutOfWindowRate = 0);
        var start = TestSim.Anchor.AddDays(-20);
        var ids = await sim.AllClipIdsAsync($"game_id=21779&started_at={Rfc(start)}", await sim.TokenAsync());
        var expected = sim.Host.World.ClipsOf("21779", start, start.AddDays(7)).Select(c => c.Id).ToList();
        Assert.NotEmpty(expected);
        Assert.Equal(expected, ids);
    }

    [Fact]
    public async Task Clips_ByBroadcaster_ReturnsOnlyThatChannel_Sorted()
    {
        await using var sim = await TestSim.StartAsync();
        var broadcaster = sim.Host.World.ClipsByBroadcaster.MaxBy(p => p.Value.Length).Key;
        var json = await sim.HelixJsonAsync($"/clips?broadcaster_id={broadcaster}&first=100");
        var data = json.GetProperty("data").EnumerateArray().ToList();
        Assert.NotEmpty(data);
        Assert.All(data, c => Assert.Equal(broadcaster, c.GetProperty("broadcaster_id").GetString()));
        var views = data.Select(c => c.GetProperty("view_count").GetInt32()).ToList();
        Assert.Equal(views.OrderDescending(), views);
    }

    [Fact]
    public async Task Clips_ById_ReturnsKnownOnes_WithoutCursor()
    {
        await using var sim = await TestSim.StartAsync();
        var wanted = sim.Host.World.Clips.Take(3).Select(c => c.Id).ToList();
        var json = await sim.HelixJsonAsync($"/clips?id={wanted[0]}&id={wanted[1]}&id={wanted[2]}&id=NoSuchClip-abc&first=1");
        Assert.Equal(wanted.Order(StringComparer.Ordinal), json.GetProperty("data").EnumerateArray().Select(c => c.GetProperty("id").GetString()!).Order(StringComparer.Ordinal));
        Assert.Empty(json.GetProperty("pagination").EnumerateObject());
    }

    [Theory]
    [InlineData("/clips", "Missing required parameter")]
    [InlineData("/clips?game_id=509658&broadcaster_id=1", "Exactly one of")]
    [InlineData("/clips?game_id=509658&first=101", "less than or equal to 100")]
    [InlineData("/clips?game_id=509658&first=0", "greater than or equal to 1")]
    [InlineData("/clips?game_id=509658&started_at=yesterday", "started_at")]
    [InlineData("/clips?game_id=509658&after=not-a-cursor", "after")]
    public async Task Clips_WithBadParameters_Is400WithTwitchShape(string query, string message)
    {
        await using var sim = await TestSim.StartAsync();
        using var response = await sim.HelixAsync(query);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("Bad Request", json.GetProperty("error").GetString());
        Assert.Equal(400, json.GetProperty("status").GetInt32());
        Assert.Contains(message, json.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Clips_MoreThan100Ids_Is400()
    {
        await using var sim = await TestSim.StartAsync();
        var query = string.Join('&', Enumerable.Range(0, 101).Select(i => string.Create(CultureInfo.InvariantCulture, $"id=c{i}")));
        using var response = await sim.HelixAsync("/clips?" + query);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task World_HasOverlappingClipsOfTheSameVodMoment_AndNonLatinNames()
    {
        await using var sim = await TestSim.StartAsync();
        var withVod = sim.Host.World.Clips.Where(c => c.VodOffset is not null).ToList();
        var overlapping = withVod.GroupBy(c => c.VideoId, StringComparer.Ordinal)
            .SelectMany(g => g.SelectMany(a => g.Where(b => string.CompareOrdinal(a.Id, b.Id) < 0
                && a.VodOffset < b.VodEnd && b.VodOffset < a.VodEnd)))
            .ToList();
        Assert.NotEmpty(overlapping);

        var json = await sim.HelixJsonAsync("/clips?game_id=509658&first=100");
        var names = json.GetProperty("data").EnumerateArray().Select(c => c.GetProperty("broadcaster_name").GetString()!).ToList();
        Assert.Contains(names, n => n.Any(ch => ch > 0x2E80));         // CJK or Hangul
        Assert.Contains(sim.Host.World.Broadcasters, u => u.DisplayName.Any(ch => ch is >= 'А' and <= 'я'));
        Assert.Contains(sim.Host.World.Clips, c => c.Title.Any(char.IsSurrogate));   // emoji
    }

    private static string Rfc(DateTimeOffset time) =>
        Uri.EscapeDataString(time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
}
