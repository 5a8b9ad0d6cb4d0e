namespace Tccg.Core.Clips;

/// <summary>The legal moves between clip statuses. Storage refuses every other move.</summary>
public static class ClipStatusRules
{
    private static readonly Dictionary<ClipStatus, ClipStatus[]> Allowed = new()
    {
        [ClipStatus.Found] = [ClipStatus.Downloaded, ClipStatus.Failed, ClipStatus.Unavailable, ClipStatus.Duplicate],
        [ClipStatus.Failed] = [ClipStatus.Downloaded, ClipStatus.Failed, ClipStatus.Unavailable, ClipStatus.Found, ClipStatus.Duplicate],
        [ClipStatus.Downloaded] = [ClipStatus.Used, ClipStatus.Missing, ClipStatus.Duplicate, ClipStatus.Unavailable],
        [ClipStatus.Missing] = [ClipStatus.Found, ClipStatus.Downloaded],
        [ClipStatus.Used] = [ClipStatus.Missing, ClipStatus.Downloaded],
        [ClipStatus.Unavailable] = [ClipStatus.Found],
        [ClipStatus.Duplicate] = [ClipStatus.Found],
    };

    /// <summary>True when a clip in <paramref name="from"/> may move to <paramref name="to"/>.</summary>
    public static bool CanMove(ClipStatus from, ClipStatus to) =>
        Allowed.TryGetValue(from, out var targets) && Array.IndexOf(targets, to) >= 0;

    /// <summary>The statuses a clip in <paramref name="from"/> may move to.</summary>
    public static IReadOnlyList<ClipStatus> TargetsOf(ClipStatus from) =>
        Allowed.TryGetValue(from, out var targets) ? targets : [];
}

/// <summary>Thrown when code asks for a status move that <see cref="ClipStatusRules"/> forbids.</summary>
public sealed class IllegalClipTransitionException(string clipId, ClipStatus from, ClipStatus to)
    : InvalidOperationException($"Clip {clipId} cannot move from {from} to {to}.")
{
    public string ClipId { get; } = clipId;
    public ClipStatus From { get; } = from;
    public ClipStatus To { get; } = to;
}
