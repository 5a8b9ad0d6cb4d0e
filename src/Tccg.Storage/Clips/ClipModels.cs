using Tccg.Core.Clips;
using Tccg.Core.Media;

namespace Tccg.Storage.Clips;

/// <summary>A clip as Helix returned it: the finder's input to <see cref="IClipStore.UpsertFoundAsync"/>.</summary>
public sealed record FoundClip
{
    public required string TwitchClipId { get; init; }
    public required string Url { get; init; }
    public string EmbedUrl { get; init; } = "";
    public required string BroadcasterId { get; init; }
    /// <summary>Display name (may differ from the login, e.g. non-Latin names).</summary>
    public required string BroadcasterName { get; init; }
    public string CreatorId { get; init; } = "";
    public string CreatorName { get; init; } = "";
    /// <summary>Empty when the clip has no VOD.</summary>
    public string VideoId { get; init; } = "";
    public required string GameId { get; init; }
    public string Language { get; init; } = "";
    public string Title { get; init; } = "";
    public int ViewCount { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public string ThumbnailUrl { get; init; } = "";
    /// <summary>Seconds.</summary>
    public double Duration { get; init; }
    /// <summary>Seconds into the VOD, when known.</summary>
    public int? VodOffset { get; init; }
    public bool IsFeatured { get; init; }
}

/// <summary>A clip in the clip bin: the Helix fields plus what we learned and did with it.</summary>
public sealed class ClipRecord
{
    public long Id { get; init; }
    public string TwitchClipId { get; init; } = "";
    public string Url { get; init; } = "";
    public string EmbedUrl { get; init; } = "";
    public string BroadcasterId { get; init; } = "";
    public string BroadcasterName { get; init; } = "";
    /// <summary>Null until filled from Helix /users.</summary>
    public string? BroadcasterLogin { get; init; }
    public string CreatorId { get; init; } = "";
    public string CreatorName { get; init; } = "";
    public string VideoId { get; init; } = "";
    public string GameId { get; init; } = "";
    public string Language { get; init; } = "";
    public string Title { get; init; } = "";
    public int ViewCount { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public string ThumbnailUrl { get; init; } = "";
    public double Duration { get; init; }
    public int? VodOffset { get; init; }
    public bool IsFeatured { get; init; }

    public ClipStatus Status { get; init; }
    public string? FilePath { get; init; }
    public long? FileSize { get; init; }
    public int? Width { get; init; }
    public int? Height { get; init; }
    public double? Fps { get; init; }
    public string? VideoCodec { get; init; }
    public string? AudioCodec { get; init; }
    public bool? HasAudio { get; init; }
    public int? SampleRate { get; init; }
    public int? Channels { get; init; }
    public double? MediaDuration { get; init; }
    public double? LoudnessLufs { get; init; }
    public int Attempts { get; init; }
    public string? LastError { get; init; }
    public DateTimeOffset? NextRetryAt { get; init; }
    public long? DuplicateOf { get; init; }
    public DateTimeOffset FoundAt { get; init; }
    public DateTimeOffset? DownloadedAt { get; init; }
    public DateTimeOffset? UsedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }

    /// <summary>Twitch's portrait crop boxes as a timeline <c>layout</c> object (JSON); the clip's default in vertical compilations.</summary>
    public string? PortraitLayout { get; init; }

    /// <summary>The probed media facts, once the clip was downloaded.</summary>
    public MediaFacts? Media => Width is { } w && Height is { } h
        ? new MediaFacts(MediaDuration ?? 0, w, h, Fps ?? 0, VideoCodec, HasAudio == false ? null : AudioCodec, SampleRate ?? 0, Channels ?? 0, "", 0)
        : null;
}

/// <summary>The file a download produced, already renamed into place and probed.</summary>
/// <param name="Path">Where the file lives (as the downloader wants to find it again, usually relative to the data folder).</param>
/// <param name="PortraitLayout">Twitch's portrait crop boxes as a timeline <c>layout</c> object (JSON), when it sent some.</param>
public sealed record DownloadedClipFile(string Path, long Size, MediaFacts Media, double? LoudnessLufs, string? PortraitLayout = null);

/// <summary>How a clip list is sorted. Both orders page by keyset (stable under inserts).</summary>
public enum ClipOrder
{
    /// <summary>Most viewed first (ties: newest id first).</summary>
    ViewsDesc,
    /// <summary>Most recently created on Twitch first.</summary>
    NewestFirst,
}

/// <summary>Review state of a clip within one compilation.</summary>
public enum ReviewState
{
    Undecided,
    Kept,
    Skipped,
}

/// <summary>Only clips in <paramref name="State"/> for the compilation <paramref name="CompilationId"/>.</summary>
public sealed record ReviewFilter(long CompilationId, ReviewState State);

/// <summary>A page request; every filter is optional. Pass the previous page's <see cref="ClipPage.NextCursor"/> as <see cref="After"/>.</summary>
public sealed record ClipQuery
{
    public string? GameId { get; init; }
    /// <summary>Only clips of this channel (Twitch user id).</summary>
    public string? BroadcasterId { get; init; }
    public ClipStatus? Status { get; init; }
    public int? MinViews { get; init; }
    public DateTimeOffset? CreatedFrom { get; init; }
    public DateTimeOffset? CreatedBefore { get; init; }
    public ReviewFilter? Review { get; init; }
    /// <summary>Twitch language code, exact ("en", "ja").</summary>
    public string? Language { get; init; }
    /// <summary>The streamer's display name exactly, or their login (any case).</summary>
    public string? Streamer { get; init; }
    /// <summary>Text the title contains (case-insensitive; <c>%</c> and <c>_</c> are literal).</summary>
    public string? TitleContains { get; init; }
    /// <summary>Twitch's clip duration in seconds, at least / at most.</summary>
    public double? MinDuration { get; init; }
    public double? MaxDuration { get; init; }
    public ClipOrder Order { get; init; } = ClipOrder.ViewsDesc;
    /// <summary>Page size, 1 to 1000.</summary>
    public int Limit { get; init; } = 50;
    public string? After { get; init; }
    /// <summary>
    /// Read only the columns a clip list shows (<see cref="ClipStore.ListingColumns"/>: ids, Twitch fields, status,
    /// file and media facts, loudness, last error); the other members keep their defaults. About half the work of a
    /// full row, for the API's and the editor's lists.
    /// </summary>
    public bool ListingOnly { get; init; }
}

/// <summary>One page of clips; <see cref="NextCursor"/> is null on the last page.</summary>
public sealed record ClipPage(IReadOnlyList<ClipRecord> Items, string? NextCursor);

/// <summary>How many clips of a game are in a status.</summary>
public sealed record ClipCount(string GameId, ClipStatus Status, long Count);
