namespace Tccg.Core.Clips;

/// <summary>Where a clip stands in the clip bin (docs/architecture.md).</summary>
public enum ClipStatus
{
    /// <summary>Seen by the finder; no file yet.</summary>
    Found = 0,
    /// <summary>The file is whole on disk, probed and measured.</summary>
    Downloaded = 1,
    /// <summary>Part of a rendered compilation.</summary>
    Used = 2,
    /// <summary>Was downloaded, but its file vanished.</summary>
    Missing = 3,
    /// <summary>Download failed; retried later with back-off.</summary>
    Failed = 4,
    /// <summary>Deleted on Twitch.</summary>
    Unavailable = 5,
    /// <summary>Overlaps another clip of the same VOD moment.</summary>
    Duplicate = 6,
}
