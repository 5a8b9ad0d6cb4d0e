using Tccg.Core.Clips;
using Tccg.Core.Twitch;

namespace Tccg.Storage.Clips;

/// <summary>The clip bin: found clips, their status moves, and the queries the finder, downloader and editor run.</summary>
public interface IClipStore
{
    /// <summary>
    /// Inserts new clips as <see cref="ClipStatus.Found"/>; a clip already in the bin gets its Helix fields
    /// (views, title, names, thumbnail, …) refreshed but keeps its status, file and history. One transaction.
    /// Returns the number of clips written.
    /// </summary>
    Task<int> UpsertFoundAsync(IReadOnlyCollection<FoundClip> clips, CancellationToken ct);

    Task<ClipRecord?> GetAsync(long clipId, CancellationToken ct);

    /// <summary>The clips of these ids that exist, by id, in one query per 500 ids.</summary>
    Task<IReadOnlyDictionary<long, ClipRecord>> GetManyAsync(IReadOnlyCollection<long> clipIds, CancellationToken ct);

    Task<ClipRecord?> GetByTwitchIdAsync(string twitchClipId, CancellationToken ct);

    /// <summary>Found/Failed/Missing/Used → Downloaded, with the file's facts; clears the last error and retry time.</summary>
    /// <exception cref="IllegalClipTransitionException">The clip's status does not allow the move.</exception>
    Task<ClipRecord> MarkDownloadedAsync(long clipId, DownloadedClipFile file, CancellationToken ct);

    /// <summary>→ Failed: counts the attempt, keeps the error, and when to retry (null: never by itself).</summary>
    Task<ClipRecord> MarkFailedAsync(long clipId, string error, DateTimeOffset? nextRetryAt, CancellationToken ct);

    /// <summary>→ Duplicate of another clip (same VOD moment).</summary>
    Task<ClipRecord> MarkDuplicateAsync(long clipId, long duplicateOfClipId, CancellationToken ct);

    /// <summary>→ Duplicate of another clip, keeping <paramref name="reason"/> (e.g. "same audio as …") as the last error.</summary>
    Task<ClipRecord> MarkDuplicateAsync(long clipId, long duplicateOfClipId, string reason, CancellationToken ct);

    /// <summary>→ Unavailable (deleted on Twitch), keeping <paramref name="reason"/> as the last error.</summary>
    Task<ClipRecord> MarkUnavailableAsync(long clipId, string reason, CancellationToken ct);

    /// <summary>A move that carries no details: Used (stamps used_at), Missing and Found (both forget the file).</summary>
    Task<ClipRecord> MoveAsync(long clipId, ClipStatus to, CancellationToken ct);

    /// <summary>A page of clips filtered by game, status, views, creation date and review state, keyset-paged.</summary>
    Task<ClipPage> QueryAsync(ClipQuery query, CancellationToken ct);

    /// <summary>The editor's next clips: downloaded clips of a game, most viewed first, not yet kept or skipped in the compilation.</summary>
    Task<IReadOnlyList<ClipRecord>> NextToReviewAsync(string gameId, long compilationId, int count, CancellationToken ct);

    /// <summary>The editor's next clips of a game or of a channel, most viewed first, not yet kept or skipped in the compilation.</summary>
    Task<IReadOnlyList<ClipRecord>> NextToReviewAsync(ClipScope scope, long compilationId, int count, CancellationToken ct);

    /// <summary>Clip counts per game and status (from a counter table, not a scan), of one game or all. Zero counts are left out.</summary>
    Task<IReadOnlyList<ClipCount>> CountsAsync(string? gameId, CancellationToken ct);

    /// <summary>Clip counts per status of one channel (Twitch user id), from the (broadcaster, status, views) index.</summary>
    Task<IReadOnlyList<ClipCount>> CountsOfChannelAsync(string broadcasterId, CancellationToken ct);

    /// <summary>Found clips (in the order found), then failed clips whose retry time has come; at most <paramref name="limit"/>.</summary>
    Task<IReadOnlyList<ClipRecord>> DueForDownloadAsync(int limit, CancellationToken ct);

    /// <summary>Every clip cut from one VOD (for the overlap check that marks duplicates).</summary>
    Task<IReadOnlyList<ClipRecord>> ListByVideoAsync(string videoId, CancellationToken ct);

    /// <summary>Broadcaster ids that still have clips without a login, at most <paramref name="limit"/>.</summary>
    Task<IReadOnlyList<string>> BroadcastersWithoutLoginAsync(int limit, CancellationToken ct);

    /// <summary>Fills the missing <c>broadcaster_login</c> of every clip of each broadcaster id; returns clips updated.</summary>
    Task<int> SetBroadcasterLoginsAsync(IReadOnlyDictionary<string, string> loginByBroadcasterId, CancellationToken ct);
}
