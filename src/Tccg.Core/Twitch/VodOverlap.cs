namespace Tccg.Core.Twitch;

/// <summary>A clip found to show the same VOD moment as a more viewed one.</summary>
public sealed record DuplicateClip(string ClipId, string DuplicateOfId);

/// <summary>
/// Duplicate detection (docs/architecture.md): clips of the same VOD (<c>video_id</c>) whose
/// <c>vod_offset .. vod_offset + duration</c> ranges overlap show the same moment; the most viewed is kept.
/// </summary>
public static class VodOverlap
{
    public static IReadOnlyList<DuplicateClip> FindDuplicates(IEnumerable<ClipCandidate> clips)
    {
        var duplicates = new List<DuplicateClip>();
        var byVideo = clips
            .Where(c => !string.IsNullOrEmpty(c.VideoId) && c.VodOffsetSeconds is not null)
            .GroupBy(c => c.VideoId!, StringComparer.Ordinal);
        foreach (var group in byVideo)
        {
            var kept = new List<ClipCandidate>();
            foreach (var clip in group.OrderByDescending(c => c.ViewCount).ThenBy(c => c.Id, StringComparer.Ordinal))
            {
                var winner = kept.FirstOrDefault(k => Overlaps(k, clip));
                if (winner is null)
                    kept.Add(clip);
                else
                    duplicates.Add(new DuplicateClip(clip.Id, winner.Id));
            }
        }
        return duplicates;
    }

    /// <summary>True when both clips come from the same VOD and their ranges share more than an instant.</summary>
    public static bool Overlaps(ClipCandidate a, ClipCandidate b)
    {
        if (string.IsNullOrEmpty(a.VideoId) || !string.Equals(a.VideoId, b.VideoId, StringComparison.Ordinal)
            || a.VodOffsetSeconds is not { } aStart || b.VodOffsetSeconds is not { } bStart)
            return false;
        return aStart < bStart + b.DurationSeconds && bStart < aStart + a.DurationSeconds;
    }
}
