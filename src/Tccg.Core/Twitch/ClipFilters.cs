namespace Tccg.Core.Twitch;

/// <summary>
/// Which found clips a source (a saved game or a saved channel) keeps (docs/architecture.md): the ONE filter type
/// the finder, the stores, the API and the CLI share. Empty lists and zero bounds mean "no limit".
/// </summary>
public sealed record ClipFilters
{
    public static readonly ClipFilters None = new();

    /// <summary>Twitch language codes to keep (<c>en</c> also keeps <c>en-gb</c>); empty keeps all.</summary>
    public IReadOnlyList<string> Languages { get; init; } = [];

    public int MinViews { get; init; }

    /// <summary>Seconds; 0 means no minimum.</summary>
    public double MinDuration { get; init; }

    /// <summary>Seconds; 0 means no maximum.</summary>
    public double MaxDuration { get; init; }

    /// <summary>Broadcaster logins, ids or display names never to collect.</summary>
    public IReadOnlyList<string> BlockedBroadcasters { get; init; } = [];

    /// <summary>At most this many clips per broadcaster (the most viewed win); 0 means no cap.</summary>
    public int PerBroadcasterCap { get; init; }

    /// <summary>The first rule these filters break, naming the field (<c>filters.minViews</c>…), or null when valid.</summary>
    public Compilations.ValidationMessage? Check()
    {
        if (MinViews < 0)
            return new("filters.minViews", "must be 0 or more.");
        if (MinDuration < 0 || !double.IsFinite(MinDuration))
            return new("filters.minDuration", "must be 0 or more seconds.");
        if (MaxDuration < 0 || !double.IsFinite(MaxDuration))
            return new("filters.maxDuration", "must be 0 (no limit) or more seconds.");
        if (MaxDuration > 0 && MinDuration > MaxDuration)
            return new("filters.minDuration", "must not exceed filters.maxDuration.");
        if (PerBroadcasterCap < 0)
            return new("filters.perBroadcasterCap", "must be 0 (no cap) or more.");
        return null;
    }

    /// <summary>The checks that look at one clip alone (everything but the per-broadcaster cap).</summary>
    public bool Accepts(ClipCandidate clip)
    {
        if (clip.ViewCount < MinViews)
            return false;
        if (MinDuration > 0 && clip.DurationSeconds < MinDuration)
            return false;
        if (MaxDuration > 0 && clip.DurationSeconds > MaxDuration)
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
            if (PerBroadcasterCap > 0)
            {
                perBroadcaster.TryGetValue(clip.BroadcasterId, out var count);
                if (count == 0 && alreadyKept is not null)
                    alreadyKept.TryGetValue(clip.BroadcasterId, out count);
                if (count >= PerBroadcasterCap)
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
