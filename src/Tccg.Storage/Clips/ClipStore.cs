using System.Globalization;
using System.Text;
using Dapper;
using Tccg.Core.Clips;
using Tccg.Core.Twitch;
using Tccg.Storage.Database;

namespace Tccg.Storage.Clips;

/// <summary>Dapper implementation of <see cref="IClipStore"/> for SQLite and MariaDB.</summary>
public sealed partial class ClipStore(TccgDatabase database, TimeProvider time) : IClipStore
{
    private const string Select = "SELECT c.* FROM clips c";

    /// <summary>Up to this many clips in a game, title text within the game is searched by walking the game's titles.</summary>
    internal const long TitleWalkLimit = 200_000;

    /// <summary>The columns <see cref="ClipQuery.ListingOnly"/> reads.</summary>
    public const string ListingColumns =
        "c.id, c.twitch_clip_id, c.url, c.title, c.broadcaster_id, c.broadcaster_name, c.broadcaster_login, c.game_id, " +
        "c.language, c.view_count, c.created_at, c.thumbnail_url, c.duration, c.status, c.file_path, c.media_duration, " +
        "c.width, c.height, c.fps, c.loudness_lufs, c.last_error, c.duplicate_of";

    public async Task<ClipRecord?> GetAsync(long clipId, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<ClipRecord>(new CommandDefinition(
            Select + " WHERE c.id = @clipId", new { clipId }, cancellationToken: ct));
    }

    public async Task<IReadOnlyDictionary<long, ClipRecord>> GetManyAsync(IReadOnlyCollection<long> clipIds, CancellationToken ct)
    {
        var found = new Dictionary<long, ClipRecord>();
        if (clipIds.Count == 0)
            return found;
        await using var connection = await database.OpenAsync(ct);
        foreach (var chunk in clipIds.Distinct().Chunk(500))
        {
            foreach (var clip in await connection.QueryAsync<ClipRecord>(new CommandDefinition(
                Select + " WHERE c.id IN @ids", new { ids = chunk }, cancellationToken: ct)))
                found[clip.Id] = clip;
        }
        return found;
    }

    public async Task<ClipRecord?> GetByTwitchIdAsync(string twitchClipId, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<ClipRecord>(new CommandDefinition(
            Select + " WHERE c.twitch_clip_id = @twitchClipId", new { twitchClipId }, cancellationToken: ct));
    }

    public Task<ClipRecord> MarkDownloadedAsync(long clipId, DownloadedClipFile file, CancellationToken ct) =>
        TransitionAsync(clipId, ClipStatus.Downloaded, """
            file_path = @Path, file_size = @Size, width = @Width, height = @Height, fps = @Fps,
            video_codec = @VideoCodec, audio_codec = @AudioCodec, has_audio = @HasAudio, sample_rate = @SampleRate,
            channels = @Channels, media_duration = @Duration, loudness_lufs = @LoudnessLufs, portrait_layout = @PortraitLayout,
            last_error = NULL, next_retry_at = NULL, downloaded_at = @Now
            """,
            new
            {
                file.Path, file.Size, file.Media.Width, file.Media.Height, file.Media.Fps, file.Media.VideoCodec,
                file.Media.AudioCodec, file.Media.HasAudio, file.Media.SampleRate, file.Media.Channels,
                file.Media.Duration, file.LoudnessLufs, file.PortraitLayout,
            }, ct);

    public Task<ClipRecord> MarkFailedAsync(long clipId, string error, DateTimeOffset? nextRetryAt, CancellationToken ct) =>
        TransitionAsync(clipId, ClipStatus.Failed,
            "attempts = attempts + 1, last_error = @Error, next_retry_at = @NextRetryAt",
            new { Error = error, NextRetryAt = Db.Ms(nextRetryAt) }, ct);

    public Task<ClipRecord> MarkDuplicateAsync(long clipId, long duplicateOfClipId, CancellationToken ct)
    {
        if (clipId == duplicateOfClipId)
            throw new ArgumentException("A clip cannot be a duplicate of itself.", nameof(duplicateOfClipId));
        return TransitionAsync(clipId, ClipStatus.Duplicate, "duplicate_of = @DuplicateOf, next_retry_at = NULL",
            new { DuplicateOf = duplicateOfClipId }, ct);
    }

    public Task<ClipRecord> MarkDuplicateAsync(long clipId, long duplicateOfClipId, string reason, CancellationToken ct)
    {
        if (clipId == duplicateOfClipId)
            throw new ArgumentException("A clip cannot be a duplicate of itself.", nameof(duplicateOfClipId));
        return TransitionAsync(clipId, ClipStatus.Duplicate, "duplicate_of = @DuplicateOf, next_retry_at = NULL, last_error = @Reason",
            new { DuplicateOf = duplicateOfClipId, Reason = reason }, ct);
    }

    public Task<ClipRecord> MarkUnavailableAsync(long clipId, string reason, CancellationToken ct) =>
        TransitionAsync(clipId, ClipStatus.Unavailable, "last_error = @Reason, next_retry_at = NULL", new { Reason = reason }, ct);

    public Task<ClipRecord> MoveAsync(long clipId, ClipStatus to, CancellationToken ct) => to switch
    {
        ClipStatus.Used => TransitionAsync(clipId, to, "used_at = @Now", null, ct),
        ClipStatus.Missing => TransitionAsync(clipId, to, "file_path = NULL, file_size = NULL", null, ct),
        ClipStatus.Found => TransitionAsync(clipId, to,
            "file_path = NULL, file_size = NULL, next_retry_at = NULL, duplicate_of = NULL, attempts = 0, last_error = NULL", null, ct),
        _ => throw new ArgumentException(
            $"Use {nameof(MarkDownloadedAsync)}, {nameof(MarkFailedAsync)}, {nameof(MarkDuplicateAsync)} or {nameof(MarkUnavailableAsync)} to move a clip to {to}.", nameof(to)),
    };

    /// <summary>
    /// Reads the current status, checks the rule, then updates only if the status is still the one read
    /// (a concurrent move makes the UPDATE match nothing, and the move is re-checked against the new status).
    /// </summary>
    private async Task<ClipRecord> TransitionAsync(long clipId, ClipStatus to, string set, object? details, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        for (var attempt = 0; ; attempt++)
        {
            var current = await connection.QuerySingleOrDefaultAsync<StatusRow>(new CommandDefinition(
                "SELECT twitch_clip_id, status FROM clips WHERE id = @clipId", new { clipId }, cancellationToken: ct))
                ?? throw new NotFoundInStoreException($"Clip {clipId.ToString(CultureInfo.InvariantCulture)}");
            var from = Db.Parse<ClipStatus>(current.Status);
            if (!ClipStatusRules.CanMove(from, to))
                throw new IllegalClipTransitionException(current.TwitchClipId, from, to);

            var parameters = new DynamicParameters(details);
            parameters.Add("Id", clipId);
            parameters.Add("From", Db.Name(from));
            parameters.Add("To", Db.Name(to));
            parameters.Add("Now", Db.Ms(time.GetUtcNow()));
            var changed = await connection.ExecuteAsync(new CommandDefinition(
                $"UPDATE clips SET status = @To, updated_at = @Now, {set} WHERE id = @Id AND status = @From",
                parameters, cancellationToken: ct));
            if (changed == 1)
            {
                return await connection.QuerySingleAsync<ClipRecord>(new CommandDefinition(
                    Select + " WHERE c.id = @clipId", new { clipId }, cancellationToken: ct));
            }
            if (attempt >= 10)
                throw new InvalidOperationException($"Clip {current.TwitchClipId} kept changing status; gave up moving it to {to}.");
        }
    }

    public async Task<ClipPage> QueryAsync(ClipQuery query, CancellationToken ct)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(query.Limit, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(query.Limit, 1000);
        // The page's ids come from a covering sort index alone (migrations 12 and 14: game or not, views or date, with
        // status, language, duration and the other key; game + status and game + language first), and only the page's
        // rows are read; except for title text, whose candidates (title keys, trigrams) are checked on their rows.
        // A connection that keeps its statements prepared: planning these against the clips' many indexes costs more than
        // running most of them.
        await using var reads = await database.OpenForReadsAsync(ct);
        var connection = reads.Connection;
        var sql = new StringBuilder();
        var p = new DynamicParameters();
        var sortColumn = query.Order == ClipOrder.ViewsDesc ? "view_count" : "created_at";
        var key = "c." + sortColumn;
        var access = ""; // SQLite: how the clips are reached when the planner cannot know (INDEXED BY, NOT INDEXED)
        string? keyEntries = null; // SQLite: the title key entries the page comes from (migration 15), as FROM … WHERE on k
        var keyRange = false; // … and whether they are a range of keys
        if (query.GameId is not null)
        {
            sql.Append(" AND c.game_id = @GameId");
            p.Add("GameId", query.GameId);
        }
        if (query.BroadcasterId is not null)
        {
            sql.Append(" AND c.broadcaster_id = @BroadcasterId");
            p.Add("BroadcasterId", query.BroadcasterId);
        }
        if (query.Status is { } status)
        {
            sql.Append(" AND c.status = @Status");
            p.Add("Status", Db.Name(status));
        }
        if (query.MinViews is { } minViews)
        {
            sql.Append(" AND c.view_count >= @MinViews");
            p.Add("MinViews", minViews);
        }
        if (query.CreatedFrom is { } from)
        {
            sql.Append(" AND c.created_at >= @CreatedFrom");
            p.Add("CreatedFrom", Db.Ms(from));
        }
        if (query.CreatedBefore is { } before)
        {
            sql.Append(" AND c.created_at < @CreatedBefore");
            p.Add("CreatedBefore", Db.Ms(before));
        }
        if (query.Language is { } language)
        {
            sql.Append(" AND c.language = @Language");
            p.Add("Language", language);
        }
        if (!string.IsNullOrEmpty(query.TitleContains))
        {
            var text = query.TitleContains;
            // The two ways a title is tested: LIKE (ASCII letters folded, as the trigram index folds them), and the
            // trigram table (migration 12) holding the FTS5 query given.
            void TitleLike()
            {
                sql.Append(" AND ").Append(database.Dialect.LikeIgnoringCase("c.title", "@Title"));
                p.Add("Title", "%" + text.Replace("!", "!!", StringComparison.Ordinal)
                    .Replace("%", "!%", StringComparison.Ordinal).Replace("_", "!_", StringComparison.Ordinal) + "%");
            }
            void TitleMatches(string match)
            {
                sql.Append(" AND c.id IN (SELECT rowid FROM clip_titles WHERE clip_titles MATCH @TitleMatch)");
                p.Add("TitleMatch", match);
            }
            var keyed = database.Dialect.HasTitleTrigrams && query.Streamer is null && Ascii.IsValid(text);
            var rarestKey = keyed && query.GameId is null ? await RarestTitleKeyAsync(connection, text, ct) : null;
            var keyStart = keyed && query.GameId is not null ? TitleKeys.PrefixOfText(text) : null;
            if (keyStart is not null && await CachedCountAsync(connection, $"{query.GameId}\n{keyStart}", GameKeyEntries, GameKeyCap,
                new { query.GameId, KeyFrom = keyStart, KeyTo = TitleKeys.After(keyStart) }, ct) < GameKeyCap)
            {
                // Within a game, text with a title key (three characters, a space, two or three more) that fewer than
                // GameKeyCap of the game's entries hold (counted once, kept ten minutes): the game's entries of the keys
                // that start with it (ix_clip_title_keys_game), sorted on the entries, then each clip's row checked (the
                // other filters and LIKE) in that order until the page is full. A more common one is a title walk below.
                TitleLike();
                p.Add("KeyFrom", keyStart);
                p.Add("KeyTo", TitleKeys.After(keyStart));
                keyEntries = GameKeyEntries;
                keyRange = true;
            }
            else if (rarestKey is { } k && k.Count < TrigramCountCap)
            {
                // Over every game, text with a whole key (three characters each side of a space): the entries of its rarest
                // key, newest first straight from the key's date order (the walk stops at the page), or by views sorted on
                // the entries; then each clip's row checked as above.
                TitleLike();
                p.Add("TitleKey", k.Key);
                keyEntries = KeyEntries;
            }
            else if (keyed && query.GameId is not null && await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                "SELECT COALESCE(SUM(n), 0) FROM clip_counts WHERE game_id = @GameId", new { query.GameId }, cancellationToken: ct)) <= TitleWalkLimit)
            {
                // Within a game (of at most TitleWalkLimit clips): walk the game's titles in page order (migration 14) and
                // stop at the page. Common text ("clip 1") ends the walk early; text no title of the game holds costs one
                // pass over the game's index entries, still less than the trigram posting lists of a common word. LIKE
                // folds ASCII letters as the trigram index does for ASCII text.
                TitleLike();
                access = query.Order == ClipOrder.ViewsDesc ? " INDEXED BY ix_clips_title_game_views" : " INDEXED BY ix_clips_title_game_date";
            }
            else if (database.Dialect.HasTitleTrigrams && text.Length > 3 && Ascii.IsValid(text))
            {
                // Trigram index (migration 12), ASCII text: the candidates hold the text's two rarest trigrams (a phrase of
                // every trigram reads the posting lists of the common ones too, e.g. " cl" of every "clip"); LIKE keeps
                // those that hold the whole text, folding ASCII letters as the trigram index does.
                // When even the rarest trigram is in TrigramCountCap titles or more, the text is common: walking the sort order
                // with LIKE finds a page sooner than listing every candidate. Otherwise the candidates are few and the page
                // is read by id from them (NOT INDEXED: walking a sort index and testing each entry's id against the list
                // would read a row per entry for the LIKE). Text too short for two trigrams apart (under six characters)
                // goes as one phrase, as below.
                var rarest = await RarestTrigramsAsync(connection, text, ct);
                if (rarest[0].Count >= TrigramCountCap)
                {
                    TitleLike();
                }
                else if (rarest.Count == 2)
                {
                    TitleMatches(string.Join(" AND ", rarest.Select(t => FtsPhrase(t.Trigram))));
                    access = query.Streamer is null ? " NOT INDEXED" : "";
                    TitleLike();
                }
                else
                {
                    TitleMatches(FtsPhrase(text));
                }
            }
            else if (database.Dialect.HasTitleTrigrams && text.EnumerateRunes().Count() >= 3)
            {
                // Trigram index (migration 12): the clips whose title holds the text, case-insensitive, as one phrase.
                TitleMatches(FtsPhrase(text));
            }
            else
            {
                TitleLike();
            }
        }
        if (query.MinDuration is { } minDuration)
        {
            sql.Append(" AND c.duration >= @MinDuration");
            p.Add("MinDuration", minDuration);
        }
        if (query.MaxDuration is { } maxDuration)
        {
            sql.Append(" AND c.duration <= @MaxDuration");
            p.Add("MaxDuration", maxDuration);
        }
        if (query.Review is { } review)
        {
            p.Add("ReviewCompilation", review.CompilationId);
            if (review.State == ReviewState.Undecided)
            {
                sql.Append(" AND NOT EXISTS (SELECT 1 FROM review_decisions d WHERE d.compilation_id = @ReviewCompilation AND d.clip_id = c.id)");
            }
            else
            {
                sql.Append(" AND EXISTS (SELECT 1 FROM review_decisions d WHERE d.compilation_id = @ReviewCompilation AND d.clip_id = c.id AND d.decision = @ReviewDecision)");
                p.Add("ReviewDecision", review.State == ReviewState.Kept ? "keep" : "skip");
            }
        }
        if (query.After is { } cursor)
        {
            var (keyValue, id) = ParseCursor(cursor, query.Order);
            // A walk of title key entries starts at the cursor on the entries themselves.
            var (sortKey, sortId) = keyEntries is null ? (key, "c.id") : ("k." + sortColumn, "k.clip_id");
            var after = $" AND {sortKey} <= @CursorKey AND ({sortKey} < @CursorKey OR {sortId} < @CursorId)";
            if (keyEntries is null)
                sql.Append(after);
            else
                keyEntries += after;
            p.Add("CursorKey", keyValue);
            p.Add("CursorId", id);
        }
        var filters = sql.ToString();
        var limit = (query.Limit + 1).ToString(CultureInfo.InvariantCulture);
        var columns = query.ListingOnly ? ListingColumns : "c.*";
        string page;
        if (query.Streamer is { } streamer)
        {
            // The streamer's clips by display name come sorted from ix_clips_name_sort (migration 14) with both keys on
            // the entries; by login from ix_clips_login_missing (asked as a list of ids: the planner would rather scan the
            // table than trust an index of mostly missing logins). Each side is a short list, merged and cut to the page.
            p.Add("Streamer", streamer);
            p.Add("StreamerLogin", streamer.ToLowerInvariant());
            page = Rows($"SELECT s.id FROM (SELECT c.id, {key} AS sort_key FROM clips c WHERE c.broadcaster_name = @Streamer{filters}" +
                $" UNION SELECT c.id, {key} AS sort_key FROM clips c WHERE c.id IN (SELECT l.id FROM clips l WHERE l.broadcaster_login = @StreamerLogin){filters}) s" +
                $" ORDER BY s.sort_key DESC, s.id DESC LIMIT {limit}");
        }
        else if (keyEntries is not null)
        {
            // The key entries in page order (a co-routine: by date over every game straight from the key's order, else
            // sorted on the entries; for a range of keys, which a title can hold twice, grouped in the sort's own order so
            // one sorter does both), then each clip's row in that order: CROSS JOIN keeps the entries as the outer loop, so
            // the first rows that pass the filters are the page (no ORDER BY out here, which would read every candidate's
            // row before sorting again; the page is sorted below). The LIMIT inside keeps the subquery from being merged
            // into the join. This leans on how SQLite runs the statement, not on a guarantee of the language:
            // Query_TitleTextAroundASpace_* pages through both orders. The page's columns come from the rows read for the
            // filters (not read again by id).
            page = $"SELECT {columns} FROM (SELECT k.clip_id, k.{sortColumn} FROM {keyEntries}" +
                (keyRange ? $" GROUP BY k.{sortColumn}, k.clip_id" : "") +
                $" ORDER BY k.{sortColumn} DESC, k.clip_id DESC LIMIT {int.MaxValue}) k CROSS JOIN clips c ON c.id = k.clip_id WHERE 1 = 1{filters} LIMIT {limit}";
        }
        else
        {
            page = Rows($"SELECT c.id FROM clips c{access} WHERE 1 = 1{filters} ORDER BY {key} DESC, c.id DESC LIMIT {limit}");
        }

        // The rows of the page's ids (found on the indexes alone where the filters allow), read once each.
        string Rows(string ids) => $"SELECT {columns} FROM ({ids}) k JOIN clips c ON c.id = k.id";

        List<ClipRecord> rows;
        if (query.ListingOnly)
        {
            // Typed reads by ordinal: a list page is 50 rows of 22 columns, and the generic (boxed) reads were most of its cost.
            rows = await reads.RowsAsync(page, p, ReadListing, query.Limit + 1, ct);
        }
        else
        {
            await using var reader = await reads.Command(page, p).ExecuteReaderAsync(ct);
            rows = reader.Parse<ClipRecord>().AsList();
        }
        // The page is a handful of rows: sorting them here spares the database a sort of whole rows.
        rows.Sort(query.Order == ClipOrder.ViewsDesc
            ? (a, b) => a.ViewCount != b.ViewCount ? b.ViewCount.CompareTo(a.ViewCount) : b.Id.CompareTo(a.Id)
            : (a, b) => a.CreatedAt != b.CreatedAt ? b.CreatedAt.CompareTo(a.CreatedAt) : b.Id.CompareTo(a.Id));
        if (rows.Count <= query.Limit)
            return new ClipPage(rows, null);
        rows.RemoveAt(rows.Count - 1);
        var last = rows[^1];
        var lastKey = query.Order == ClipOrder.ViewsDesc ? last.ViewCount : Db.Ms(last.CreatedAt);
        return new ClipPage(rows, MakeCursor(query.Order, lastKey, last.Id));
    }

    /// <summary>How many titles hold each trigram or title key (counted up to <see cref="TrigramCountCap"/>), as of a few minutes ago.</summary>
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, (long Count, DateTimeOffset Until)> termCounts = new(StringComparer.Ordinal);

    private const int TrigramCountCap = 100_000;

    /// <summary>Up to this many entries of a game's title keys, title text within the game is found through them.</summary>
    private const int GameKeyCap = 20_000;

    /// <summary>The entries of one title key (<c>@TitleKey</c>), by key in date order (migration 15).</summary>
    private const string KeyEntries = "clip_title_keys k WHERE k.title_key = @TitleKey";

    /// <summary>A game's entries of the title keys from <c>@KeyFrom</c> up to <c>@KeyTo</c> (migration 15).</summary>
    private const string GameKeyEntries =
        "clip_title_keys k INDEXED BY ix_clip_title_keys_game WHERE k.game_id = @GameId AND k.title_key >= @KeyFrom AND k.title_key < @KeyTo";

    /// <summary>The title key of <paramref name="text"/> (<see cref="TitleKeys"/>) held by the fewest titles, with its count; null when the text has none.</summary>
    private async Task<(string Key, long Count)?> RarestTitleKeyAsync(System.Data.Common.DbConnection connection, string text, CancellationToken ct)
    {
        (string Key, long Count)? rarest = null;
        foreach (var key in TitleKeys.OfText(text))
        {
            var count = await CachedCountAsync(connection, key, KeyEntries, TrigramCountCap, new { TitleKey = key }, ct);
            if (rarest is null || count < rarest.Value.Count)
                rarest = (key, count);
        }
        return rarest;
    }

    /// <summary>
    /// How many rows <paramref name="source"/> (<c>FROM</c> it, with <paramref name="parameters"/>) has, counted up to
    /// <paramref name="cap"/> and remembered for ten minutes under <paramref name="cacheKey"/>.
    /// </summary>
    private async Task<long> CachedCountAsync(System.Data.Common.DbConnection connection, string cacheKey, string source, int cap, object parameters, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        if (termCounts.Count > 10_000)
            termCounts.Clear();
        if (!termCounts.TryGetValue(cacheKey, out var known) || known.Until < now)
        {
            var count = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                $"SELECT COUNT(*) FROM (SELECT 1 FROM {source} LIMIT {cap.ToString(CultureInfo.InvariantCulture)})", parameters, cancellationToken: ct));
            known = (count, now.AddMinutes(10));
            termCounts[cacheKey] = known;
        }
        return known.Count;
    }

    /// <summary>The (lower-case) trigrams of <paramref name="text"/> held by the fewest titles, at most two, with their counts.</summary>
    private async Task<IReadOnlyList<(string Trigram, long Count)>> RarestTrigramsAsync(System.Data.Common.DbConnection connection, string text, CancellationToken ct)
    {
        var lower = text.ToLowerInvariant();
        var counted = new List<(string Trigram, long Count, int At)>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var at = 0; at + 3 <= lower.Length; at++)
        {
            var trigram = lower.Substring(at, 3);
            if (!seen.Add(trigram))
                continue;
            var count = await CachedCountAsync(connection, trigram, "clip_titles WHERE clip_titles MATCH @Trigram", TrigramCountCap,
                new { Trigram = FtsPhrase(trigram) }, ct);
            counted.Add((trigram, count, at));
        }
        // The second one does not overlap the first, and of equally rare ones is the farthest: neighbouring trigrams are
        // mostly in the same titles ("ins", "ane" of "insane"), two far apart narrow the candidates down ("ins" of
        // "insane", "utc" of "clutch").
        var first = counted.MinBy(c => c.Count);
        var second = counted.Where(c => Math.Abs(c.At - first.At) >= 3)
            .OrderBy(c => c.Count).ThenByDescending(c => Math.Abs(c.At - first.At)).FirstOrDefault();
        return second.Trigram is null ? [(first.Trigram, first.Count)] : [(first.Trigram, first.Count), (second.Trigram, second.Count)];
    }

    /// <summary><paramref name="text"/> as one FTS5 phrase (quoted, its quotes doubled).</summary>
    private static string FtsPhrase(string text) => "\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    /// <summary>One row of <see cref="ListingColumns"/>, in that order.</summary>
    private static ClipRecord ReadListing(SqlRow r) => new()
    {
        Id = r.GetInt64(0),
        TwitchClipId = r.GetString(1),
        Url = r.GetString(2),
        Title = r.GetString(3),
        BroadcasterId = r.GetString(4),
        BroadcasterName = r.GetString(5),
        BroadcasterLogin = r.IsDBNull(6) ? null : r.GetString(6),
        GameId = r.GetString(7),
        Language = r.GetString(8),
        ViewCount = r.GetInt32(9),
        CreatedAt = Db.Time(r.GetInt64(10)),
        ThumbnailUrl = r.GetString(11),
        Duration = r.GetDouble(12),
        Status = ParseStatus(r.GetString(13)),
        FilePath = r.IsDBNull(14) ? null : r.GetString(14),
        MediaDuration = r.IsDBNull(15) ? null : r.GetDouble(15),
        Width = r.IsDBNull(16) ? null : r.GetInt32(16),
        Height = r.IsDBNull(17) ? null : r.GetInt32(17),
        Fps = r.IsDBNull(18) ? null : r.GetDouble(18),
        LoudnessLufs = r.IsDBNull(19) ? null : r.GetDouble(19),
        LastError = r.IsDBNull(20) ? null : r.GetString(20),
        DuplicateOf = r.IsDBNull(21) ? null : r.GetInt64(21),
    };

    /// <summary>The stored (lower-case) status name; the two common ones without parsing.</summary>
    private static ClipStatus ParseStatus(string value) => value switch
    {
        "found" => ClipStatus.Found,
        "downloaded" => ClipStatus.Downloaded,
        _ => Db.Parse<ClipStatus>(value),
    };

    public Task<IReadOnlyList<ClipRecord>> NextToReviewAsync(string gameId, long compilationId, int count, CancellationToken ct) =>
        NextToReviewAsync(ClipScope.Game(gameId), compilationId, count, ct);

    public async Task<IReadOnlyList<ClipRecord>> NextToReviewAsync(ClipScope scope, long compilationId, int count, CancellationToken ct)
    {
        var page = await QueryAsync(new ClipQuery
        {
            GameId = scope.Kind == ClipSourceKind.Game ? scope.TwitchId : null,
            BroadcasterId = scope.Kind == ClipSourceKind.Channel ? scope.TwitchId : null,
            Status = ClipStatus.Downloaded,
            Review = new ReviewFilter(compilationId, ReviewState.Undecided),
            Order = ClipOrder.ViewsDesc,
            Limit = count,
            ListingOnly = true,
        }, ct);
        return page.Items;
    }

    public async Task<IReadOnlyList<ClipCount>> CountsAsync(string? gameId, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var rows = await connection.QueryAsync<CountRow>(new CommandDefinition(
            "SELECT game_id, status, n FROM clip_counts WHERE n > 0" + (gameId is null ? "" : " AND game_id = @gameId") +
            " ORDER BY game_id, status", new { gameId }, cancellationToken: ct));
        return [.. rows.Select(r => new ClipCount(r.GameId, Db.Parse<ClipStatus>(r.Status), r.N))];
    }

    public async Task<IReadOnlyList<ClipCount>> CountsOfChannelAsync(string broadcasterId, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var rows = await connection.QueryAsync<CountRow>(new CommandDefinition(
            "SELECT broadcaster_id AS game_id, status, COUNT(*) AS n FROM clips WHERE broadcaster_id = @broadcasterId GROUP BY broadcaster_id, status ORDER BY status",
            new { broadcasterId }, cancellationToken: ct));
        return [.. rows.Select(r => new ClipCount(r.GameId, Db.Parse<ClipStatus>(r.Status), r.N))];
    }

    public async Task<IReadOnlyList<ClipRecord>> DueForDownloadAsync(int limit, CancellationToken ct)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        await using var connection = await database.OpenAsync(ct);
        var found = (await connection.QueryAsync<ClipRecord>(new CommandDefinition(
            Select + " WHERE c.status = 'found' AND c.next_retry_at IS NULL ORDER BY c.id LIMIT " + limit.ToString(CultureInfo.InvariantCulture),
            cancellationToken: ct))).AsList();
        if (found.Count < limit)
        {
            var retry = await connection.QueryAsync<ClipRecord>(new CommandDefinition(
                Select + " WHERE c.status = 'failed' AND c.next_retry_at <= @Now ORDER BY c.next_retry_at LIMIT " +
                (limit - found.Count).ToString(CultureInfo.InvariantCulture),
                new { Now = Db.Ms(time.GetUtcNow()) }, cancellationToken: ct));
            found.AddRange(retry);
        }
        return found;
    }

    public async Task<IReadOnlyList<ClipRecord>> ListByVideoAsync(string videoId, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(videoId))
            return [];
        await using var connection = await database.OpenAsync(ct);
        return (await connection.QueryAsync<ClipRecord>(new CommandDefinition(
            Select + " WHERE c.video_id = @videoId ORDER BY c.id", new { videoId }, cancellationToken: ct))).AsList();
    }

    public async Task<IReadOnlyList<string>> BroadcastersWithoutLoginAsync(int limit, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return (await connection.QueryAsync<string>(new CommandDefinition(
            "SELECT DISTINCT broadcaster_id FROM clips WHERE broadcaster_login IS NULL LIMIT " + limit.ToString(CultureInfo.InvariantCulture),
            cancellationToken: ct))).AsList();
    }

    public async Task<int> SetBroadcasterLoginsAsync(IReadOnlyDictionary<string, string> loginByBroadcasterId, CancellationToken ct)
    {
        if (loginByBroadcasterId.Count == 0)
            return 0;
        // One pass over the clips still without a login per 100 broadcasters (ix_clips_login_missing).
        var changed = 0;
        var now = Db.Ms(time.GetUtcNow());
        await using var connection = await database.OpenAsync(ct);
        foreach (var chunk in loginByBroadcasterId.Chunk(100))
        {
            var p = new DynamicParameters();
            p.Add("Now", now);
            var cases = new StringBuilder();
            var ids = new List<string>();
            for (var i = 0; i < chunk.Length; i++)
            {
                var (id, login) = chunk[i];
                p.Add($"Id{i}", id);
                p.Add($"Login{i}", login);
                cases.Append(CultureInfo.InvariantCulture, $" WHEN @Id{i} THEN @Login{i}");
                ids.Add($"@Id{i}");
            }
            changed += await connection.ExecuteAsync(new CommandDefinition(
                $"UPDATE clips SET broadcaster_login = CASE broadcaster_id{cases} END, updated_at = @Now " +
                $"WHERE broadcaster_login IS NULL AND broadcaster_id IN ({string.Join(", ", ids)})", p, cancellationToken: ct));
        }
        return changed;
    }

    private static string MakeCursor(ClipOrder order, long key, long id) =>
        string.Create(CultureInfo.InvariantCulture, $"{(order == ClipOrder.ViewsDesc ? 'v' : 'n')}{key}.{id}");

    private static (long Key, long Id) ParseCursor(string cursor, ClipOrder order)
    {
        var expected = order == ClipOrder.ViewsDesc ? 'v' : 'n';
        var dot = cursor.IndexOf('.', StringComparison.Ordinal);
        if (cursor.Length < 3 || cursor[0] != expected || dot < 2
            || !long.TryParse(cursor.AsSpan(1, dot - 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var key)
            || !long.TryParse(cursor.AsSpan(dot + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var id))
            throw new ArgumentException($"'{cursor}' is not a cursor of this query.", nameof(cursor));
        return (key, id);
    }

    private sealed class StatusRow
    {
        public string TwitchClipId { get; init; } = "";
        public string Status { get; init; } = "";
    }

    private sealed class CountRow
    {
        public string GameId { get; init; } = "";
        public string Status { get; init; } = "";
        public long N { get; init; }
    }
}
