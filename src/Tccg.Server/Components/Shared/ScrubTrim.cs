namespace Tccg.Server.Components.Shared;

/// <summary>Trims made on a timeline item's scrub bar, in seconds from the clip's start (null: the clip's start / end).</summary>
public sealed record ScrubTrim(long ClipId, double? TrimIn, double? TrimOut);
