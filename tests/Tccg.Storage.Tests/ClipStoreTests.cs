using Dapper;
using Tccg.Core.Clips;
using Tccg.Storage.Clips;
using Tccg.Storage.Database;
using Tccg.Core.Media;

namespace Tccg.Storage.Tests;

public abstract class ClipStoreTests(ITestDatabase provider) : StorageTestBase(provider)
{
    private ClipStore Store => new(Database, Time);

    internal static FoundClip Clip(string gameId, int views, string? id = null, string broadcaster = "Streamer", string videoId = "") => new()
    {
        TwitchClipId = id ?? Unique("Clip-"),
        Url = "https://clips.twitch.tv/x",
        EmbedUrl = "https://clips.twitch.tv/embed?clip=x",
        BroadcasterId = "b1",
        BroadcasterName = broadcaster,
        CreatorId = "c1",
        CreatorName = "Creator",
        VideoId = videoId,
        GameId = gameId,
        Language = "en",
        Title = "A clip",
        ViewCount = views,
        CreatedAt = new DateTimeOffset(2026, 11, 1, 10, 0, 0, TimeSpan.Zero).AddMinutes(views),
        ThumbnailUrl = "https://clips-media-assets2.twitch.tv/x-preview-480x272.jpg",
        Duration = 29.5,
        VodOffset = views,
        IsFeatured = false,
    };

    internal static DownloadedClipFile File(string name) =>
        new($"clips/{name}.mp4", 12345, new MediaFacts(29.5, 1920, 1080, 60, "h264", "aac", 48000, 2, "", 0), -16.5);

    [Fact]
    public async Task Migrate_RunTwice_IsIdempotent()
    {
        var runner = new MigrationRunner(Database);
        Assert.Equal(0, await runner.MigrateAsync(Ct));
        Assert.Equal(0, await runner.MigrateAsync(Ct));
        Assert.Equal(MigrationRunner.LatestVersion, await runner.CurrentVersionAsync(Ct));
        await using var connection = await Database.OpenAsync(Ct);
        // Version numbers may have gaps (each branch owns its number): every version is recorded once, the latest last.
        Assert.Equal(MigrationRunner.LatestVersion, await connection.ExecuteScalarAsync<long>("SELECT MAX(version) FROM schema_version"));
        Assert.Equal(
            await connection.ExecuteScalarAsync<long>("SELECT COUNT(DISTINCT version) FROM schema_version"),
            await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM schema_version"));
    }

    [Fact]
    public async Task UpsertFound_SameClipAgain_UpdatesViewsWithoutDuplicating()
    {
        var game = Unique("g");
        var clip = Clip(game, 10);
        await Store.UpsertFoundAsync([clip], Ct);
        await Store.UpsertFoundAsync([clip with { ViewCount = 99, Title = "Renamed" }], Ct);

        var page = await Store.QueryAsync(new ClipQuery { GameId = game }, Ct);
        var stored = Assert.Single(page.Items);
        Assert.Equal(99, stored.ViewCount);
        Assert.Equal("Renamed", stored.Title);
        Assert.Equal(ClipStatus.Found, stored.Status);
        Assert.Equal(29.5, stored.Duration);
        Assert.Equal(10, stored.VodOffset);
        Assert.Equal(clip.CreatedAt, stored.CreatedAt);
        Assert.Equal(Time.GetUtcNow(), stored.FoundAt);
        Assert.Equal(1, Assert.Single(await Store.CountsAsync(game, Ct)).Count);
    }

    [Fact]
    public async Task UpsertFound_DownloadedClipRefound_KeepsStatusAndFile()
    {
        var game = Unique("g");
        var clip = Clip(game, 10);
        await Store.UpsertFoundAsync([clip], Ct);
        var id = (await Store.GetByTwitchIdAsync(clip.TwitchClipId, Ct))!.Id;
        await Store.MarkDownloadedAsync(id, File("a"), Ct);
        Time.Advance(TimeSpan.FromHours(1));

        await Store.UpsertFoundAsync([clip with { ViewCount = 500 }], Ct);

        var stored = (await Store.GetAsync(id, Ct))!;
        Assert.Equal(ClipStatus.Downloaded, stored.Status);
        Assert.Equal("clips/a.mp4", stored.FilePath);
        Assert.Equal(new MediaFacts(29.5, 1920, 1080, 60, "h264", "aac", 48000, 2, "", 0), stored.Media);
        Assert.Equal(-16.5, stored.LoudnessLufs);
        Assert.Equal(500, stored.ViewCount);
        Assert.Equal(Time.GetUtcNow(), stored.UpdatedAt);
        Assert.True(stored.FoundAt < stored.UpdatedAt);
    }

    [Fact]
    public async Task MarkDownloaded_WithTwitchPortraitBoxes_KeepsThemWithTheClip()
    {
        var game = Unique("g");
        var clip = Clip(game, 10);
        await Store.UpsertFoundAsync([clip], Ct);
        var id = (await Store.GetByTwitchIdAsync(clip.TwitchClipId, Ct))!.Id;
        const string boxes = """{"mode":"stacked","top":{"x":0.75,"y":0,"w":0.25,"h":0.3},"bottom":{"x":0.2,"y":0,"w":0.6,"h":1},"split":0.35}""";

        await Store.MarkDownloadedAsync(id, File("a") with { PortraitLayout = boxes }, Ct);

        Assert.Equal(boxes, (await Store.GetAsync(id, Ct))!.PortraitLayout);
    }

    [Fact]
    public async Task UpsertFound_ManyClips_AllStoredOnce()
    {
        var game = Unique("g");
        // Over 2,000: SQLite's big-batch page cache.
        var clips = Enumerable.Range(1, 2400).Select(i => Clip(game, i)).ToList();
        Assert.Equal(2400, await Store.UpsertFoundAsync(clips, Ct));
        Assert.Equal(2400, await Store.UpsertFoundAsync(clips, Ct));
        Assert.Equal(2400, Assert.Single(await Store.CountsAsync(game, Ct)).Count);
    }

    [Fact]
    public async Task UpsertFound_SameClipTwiceInOneBatch_StoresAndCountsItOnce()
    {
        var game = Unique("g");
        var clip = Clip(game, 1);
        await Store.UpsertFoundAsync([clip, clip with { ViewCount = 7 }, Clip(game, 2)], Ct);
        Assert.Equal(7, (await Store.GetByTwitchIdAsync(clip.TwitchClipId, Ct))!.ViewCount);
        Assert.Equal(2, Assert.Single(await Store.CountsAsync(game, Ct)).Count);
        Assert.Equal(2, (await Store.QueryAsync(new ClipQuery { GameId = game }, Ct)).Items.Count);
    }

    [Fact]
    public async Task UpsertFound_ConcurrentOverlappingBatches_StoreAndCountEachClipOnce()
    {
        var game = Unique("g");
        var clips = Enumerable.Range(1, 300).Select(i => Clip(game, i)).ToList();
        await Task.WhenAll(
            Task.Run(() => Store.UpsertFoundAsync(clips[..200], Ct)),
            Task.Run(() => Store.UpsertFoundAsync(clips[100..], Ct)),
            Task.Run(() => Store.UpsertFoundAsync(clips[50..250], Ct)));
        Assert.Equal(300, Assert.Single(await Store.CountsAsync(game, Ct)).Count);
        var stored = 0;
        for (string? cursor = null; ; )
        {
            var page = await Store.QueryAsync(new ClipQuery { GameId = game, Limit = 1000, After = cursor }, Ct);
            stored += page.Items.Count;
            if ((cursor = page.NextCursor) is null)
                break;
        }
        Assert.Equal(300, stored);
    }

    [Fact]
    public async Task Names_WithEmojiAndCjk_RoundTrip()
    {
        var game = Unique("g");
        var clip = Clip(game, 5, broadcaster: "表示名😀") with { Title = "크리퍼 🎮 かわいい", CreatorName = "Ünïcødé" };
        await Store.UpsertFoundAsync([clip], Ct);
        var stored = (await Store.GetByTwitchIdAsync(clip.TwitchClipId, Ct))!;
        Assert.Equal("表示名😀", stored.BroadcasterName);
        Assert.Equal("크리퍼 🎮 かわいい", stored.Title);
        Assert.Equal("Ünïcødé", stored.CreatorName);
    }

    [Fact]
    public async Task GetByTwitchId_IsCaseSensitive()
    {
        var game = Unique("g");
        var id = Unique("CaseClip");
        await Store.UpsertFoundAsync([Clip(game, 1, id), Clip(game, 2, id.ToLowerInvariant())], Ct);
        Assert.Equal(1, (await Store.GetByTwitchIdAsync(id, Ct))!.ViewCount);
        Assert.Equal(2, (await Store.GetByTwitchIdAsync(id.ToLowerInvariant(), Ct))!.ViewCount);
    }

    [Fact]
    public async Task Transitions_IllegalMove_IsRefusedAndLeavesClipUnchanged()
    {
        var game = Unique("g");
        var clip = Clip(game, 1);
        await Store.UpsertFoundAsync([clip], Ct);
        var id = (await Store.GetByTwitchIdAsync(clip.TwitchClipId, Ct))!.Id;

        var e = await Assert.ThrowsAsync<IllegalClipTransitionException>(() => Store.MoveAsync(id, ClipStatus.Used, Ct));
        Assert.Equal(clip.TwitchClipId, e.ClipId);
        Assert.Equal(ClipStatus.Found, e.From);
        Assert.Equal(ClipStatus.Found, (await Store.GetAsync(id, Ct))!.Status);
        await Assert.ThrowsAsync<IllegalClipTransitionException>(() => Store.MoveAsync(id, ClipStatus.Missing, Ct));
    }

    [Fact]
    public async Task Transitions_CarryTheirDetails()
    {
        var game = Unique("g");
        var clips = new[] { Clip(game, 1), Clip(game, 2) };
        await Store.UpsertFoundAsync(clips, Ct);
        var a = (await Store.GetByTwitchIdAsync(clips[0].TwitchClipId, Ct))!.Id;
        var b = (await Store.GetByTwitchIdAsync(clips[1].TwitchClipId, Ct))!.Id;

        var retryAt = Time.GetUtcNow().AddMinutes(5);
        var failed = await Store.MarkFailedAsync(a, "not ready", retryAt, Ct);
        failed = await Store.MarkFailedAsync(a, "still not ready", retryAt, Ct);
        Assert.Equal((ClipStatus.Failed, 2, "still not ready", (DateTimeOffset?)retryAt),
            (failed.Status, failed.Attempts, failed.LastError, failed.NextRetryAt));

        var downloaded = await Store.MarkDownloadedAsync(a, File("a"), Ct);
        Assert.Equal((ClipStatus.Downloaded, (string?)null, (DateTimeOffset?)null), (downloaded.Status, downloaded.LastError, downloaded.NextRetryAt));
        Assert.Equal(Time.GetUtcNow(), downloaded.DownloadedAt);

        var duplicate = await Store.MarkDuplicateAsync(b, a, Ct);
        Assert.Equal((ClipStatus.Duplicate, (long?)a), (duplicate.Status, duplicate.DuplicateOf));

        var used = await Store.MoveAsync(a, ClipStatus.Used, Ct);
        Assert.Equal(Time.GetUtcNow(), used.UsedAt);
        var missing = await Store.MoveAsync(a, ClipStatus.Missing, Ct);
        Assert.Null(missing.FilePath);

        var counts = await Store.CountsAsync(game, Ct);
        Assert.Equal([(ClipStatus.Missing, 1L), (ClipStatus.Duplicate, 1L)],
            counts.Select(c => (c.Status, c.Count)).OrderBy(c => c.Status));
    }

    [Fact]
    public async Task DueForDownload_ReturnsFoundAndDueRetriesOnly()
    {
        var game = Unique("g");
        var clips = Enumerable.Range(1, 4).Select(i => Clip(game, i)).ToArray();
        await Store.UpsertFoundAsync(clips, Ct);
        var ids = new List<long>();
        foreach (var c in clips)
            ids.Add((await Store.GetByTwitchIdAsync(c.TwitchClipId, Ct))!.Id);
        await Store.MarkFailedAsync(ids[0], "later", Time.GetUtcNow().AddMinutes(10), Ct);
        await Store.MarkFailedAsync(ids[1], "due", Time.GetUtcNow().AddMinutes(-1), Ct);
        await Store.MarkDownloadedAsync(ids[2], File("c"), Ct);

        var due = (await Store.DueForDownloadAsync(100_000, Ct)).Where(c => c.GameId == game).Select(c => c.Id).ToList();
        Assert.Equal([ids[3], ids[1]], due);
    }

    [Fact]
    public async Task BroadcasterLogins_AreFilledForEveryClipOfTheBroadcaster()
    {
        var game = Unique("g");
        var broadcaster = Unique("b");
        var clips = new[] { Clip(game, 1) with { BroadcasterId = broadcaster }, Clip(game, 2) with { BroadcasterId = broadcaster } };
        await Store.UpsertFoundAsync(clips, Ct);
        Assert.Contains(broadcaster, await Store.BroadcastersWithoutLoginAsync(100_000, Ct));

        Assert.Equal(2, await Store.SetBroadcasterLoginsAsync(new Dictionary<string, string> { [broadcaster] = "somelogin" }, Ct));
        Assert.Equal("somelogin", (await Store.GetByTwitchIdAsync(clips[1].TwitchClipId, Ct))!.BroadcasterLogin);
        Assert.DoesNotContain(broadcaster, await Store.BroadcastersWithoutLoginAsync(100_000, Ct));
    }
}

public sealed class ClipStoreSqliteTests() : ClipStoreTests(new SqliteTestDatabase());

public sealed class ClipStoreMariaDbTests(MariaDbTestDatabase db) : ClipStoreTests(db), IClassFixture<MariaDbTestDatabase>;

public sealed class SqliteBulkUpsertTests
{
    [Fact]
    public async Task UpsertFound_BigBatch_StoresEveryClip_AndGivesThePooledConnectionItsSmallCacheBack()
    {
        // Pooled (the server's setting): the connection the big batch used is the next one handed out.
        var file = Path.Combine(Path.GetTempPath(), "tccg-bulk-" + Guid.NewGuid().ToString("N") + ".db");
        var database = new TccgDatabase(Tccg.Core.Configuration.DatabaseProvider.Sqlite, $"Data Source={file}");
        try
        {
            await new MigrationRunner(database).MigrateAsync(CancellationToken.None);
            var store = new ClipStore(database, TimeProvider.System);
            var game = "bulk";
            await store.UpsertFoundAsync([.. Enumerable.Range(1, 2_500).Select(i => ClipStoreTests.Clip(game, i) with { Title = $"clip number {i}" })], CancellationToken.None);

            Assert.Equal(2_500, (await store.CountsAsync(game, CancellationToken.None)).Single().Count);
            Assert.Equal(new[] { 2_345 }, (await store.QueryAsync(new ClipQuery { TitleContains = "number 2345" }, CancellationToken.None)).Items.Select(c => c.ViewCount));
            await using var connection = await database.OpenAsync(CancellationToken.None);
            Assert.Equal(-8192L, await Dapper.SqlMapper.ExecuteScalarAsync<long>(connection, "PRAGMA cache_size"));
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            foreach (var f in Directory.EnumerateFiles(Path.GetTempPath(), Path.GetFileName(file) + "*"))
                File.Delete(f);
        }
    }
}
