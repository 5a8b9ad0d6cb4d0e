using Tccg.Core.Clips;
using Tccg.Core.Media;
using Tccg.Core.Twitch;
using Tccg.Storage.Channels;
using Tccg.Storage.Clips;
using Tccg.Storage.Fingerprints;
using Tccg.Storage.Games;

namespace Tccg.Storage.Tests;

/// <summary>Saved channels, channel queries of the clip bin and the fingerprint index (migration 7), on both databases.</summary>
public abstract class SourceStoreTests(ITestDatabase provider) : StorageTestBase(provider)
{
    private ChannelStore Channels => new(Database, Time);
    private ClipStore Clips => new(Database, Time);
    private FingerprintStore Fingerprints => new(Database, Time);

    [Fact]
    public async Task Channels_AddGetUpdateDelete_RoundTripFiltersAndSchedule()
    {
        var userId = Unique("");
        var channel = await Channels.AddAsync(new Channel
        {
            TwitchUserId = userId,
            Login = "SomeStreamer",
            DisplayName = "Some Streamer 🌟",
            Filters = new ClipFilters { Languages = ["en", "ja"], MinViews = 50, MinDuration = 5, MaxDuration = 60 },
            Schedule = new GameSchedule { Period = ClipPeriod.Month, IntervalMinutes = 30, TargetUnreviewed = 200 },
        }, Ct);
        await Assert.ThrowsAsync<DuplicateInStoreException>(() => Channels.AddAsync(new Channel { TwitchUserId = userId, Login = "again" }, Ct));

        var stored = (await Channels.GetByLoginAsync("SOMESTREAMER", Ct))!;
        Assert.Equal((channel.Id, "somestreamer", "Some Streamer 🌟"), (stored.Id, stored.Login, stored.DisplayName));
        Assert.Equal(["en", "ja"], stored.Filters.Languages);
        Assert.Equal((50, 5.0, 60.0), (stored.Filters.MinViews, stored.Filters.MinDuration, stored.Filters.MaxDuration));
        Assert.Equal(new GameSchedule { Period = ClipPeriod.Month, IntervalMinutes = 30, TargetUnreviewed = 200 }, stored.Schedule);

        Assert.Contains(await Channels.DueForFindAsync(Time.GetUtcNow(), Ct), c => c.Id == channel.Id);
        await Channels.SetFindTimesAsync(channel.Id, Time.GetUtcNow(), Time.GetUtcNow().AddMinutes(30), Ct);
        Assert.DoesNotContain(await Channels.DueForFindAsync(Time.GetUtcNow(), Ct), c => c.Id == channel.Id);

        Assert.True(await Channels.UpdateAsync(stored with { Enabled = false }, Ct));
        Assert.False((await Channels.GetByTwitchIdAsync(userId, Ct))!.Enabled);
        Assert.True(await Channels.DeleteAsync(channel.Id, Ct));
        Assert.Null(await Channels.GetAsync(channel.Id, Ct));
    }

    [Fact]
    public async Task Clips_ByBroadcaster_QueryCountAndReviewScope()
    {
        var game = Unique("g");
        var broadcaster = Unique("b");
        var theirs = Enumerable.Range(1, 3).Select(i => ClipStoreTests.Clip(game, i) with { BroadcasterId = broadcaster }).ToList();
        await Clips.UpsertFoundAsync([.. theirs, ClipStoreTests.Clip(game, 9)], Ct);
        var page = await Clips.QueryAsync(new ClipQuery { BroadcasterId = broadcaster, Limit = 10 }, Ct);
        Assert.Equal(3, page.Items.Count);
        Assert.Equal(3, (await Clips.CountsOfChannelAsync(broadcaster, Ct)).Single(c => c.Status == ClipStatus.Found).Count);

        var first = (await Clips.GetByTwitchIdAsync(theirs[0].TwitchClipId, Ct))!;
        await Clips.MarkDownloadedAsync(first.Id, new DownloadedClipFile("clips/x.mp4", 10, new MediaFacts(29.5, 1280, 720, 30, "h264", "aac", 48000, 2, "", 0), -14), Ct);
        var queue = await Clips.NextToReviewAsync(ClipScope.Channel(broadcaster), 12345, 10, Ct);
        Assert.Equal([first.Id], queue.Select(c => c.Id));
    }

    [Fact]
    public async Task Fingerprints_SaveIndexAndFindCandidatesByKeys()
    {
        var game = Unique("g");
        var found = Enumerable.Range(1, 3).Select(i => ClipStoreTests.Clip(game, i)).ToList();
        await Clips.UpsertFoundAsync(found, Ct);
        var ids = new List<long>();
        foreach (var f in found)
            ids.Add((await Clips.GetByTwitchIdAsync(f.TwitchClipId, Ct))!.Id);
        var random = new Random(1);
        var a = Enumerable.Range(0, 100).Select(_ => (uint)random.NextInt64(0, 1L << 32)).ToArray();
        var b = a.Skip(20).ToArray();                   // shares 80 items' keys with a
        var c = Enumerable.Range(0, 100).Select(_ => (uint)random.NextInt64(0, 1L << 32)).ToArray();
        var before = await Fingerprints.CountAsync(Ct);
        await Fingerprints.SaveManyAsync([(ids[0], a), (ids[2], c)], Ct);
        await Fingerprints.SaveAsync(ids[1], b, Ct);
        await Fingerprints.SaveAsync(ids[1], b, Ct);     // replacing keeps one copy
        Assert.Equal(before + 3, await Fingerprints.CountAsync(Ct));

        var candidates = await Fingerprints.CandidatesAsync(AudioFingerprint.Keys(b), ids[1], 4, 16, Ct);
        Assert.Equal([ids[0]], candidates.Select(x => x.ClipId));
        Assert.True(candidates[0].SharedKeys >= 75);
        var stored = (await Fingerprints.GetManyAsync([ids[0]], Ct)).Single();
        Assert.Equal(a, stored.Items);
        Assert.Equal((found[0].TwitchClipId, ClipStatus.Found), (stored.TwitchClipId, stored.Status));

        // Keys lost (as after migration 13 changed them): the lookup finds nothing until they are rebuilt from the items.
        await using (var connection = await Database.OpenAsync(Ct))
            await Dapper.SqlMapper.ExecuteAsync(connection, $"DELETE FROM clip_fingerprint_keys WHERE clip_id = {ids[0]}");
        Assert.Empty(await Fingerprints.CandidatesAsync(AudioFingerprint.Keys(b), ids[1], 4, 16, Ct));
        Assert.True(await Fingerprints.IndexMissingAsync(Ct) >= 1);
        Assert.Equal([ids[0]], (await Fingerprints.CandidatesAsync(AudioFingerprint.Keys(b), ids[1], 4, 16, Ct)).Select(x => x.ClipId));
        Assert.Equal(0, await Fingerprints.IndexMissingAsync(Ct));
    }

    [Fact]
    public void IndexKeys_PairNeighbouringItems_In28Bits()
    {
        uint[] items = [0xFFFFFFFF, 0x00000000, 0xFFFFFFFF, 0x00000000];
        Assert.Equal([0x3FFF, 0x3FFF << 14], AudioFingerprint.Keys(items));   // two distinct pairs of three
        Assert.True(AudioFingerprint.Keys([0xFFFFFFFF, 0xFFFFFFFF]).Single() is (1 << 28) - 1);
        Assert.Empty(AudioFingerprint.Keys([42u]));
    }
}

public sealed class SourceStoreSqliteTests() : SourceStoreTests(new SqliteTestDatabase());

public sealed class SourceStoreMariaDbTests(MariaDbTestDatabase db) : SourceStoreTests(db), IClassFixture<MariaDbTestDatabase>;
