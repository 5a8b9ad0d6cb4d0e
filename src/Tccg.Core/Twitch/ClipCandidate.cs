namespace Tccg.Core.Twitch;

/// <summary>The facts about a found clip that filters and duplicate detection look at.</summary>
public sealed record ClipCandidate(
    string Id,
    string BroadcasterId,
    string BroadcasterName,
    string? BroadcasterLogin,
    string Language,
    int ViewCount,
    double DurationSeconds,
    DateTimeOffset CreatedAt,
    string? VideoId,
    int? VodOffsetSeconds);
