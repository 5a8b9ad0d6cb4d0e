using Tccg.Core.Clips;
using Tccg.Storage.Clips;
using Tccg.Storage.Compilations;

namespace Tccg.Storage.Tests;

public abstract class ClipQueryTests(ITestDatabase provider) : StorageTestBase(provider)
{
    private ClipStore Clips => new(Database, Time);
    private CompilationStore Compilations => new(Database, Time);

    /// <summary>A game with <paramref name="count"/> downloaded clips, views 1..count; returns clip ids by views.</summary>
    private async Task<(string Game, Dictionary<int, long> IdByViews)> DownloadedGameAsync(int count)
    {
        var game = Unique("g");
        var found = Enumerable.Range(1, count).Select(i => ClipStoreTests.Clip(game, i)).ToList();
        await Clips.UpsertFoundAsync(found, Ct);
        var ids = new Dictionary<int, long>();
        foreach (var clip in found)
        {
            var id = (await Clips.GetByTwitchIdAsync(clip.TwitchClipId, Ct))!.Id;
            await Clips.MarkDownloadedAsync(id, ClipStoreTests.File(clip.TwitchClipId), Ct);
            ids[clip.ViewCount] = id;
        }
        return (game, ids);
    }

    [Fact]
    public async Task Query_PagesByViews_WithoutGapsOrRepeats()
    {
        var (game, _) = await DownloadedGameAsync(25);
        var seen = new List<int>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var page = await Clips.QueryAsync(new ClipQuery { GameId = game, Limit = 10, After = cursor }, Ct);
            seen.AddRange(page.Items.Select(c => c.ViewCount));
            cursor = page.NextCursor;
            pages++;
        }
        while (cursor is not null);
        Assert.Equal(3, pages);
        Assert.Equal(Enumerable.Range(1, 25).Reverse(), seen);
    }

    [Fact]
    public async Task Query_PagesNewestFirst_AndFiltersByDateViewsAndStatus()
    {
        var (game, ids) = await DownloadedGameAsync(12);
        await Clips.MoveAsync(ids[12], ClipStatus.Missing, Ct);
        var from = new DateTimeOffset(2026, 11, 1, 10, 3, 0, TimeSpan.Zero); // created_at = 10:00 + views minutes

        var first = await Clips.QueryAsync(new ClipQuery
        {
            GameId = game, Status = ClipStatus.Downloaded, MinViews = 2, CreatedFrom = from, Order = ClipOrder.NewestFirst, Limit = 4,
        }, Ct);
        var second = await Clips.QueryAsync(new ClipQuery
        {
            GameId = game, Status = ClipStatus.Downloaded, MinViews = 2, CreatedFrom = from, Order = ClipOrder.NewestFirst, Limit = 4, After = first.NextCursor,
        }, Ct);
        Assert.Equal([11, 10, 9, 8], first.Items.Select(c => c.ViewCount));
        Assert.Equal([7, 6, 5, 4], second.Items.Select(c => c.ViewCount));
        Assert.NotNull(second.NextCursor);
        var before = await Clips.QueryAsync(new ClipQuery { GameId = game, CreatedBefore = from }, Ct);
        Assert.Equal([2, 1], before.Items.Select(c => c.ViewCount));
    }

    [Fact]
    public async Task Query_ListingOnly_ReadsWhatAListShows_InTheSameOrder()
    {
        var (game, _) = await DownloadedGameAsync(15);
        var full = await Clips.QueryAsync(new ClipQuery { GameId = game, Limit = 6 }, Ct);
        var listing = await Clips.QueryAsync(new ClipQuery { GameId = game, Limit = 6, ListingOnly = true }, Ct);

        Assert.Equal(full.Items.Select(c => c.Id), listing.Items.Select(c => c.Id));
        Assert.Equal(full.NextCursor, listing.NextCursor);
        var (a, b) = (full.Items[0], listing.Items[0]);
        Assert.Equal((a.TwitchClipId, a.Title, a.BroadcasterName, a.ViewCount, a.CreatedAt, a.Status, a.FilePath, a.MediaDuration, a.Width, a.LoudnessLufs),
            (b.TwitchClipId, b.Title, b.BroadcasterName, b.ViewCount, b.CreatedAt, b.Status, b.FilePath, b.MediaDuration, b.Width, b.LoudnessLufs));
        Assert.NotNull(a.VideoCodec);
        Assert.Null(b.VideoCodec); // not a listing column: left at its default
    }

    [Fact]
    public async Task Query_CursorOfOtherOrder_IsRejected()
    {
        var (game, _) = await DownloadedGameAsync(3);
        var page = await Clips.QueryAsync(new ClipQuery { GameId = game, Limit = 1 }, Ct);
        await Assert.ThrowsAsync<ArgumentException>(() =>
            Clips.QueryAsync(new ClipQuery { GameId = game, Order = ClipOrder.NewestFirst, After = page.NextCursor }, Ct));
    }

    [Fact]
    public async Task NextToReview_SkipsClipsDecidedInThisCompilationOnly()
    {
        var (game, ids) = await DownloadedGameAsync(6);
        var mine = await Compilations.CreateAsync(new Compilation { Name = "mine", GameId = game }, Ct);
        var other = await Compilations.CreateAsync(new Compilation { Name = "other", GameId = game }, Ct);
        await Compilations.DecideAsync(mine.Id, ids[6], null, ReviewDecision.Keep, Ct);
        await Compilations.DecideAsync(mine.Id, ids[5], null, ReviewDecision.Skip, Ct);
        await Compilations.DecideAsync(other.Id, ids[4], null, ReviewDecision.Skip, Ct);

        var next = await Clips.NextToReviewAsync(game, mine.Id, 3, Ct);
        Assert.Equal([4, 3, 2], next.Select(c => c.ViewCount));
        Assert.Equal([6, 5, 3], (await Clips.NextToReviewAsync(game, other.Id, 3, Ct)).Select(c => c.ViewCount));

        var kept = await Clips.QueryAsync(new ClipQuery { GameId = game, Review = new ReviewFilter(mine.Id, ReviewState.Kept) }, Ct);
        Assert.Equal([6], kept.Items.Select(c => c.ViewCount));
        var skipped = await Clips.QueryAsync(new ClipQuery { GameId = game, Review = new ReviewFilter(mine.Id, ReviewState.Skipped) }, Ct);
        Assert.Equal([5], skipped.Items.Select(c => c.ViewCount));

        Assert.True(await Compilations.UndecideAsync(mine.Id, ids[6], Ct));
        Assert.Equal([6, 4, 3], (await Clips.NextToReviewAsync(game, mine.Id, 3, Ct)).Select(c => c.ViewCount));
    }

    [Fact]
    public async Task NextToReview_LeavesOutClipsNotDownloaded()
    {
        var (game, ids) = await DownloadedGameAsync(3);
        await Clips.UpsertFoundAsync([ClipStoreTests.Clip(game, 100)], Ct);
        await Clips.MoveAsync(ids[3], ClipStatus.Used, Ct);
        var compilation = await Compilations.CreateAsync(new Compilation { Name = "c" }, Ct);
        Assert.Equal([2, 1], (await Clips.NextToReviewAsync(game, compilation.Id, 10, Ct)).Select(c => c.ViewCount));
    }

    [Fact]
    public async Task Query_BrowserFilters_TitleStreamerChannelLanguageDuration()
    {
        // Migration 12: covering sort indexes, trigram title search (SQLite) or LIKE (MariaDB); the same answers on both.
        var game = Unique("g");
        var streamer = Unique("Zoë_");
        var channel = Random.Shared.NextInt64(1_000_000_000, 9_999_999_999).ToString(System.Globalization.CultureInfo.InvariantCulture);
        FoundClip At(int views, string title, string language = "en", double duration = 29.5, string? by = null) =>
            ClipStoreTests.Clip(game, views) with { Title = title, Language = language, Duration = duration, BroadcasterName = by ?? "Other", BroadcasterId = by is null ? "b1" : channel };
        await Clips.UpsertFoundAsync(
        [
            At(1, "Insane CLUTCH ace"),
            At(2, "Old name", by: streamer),
            At(3, "信じられない瞬間", language: "ja", duration: 12),
            At(4, "100% speedrun", duration: 55, by: streamer),
            At(5, "an ace of spades"),
        ], Ct);
        async Task<int[]> ViewsAsync(ClipQuery q) => [.. (await Clips.QueryAsync(q with { Limit = 50 }, Ct)).Items.Select(c => c.ViewCount)];

        Assert.Equal(new[] { 1 }, await ViewsAsync(new ClipQuery { GameId = game, TitleContains = "clutch" }));
        Assert.Equal(new[] { 5, 1 }, await ViewsAsync(new ClipQuery { GameId = game, TitleContains = "ac" }));
        Assert.Equal(new[] { 5, 1 }, await ViewsAsync(new ClipQuery { GameId = game, TitleContains = "ACE" }));
        Assert.Equal(new[] { 3 }, await ViewsAsync(new ClipQuery { GameId = game, TitleContains = "られない" }));
        Assert.Equal(new[] { 4 }, await ViewsAsync(new ClipQuery { GameId = game, TitleContains = "100%" }));
        Assert.Empty(await ViewsAsync(new ClipQuery { GameId = game, TitleContains = "0%s" }));
        Assert.Empty(await ViewsAsync(new ClipQuery { GameId = game, TitleContains = "\"quoted\" OR ace" }));

        // A title Twitch changed is found by its new words only (the trigram index follows the row).
        await Clips.UpsertFoundAsync([At(2, "Final boss", by: streamer) with { TwitchClipId = (await Clips.QueryAsync(new ClipQuery { GameId = game, TitleContains = "Old name" }, Ct)).Items.Single().TwitchClipId }], Ct);
        Assert.Equal(new[] { 2 }, await ViewsAsync(new ClipQuery { GameId = game, TitleContains = "final BOSS" }));
        Assert.Empty(await ViewsAsync(new ClipQuery { GameId = game, TitleContains = "Old name" }));

        // Streamer by display name, or by login in any case once logins are known; channel by user id; any game.
        Assert.Equal(new[] { 4, 2 }, await ViewsAsync(new ClipQuery { Streamer = streamer }));
        await Clips.SetBroadcasterLoginsAsync(new Dictionary<string, string> { [channel] = streamer.ToLowerInvariant() + "_login" }, Ct);
        Assert.Equal(new[] { 4, 2 }, await ViewsAsync(new ClipQuery { Streamer = streamer.ToUpperInvariant() + "_LOGIN" }));
        Assert.Equal(new[] { 4, 2 }, await ViewsAsync(new ClipQuery { BroadcasterId = channel }));
        Assert.Equal(new[] { 4 }, await ViewsAsync(new ClipQuery { BroadcasterId = channel, MinDuration = 40 }));

        // Language and duration, both sorts, and a keyset page of one.
        Assert.Equal(new[] { 3 }, await ViewsAsync(new ClipQuery { GameId = game, Language = "ja" }));
        Assert.Equal(new[] { 5, 2, 1 }, await ViewsAsync(new ClipQuery { GameId = game, Language = "en", MinDuration = 20, MaxDuration = 30 }));
        Assert.Equal(new[] { 5, 4, 3, 2, 1 }, await ViewsAsync(new ClipQuery { GameId = game, Order = ClipOrder.NewestFirst }));
        var first = await Clips.QueryAsync(new ClipQuery { GameId = game, Language = "en", Limit = 1 }, Ct);
        var second = await Clips.QueryAsync(new ClipQuery { GameId = game, Language = "en", Limit = 1, After = first.NextCursor }, Ct);
        Assert.Equal(new[] { 5, 4 }, new[] { first.Items.Single().ViewCount, second.Items.Single().ViewCount });
    }

    [Fact]
    public async Task Query_TitleText_SameAnswerInAGameAndOverEveryGame()
    {
        // SQLite answers title text in two ways (migration 14): within a game by walking the game's titles, over every game
        // through the text's rarest trigrams and a LIKE check; MariaDB with LIKE. Every way is the same substring match.
        var game = Unique("g");
        var tag = Unique("t");
        FoundClip At(int views, string title, string g) => ClipStoreTests.Clip(g, views) with { Title = title };
        await Clips.UpsertFoundAsync(
        [
            At(1, $"{tag} Insane CLUTCH ace", game),
            At(2, $"{tag} insane, clutch", game),
            At(3, $"x{tag}insane clutch!", Unique("g")),
            At(4, $"{tag} clutch insane", game),
            At(5, $"{tag} 100% INSANE clutch_", Unique("g")),
            At(6, $"{tag} insane clutch", Unique("g")),
            At(7, $"{tag} qzxjv", Unique("g")),
        ], Ct);
        async Task<int[]> ViewsAsync(string text, string? inGame, ClipOrder order = ClipOrder.ViewsDesc) =>
            [.. (await Clips.QueryAsync(new ClipQuery { GameId = inGame, TitleContains = text, Order = order, Limit = 50 }, Ct)).Items.Select(c => c.ViewCount)];

        Assert.Equal(new[] { 6, 1 }, await ViewsAsync($"{tag} insane clutch", null));
        Assert.Equal(new[] { 1 }, await ViewsAsync($"{tag} insane clutch", game));
        Assert.Equal(new[] { 2, 1 }, await ViewsAsync($"{tag.ToUpperInvariant()} INSANE", game));
        Assert.Equal(new[] { 6, 1 }, await ViewsAsync($"{tag.ToUpperInvariant()} INSANE CLUTCH", null, ClipOrder.NewestFirst));
        Assert.Equal(new[] { 1 }, await ViewsAsync($"{tag} insane clutch", game, ClipOrder.NewestFirst));
        Assert.Equal(new[] { 3 }, await ViewsAsync($"{tag}insane", null));
        Assert.Equal(new[] { 5 }, await ViewsAsync($"{tag} 100% insane clutch_", null));
        Assert.Empty(await ViewsAsync($"{tag} 100_ insane", null));
        Assert.Equal(new[] { 4 }, await ViewsAsync($"{tag} clutch", game));
        Assert.Equal(new[] { 4 }, await ViewsAsync($"{tag} clutch", null));
        Assert.Empty(await ViewsAsync($"{tag} clutch ace", null));
        // Text too short for two trigrams apart goes through the trigram index as one phrase.
        Assert.Contains(7, await ViewsAsync("QZXJV", null));
        Assert.DoesNotContain(7, await ViewsAsync("qzxj ", null));
    }

    [Fact]
    public async Task Query_TitleTextAroundASpace_PagesNewestFirstAndByViews_AndFollowsRenamesAndDeletes()
    {
        // SQLite finds text with a space and three characters on each side through its title key (migration 15), walking
        // the key's entries newest first; MariaDB with LIKE. Pages by cursor in both orders; a renamed or deleted clip
        // leaves the key's entries; a title holding the key but not the text is not a match.
        var tag = Unique("k");
        var games = new[] { Unique("g"), Unique("g") };
        FoundClip At(int views, string title) => ClipStoreTests.Clip(games[views % 2], views) with
        {
            Title = title,
            CreatedAt = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero).AddHours(views % 7 * 10 + views),
        };
        var matching = Enumerable.Range(1, 9).Select(v => At(v, v % 3 == 0 ? $"{tag} INSANE clutch {v}" : $"wow {tag} insane Clutch")).ToList();
        await Clips.UpsertFoundAsync(
        [
            .. matching,
            At(20, $"{tag} insanely clutch"), // the key "ane clu" is not there: "ely clu"
            At(21, $"{tag} arcane clutch"),   // the key is there, the text is not
            At(22, $"{tag}   insane   clutch"),
        ], Ct);
        // Whole rows and the list's columns (as the clip browser asks: read through SQLitePCLRaw on SQLite) page alike.
        async Task<List<int>> PagesAsync(string text, ClipOrder order, string? game = null)
        {
            var pages = new List<List<(long, string, int)>>();
            foreach (var listing in new[] { false, true })
            {
                var rows = new List<(long, string, int)>();
                string? cursor = null;
                do
                {
                    var page = await Clips.QueryAsync(new ClipQuery { GameId = game, TitleContains = text, Order = order, Limit = 2, After = cursor, ListingOnly = listing }, Ct);
                    rows.AddRange(page.Items.Select(c => (c.Id, c.Title, c.ViewCount)));
                    cursor = page.NextCursor;
                }
                while (cursor is not null);
                pages.Add(rows);
            }
            Assert.Equal(pages[0], pages[1]);
            return pages[0].Select(r => r.Item3).ToList();
        }
        var newest = matching.OrderByDescending(c => c.CreatedAt).ThenByDescending(c => c.ViewCount).Select(c => c.ViewCount).ToList();
        Assert.Equal(newest, await PagesAsync($"{tag} insane clutch", ClipOrder.NewestFirst));
        Assert.Equal(newest.Where(v => v % 3 != 0), await PagesAsync($"W {tag.ToUpperInvariant()} insane clutch", ClipOrder.NewestFirst));
        Assert.Equal(Enumerable.Range(1, 9).Reverse(), await PagesAsync($"{tag} insane clutch", ClipOrder.ViewsDesc));
        Assert.Equal(newest.Where(v => v % 2 == 1), await PagesAsync($"{tag} insane clutch", ClipOrder.NewestFirst, games[1]));
        Assert.Equal(new[] { 9, 3 }, await PagesAsync($"{tag} insane clutch ", ClipOrder.ViewsDesc, games[1]));
        Assert.Equal(new[] { 21 }, await PagesAsync($"{tag} arcane clutch", ClipOrder.ViewsDesc));
        Assert.Equal(new[] { 22 }, await PagesAsync($"{tag}   insane   clutch", ClipOrder.ViewsDesc));

        // Within a game, text with three characters, a space and two more: the game's key entries, sorted on the entries;
        // a re-found clip's new view count moves it, and back.
        Assert.Equal(new[] { 9, 7, 5, 3, 1 }, await PagesAsync("INSANE cl", ClipOrder.ViewsDesc, games[1]));
        Assert.Equal(newest.Where(v => v % 2 == 1), await PagesAsync("insane cl", ClipOrder.NewestFirst, games[1]));
        await Clips.UpsertFoundAsync([matching[2] with { ViewCount = 1000 }], Ct);
        Assert.Equal(new[] { 1000, 9, 7, 5, 1 }, await PagesAsync("insane cl", ClipOrder.ViewsDesc, games[1]));
        await Clips.UpsertFoundAsync([matching[2]], Ct);
        Assert.Equal(new[] { 9, 7, 5, 3, 1 }, await PagesAsync("insane cl", ClipOrder.ViewsDesc, games[1]));

        // Twitch renames clip 9; clip 8 is deleted from the bin.
        await Clips.UpsertFoundAsync([matching[8] with { Title = $"{tag} calm moment" }], Ct);
        await using (var connection = await Database.OpenAsync(Ct))
            await Dapper.SqlMapper.ExecuteAsync(connection, "DELETE FROM clips WHERE twitch_clip_id = @Id", new { Id = matching[7].TwitchClipId });
        if (Database.Dialect.HasTitleTrigrams)
        {
            // The triggers keep the keys: the renamed clip has its new title's keys only, the deleted one none.
            await using var connection = await Database.OpenAsync(Ct);
            var renamed = (await Clips.GetByTwitchIdAsync(matching[8].TwitchClipId, Ct))!.Id;
            Assert.Equal(TitleKeys.Of($"{tag} calm moment").Order(), (await Dapper.SqlMapper.QueryAsync<string>(connection,
                "SELECT title_key FROM clip_title_keys WHERE clip_id = @renamed", new { renamed })).Order());
            Assert.Equal(matching.Count - 2 + 1 /* "arcane clutch" */, await Dapper.SqlMapper.ExecuteScalarAsync<long>(connection,
                "SELECT COUNT(*) FROM clip_title_keys WHERE title_key = 'ane clu' AND clip_id IN (SELECT id FROM clips WHERE title LIKE @t)", new { t = $"%{tag}%" }));
        }
        Assert.Equal(newest.Where(v => v is not 8 and not 9), await PagesAsync($"{tag} insane clutch", ClipOrder.NewestFirst));
        Assert.Equal(new[] { 9 }, await PagesAsync($"{tag} calm moment", ClipOrder.NewestFirst));
    }

    [Fact]
    public async Task Query_TitleTextWithinAGame_OnceForATitleWithTwoOfItsKeys_AndPastAnotherCharacterAfterIt()
    {
        // "insane cl" is the start of two keys of the first title ("ane clu", "ane cli"): one result. The third title's
        // window "wow gg🔥" keeps its ASCII start as a key, so "wow gg" finds it.
        var game = Unique("g");
        await Clips.UpsertFoundAsync(
        [
            ClipStoreTests.Clip(game, 1) with { Title = "Insane clutch and insane clip" },
            ClipStoreTests.Clip(game, 2) with { Title = "insane cloud" },
            ClipStoreTests.Clip(game, 3) with { Title = "wow gg🔥 insane" },
        ], Ct);
        async Task<int[]> ViewsAsync(string text, ClipOrder order = ClipOrder.ViewsDesc) =>
            [.. (await Clips.QueryAsync(new ClipQuery { GameId = game, TitleContains = text, Order = order }, Ct)).Items.Select(c => c.ViewCount)];

        Assert.Equal(new[] { 2, 1 }, await ViewsAsync("insane cl"));
        Assert.Equal(new[] { 2, 1 }, await ViewsAsync("INSANE CL", ClipOrder.NewestFirst));
        Assert.Equal(new[] { 3 }, await ViewsAsync("WOW GG"));
        Assert.Equal(new[] { 3 }, await ViewsAsync("wow gg🔥 ins"));
    }

    [Fact]
    public async Task Counts_PerGameAndStatus_FollowEveryMove()
    {
        var (game, ids) = await DownloadedGameAsync(4);
        var otherGame = Unique("g");
        await Clips.UpsertFoundAsync([ClipStoreTests.Clip(otherGame, 1), ClipStoreTests.Clip(otherGame, 2)], Ct);
        await Clips.MoveAsync(ids[1], ClipStatus.Used, Ct);
        await Clips.MarkUnavailableAsync(ids[2], "deleted on Twitch", Ct);

        var all = await Clips.CountsAsync(null, Ct);
        Assert.Equal([(ClipStatus.Downloaded, 2L), (ClipStatus.Used, 1L), (ClipStatus.Unavailable, 1L)],
            all.Where(c => c.GameId == game).Select(c => (c.Status, c.Count)).OrderBy(c => c.Status));
        Assert.Equal([(ClipStatus.Found, 2L)], all.Where(c => c.GameId == otherGame).Select(c => (c.Status, c.Count)));
    }
}

public sealed class ClipQuerySqliteTests() : ClipQueryTests(new SqliteTestDatabase());

public sealed class ClipQueryMariaDbTests(MariaDbTestDatabase db) : ClipQueryTests(db), IClassFixture<MariaDbTestDatabase>;

public sealed class TitleKeysTests
{
    [Fact]
    public void Of_SevenCharactersAroundEachSpace_AsciiFolded_Distinct()
    {
        Assert.Equal(["ane clu", "tch cli", "lip 123"], TitleKeys.Of("Insane CLUTCH clip 1234"));
        Assert.Equal(["ane clu"], TitleKeys.Of("INSANE CLUTCH insane clutch"[..13]));
        Assert.Equal(["ane clu", "tch ins"], TitleKeys.Of("insane clutch insane clutch"));
        // Too near an end, or with a non-ASCII character in the window: no key (ASCII text can only match ASCII titles).
        Assert.Empty(TitleKeys.Of("ab cdefg"));
        Assert.Empty(TitleKeys.Of("abcdef"));
        Assert.Empty(TitleKeys.Of(null));
        Assert.Equal(["abc def"], TitleKeys.Of("Æabc defé"));
        // At the end of a title, a key with two characters after the space; one is not enough.
        Assert.Equal(["lip 17"], TitleKeys.Of("Clip 17"));
        Assert.Equal(["ane clu", "tch 17"], TitleKeys.Of("insane clutch 17"));
        Assert.Empty(TitleKeys.Of("clip 1"));
        Assert.Empty(TitleKeys.Of("abé def"));
        // Another character in the last place: the first six are kept (for text with two characters after the space).
        Assert.Equal(["wow gg", "ane ca"], TitleKeys.Of("wow gg🔥 Insane cañon"));
        Assert.Equal(["\"b\" c\\d"], TitleKeys.Of("\"B\" c\\d"));
        Assert.Equal("[\"\\u0022b\\u0022 c\\\\d\"]", TitleKeys.Json("\"B\" c\\d"));
        Assert.Equal("[]", TitleKeys.Json("no"));
        // Typed text: only ASCII text has keys.
        Assert.Empty(TitleKeys.OfText("é insane clutch"));
        Assert.Equal(["ane clu"], TitleKeys.OfText("insane clutch"));
        Assert.Empty(TitleKeys.OfText("clip 17"));
        Assert.Equal("lip 17", TitleKeys.PrefixOfText("Clip 17"));
        Assert.Equal("ane clu", TitleKeys.PrefixOfText("insane clutch 17"));
        Assert.Null(TitleKeys.PrefixOfText("clip 1"));
        Assert.True(string.CompareOrdinal("lip 17~", TitleKeys.After("lip 17")) < 0 && string.CompareOrdinal("lip 17", TitleKeys.After("lip 17")) < 0);
    }
}
