namespace Tccg.Core.Twitch;

/// <summary>Per-game filters of a saved game (docs/architecture.md). Empty or null means "no limit".</summary>
public sealed record ClipFilters
{
    public static readonly ClipFilters None = new();

    /// <summary>Twitch language codes to keep (<c>en</c> also keeps <c>en-gb</c>); empty keeps all.</summary>
    public IReadOnlyList<string> Languages { get; init; } = [];
    public int MinViews { get; init; }
    public double? MinDurationSeconds { get; init; }
    public double? MaxDurationSeconds { get; init; }

    /// <summary>Broadcaster logins (or ids) never to collect.</summary>
    public IReadOnlyList<string> BlockedBroadcasters { get; init; } = [];

    /// <summary>At most this many clips per broadcaster (the most viewed win); null or 0 means no cap.</summary>
    public int? PerBroadcasterCap { get; init; }

    /// <summary>The checks that look at one clip alone (everything but the per-broadcaster cap).</summary>
    public bool Accepts(ClipCandidate clip)
    {
        if (clip.ViewCount < MinViews)
            return false;
        if (MinDurationSeconds is { } min && clip.DurationSeconds < min)
            return false;
        if (MaxDurationSeconds is { } max && clip.DurationSeconds > max)
            return false;
        if (Languages.Count > 0 && !Languages.Any(l => LanguageMatches(l, clip.Language)))
            return false;
        return !IsBlocked(clip);
    }

    public bool IsBlocked(ClipCandidate clip) => BlockedBroadcasters.Any(b =>
        string.Equals(b, clip.BroadcasterLogin, StringComparison.OrdinalIgnoreCase)
        || string.Equals(b, clip.BroadcasterId, StringComparison.Ordinal)
        || string.Equals(b, clip.BroadcasterName, StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// Applies every filter to a set of clips: single-clip checks, then the per-broadcaster cap
    /// (most viewed first; <paramref name="alreadyKept"/> counts clips each broadcaster already has in the bin).
    /// The result is ordered by views, most viewed first.
    /// </summary>
    public IReadOnlyList<ClipCandidate> Apply(
        IEnumerable<ClipCandidate> clips, IReadOnlyDictionary<string, int>? alreadyKept = null)
    {
        var perBroadcaster = new Dictionary<string, int>(StringComparer.Ordinal);
        var kept = new List<ClipCandidate>();
        foreach (var clip in clips.Where(Accepts).OrderByDescending(c => c.ViewCount).ThenBy(c => c.Id, StringComparer.Ordinal))
        {
            if (PerBroadcasterCap is > 0 and var cap)
            {
                perBroadcaster.TryGetValue(clip.BroadcasterId, out var count);
                if (count == 0 && alreadyKept is not null)
                    alreadyKept.TryGetValue(clip.BroadcasterId, out count);
                if (count >= cap)
                    continue;
                perBroadcaster[clip.BroadcasterId] = count + 1;
            }
            kept.Add(clip);
        }
        return kept;
    }

    private static bool LanguageMatches(string wanted, string actual) =>
        string.Equals(wanted, actual, StringComparison.OrdinalIgnoreCase)
        || (actual.Length > wanted.Length && actual[wanted.Length] == '-'
            && actual.StartsWith(wanted, StringComparison.OrdinalIgnoreCase));
}
