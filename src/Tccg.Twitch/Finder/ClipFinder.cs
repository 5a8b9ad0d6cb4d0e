using Microsoft.Extensions.Logging;
using Tccg.Core.Clips;
using Tccg.Core.Twitch;
using Tccg.Storage.Channels;
using Tccg.Storage.Clips;
using Tccg.Storage.Games;
using Tccg.Twitch.Helix;

namespace Tccg.Twitch.Finder;

/// <summary>What one find run did for one game or channel (<see cref="Game"/> is the source's name).</summary>
public sealed record FindResult(
    string Game, int Collected, int Accepted, int Duplicates, int Windows, int Splits, int Calls, RateBudget Budget);

/// <summary>
/// The clip finder for one saved game: collects the period's clips with the sliced collector, resolves
/// broadcaster logins, applies the game's filters, upserts the survivors into the clip bin as Found and
/// marks clips that show the same VOD moment as a more viewed one as Duplicate.
/// </summary>
public sealed class ClipFinder(
    ClipCollector collector,
    HelixClient helix,
    IClipStore clips,
    IGameStore games,
    IChannelStore channels,
    HelixRateLimiter limiter,
    TimeProvider time,
    ILogger<ClipFinder> logger)
{
    public Task<FindResult> FindAsync(Game game, ClipPeriod period, IProgress<FinderProgress>? progress, CancellationToken ct) =>
        FindSourceAsync(new Source(ClipScope.Game(game.TwitchGameId), game.Name, game.Filters, game.Schedule.IntervalMinutes,
            (last, next) => games.SetFindTimesAsync(game.Id, last, next, ct)), period, progress, ct);

    /// <summary>
    /// The finder for one saved channel: its clips by <c>broadcaster_id</c>, sliced past the cap like a game's, with the
    /// channel's filters, duplicate marking, and its find times stored. Each clip keeps the game it was clipped in.
    /// </summary>
    public Task<FindResult> FindChannelAsync(Channel channel, ClipPeriod period, IProgress<FinderProgress>? progress, CancellationToken ct) =>
        FindSourceAsync(new Source(ClipScope.Channel(channel.TwitchUserId), channel.Name, channel.Filters, channel.Schedule.IntervalMinutes,
            (last, next) => channels.SetFindTimesAsync(channel.Id, last, next, ct)), period, progress, ct);

    /// <summary>A game or a channel as the finder sees it.</summary>
    private sealed record Source(ClipScope Scope, string Name, ClipFilters Filters, int IntervalMinutes, Func<DateTimeOffset, DateTimeOffset?, Task> SetFindTimes);

    private async Task<FindResult> FindSourceAsync(Source game, ClipPeriod period, IProgress<FinderProgress>? progress, CancellationToken ct)
    {
        var startedAt = time.GetUtcNow();
        var range = ClipWindows.ForPeriod(period, startedAt);
        logger.LogInformation("Finding {Period} clips of {Source} ({Scope}, {Range})", period, game.Name, game.Scope, range);
        var collected = await collector.CollectAsync(game.Scope, game.Name, range, progress, ct);

        Report(progress, game.Name, "resolving logins", collected);
        var logins = await ResolveLoginsAsync(collected.Clips, ct);
        var candidates = collected.Clips.Select(c => ToCandidate(c, logins)).ToList();

        var filters = game.Filters;
        var alreadyKept = filters.PerBroadcasterCap > 0
            ? await CountKeptPerBroadcasterAsync(game.Scope, candidates, ct)
            : null;
        var accepted = filters.Apply(candidates, alreadyKept);
        var acceptedIds = accepted.Select(c => c.Id).ToHashSet(StringComparer.Ordinal);

        Report(progress, game.Name, "saving", collected);
        var found = collected.Clips.Where(c => acceptedIds.Contains(c.Id)).Select(c => ToFound(c, game.Scope)).ToList();
        foreach (var batch in found.Chunk(500))
            await clips.UpsertFoundAsync(batch, ct);
        var acceptedLogins = accepted.Where(c => c.BroadcasterLogin is not null)
            .GroupBy(c => c.BroadcasterId, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.First().BroadcasterLogin!, StringComparer.Ordinal);
        if (acceptedLogins.Count > 0)
            await clips.SetBroadcasterLoginsAsync(acceptedLogins, ct);

        Report(progress, game.Name, "checking duplicates", collected);
        var duplicates = await MarkDuplicatesAsync(accepted, ct);

        var next = game.IntervalMinutes > 0 ? startedAt.AddMinutes(game.IntervalMinutes) : (DateTimeOffset?)null;
        await game.SetFindTimes(startedAt, next);
        var result = new FindResult(game.Name, collected.Clips.Count, accepted.Count, duplicates,
            collected.Windows, collected.Splits, collected.Calls, limiter.Snapshot());
        progress?.Report(new FinderProgress(game.Name, "done", collected.Windows, collected.Windows, collected.Clips.Count, result.Budget));
        logger.LogInformation("Found {Collected} clips of {Source}; {Accepted} passed the filters, {Duplicates} duplicates",
            result.Collected, game.Name, result.Accepted, result.Duplicates);
        return result;
    }

    private void Report(IProgress<FinderProgress>? progress, string name, string phase, CollectResult collected) =>
        progress?.Report(new FinderProgress(name, phase, collected.Windows, collected.Windows, collected.Clips.Count, limiter.Snapshot()));

    private async Task<Dictionary<string, string>> ResolveLoginsAsync(IReadOnlyList<HelixClip> found, CancellationToken ct)
    {
        var ids = found.Select(c => c.BroadcasterId).Distinct(StringComparer.Ordinal).ToList();
        var users = await helix.GetUsersByIdAsync(ids, ct);
        return users.GroupBy(u => u.Id, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First().Login, StringComparer.Ordinal);
    }

    /// <summary>Clips each broadcaster already has in the bin for this game that this run did not see again.</summary>
    private async Task<Dictionary<string, int>> CountKeptPerBroadcasterAsync(
        ClipScope scope, IReadOnlyList<ClipCandidate> candidates, CancellationToken ct)
    {
        var seen = candidates.Select(c => c.Id).ToHashSet(StringComparer.Ordinal);
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        string? after = null;
        do
        {
            var page = await clips.QueryAsync(new ClipQuery
            {
                GameId = scope.Kind == ClipSourceKind.Game ? scope.TwitchId : null,
                BroadcasterId = scope.Kind == ClipSourceKind.Channel ? scope.TwitchId : null,
                Limit = 1000,
                After = after,
            }, ct);
            foreach (var clip in page.Items)
            {
                if (clip.Status is ClipStatus.Duplicate or ClipStatus.Unavailable || seen.Contains(clip.TwitchClipId))
                    continue;
                counts[clip.BroadcasterId] = counts.GetValueOrDefault(clip.BroadcasterId) + 1;
            }
            after = page.NextCursor;
        }
        while (after is not null);
        return counts;
    }

    /// <summary>
    /// Runs the overlap check over each VOD's clips (this run's and the bin's); marks the losers that are still waiting.
    /// Only VODs this run found two or more clips of that overlap are looked up in the bin: clips of one moment are
    /// made minutes apart, so they come back together (a VOD with one clip here needs no query).
    /// </summary>
    private async Task<int> MarkDuplicatesAsync(IReadOnlyList<ClipCandidate> accepted, CancellationToken ct)
    {
        var marked = 0;
        var suspects = accepted.Where(c => c.VideoId is not null && c.VodOffsetSeconds is not null)
            .GroupBy(c => c.VideoId!, StringComparer.Ordinal)
            .Where(g => g.Skip(1).Any() && VodOverlap.FindDuplicates(g).Count > 0)
            .Select(g => g.Key);
        foreach (var videoId in suspects)
        {
            ct.ThrowIfCancellationRequested();
            var records = (await clips.ListByVideoAsync(videoId, ct))
                .Where(r => r.Status is not (ClipStatus.Duplicate or ClipStatus.Unavailable))
                .ToList();
            if (records.Count < 2)
                continue;
            var byTwitchId = records.ToDictionary(r => r.TwitchClipId, StringComparer.Ordinal);
            foreach (var duplicate in VodOverlap.FindDuplicates(records.Select(FromRecord)))
            {
                var loser = byTwitchId[duplicate.ClipId];
                if (loser.Status is not (ClipStatus.Found or ClipStatus.Failed))
                    continue; // a clip already on disk or in a compilation stays as it is
                try
                {
                    await clips.MarkDuplicateAsync(loser.Id, byTwitchId[duplicate.DuplicateOfId].Id, ct);
                    marked++;
                }
                catch (IllegalClipTransitionException)
                {
                    // Another run (or the downloader) moved the clip meanwhile; its new status stands.
                }
            }
        }
        return marked;
    }

    private static ClipCandidate ToCandidate(HelixClip c, IReadOnlyDictionary<string, string> logins) =>
        new(c.Id, c.BroadcasterId, c.BroadcasterName, logins.GetValueOrDefault(c.BroadcasterId), c.Language, c.ViewCount,
            c.Duration, c.CreatedAt, c.VideoId, c.VodOffset);

    private static ClipCandidate FromRecord(ClipRecord r) =>
        new(r.TwitchClipId, r.BroadcasterId, r.BroadcasterName, r.BroadcasterLogin, r.Language, r.ViewCount,
            r.Duration, r.CreatedAt, r.VideoId.Length > 0 ? r.VideoId : null, r.VodOffset);

    private static FoundClip ToFound(HelixClip c, ClipScope scope) => new()
    {
        TwitchClipId = c.Id,
        Url = c.Url ?? $"https://clips.twitch.tv/{c.Id}",
        EmbedUrl = c.EmbedUrl ?? "",
        BroadcasterId = c.BroadcasterId,
        BroadcasterName = c.BroadcasterName,
        CreatorId = c.CreatorId ?? "",
        CreatorName = c.CreatorName ?? "",
        VideoId = c.VideoId ?? "",
        // A channel's clips keep the category they were clipped in.
        GameId = scope.Kind == ClipSourceKind.Game ? scope.TwitchId : c.GameId ?? "",
        Language = c.Language,
        Title = c.Title,
        ViewCount = c.ViewCount,
        CreatedAt = c.CreatedAt,
        ThumbnailUrl = c.ThumbnailUrl ?? "",
        Duration = c.Duration,
        VodOffset = c.VodOffset,
        IsFeatured = c.IsFeatured,
    };
}
