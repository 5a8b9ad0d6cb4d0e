using Tccg.Core.Timeline;

namespace Tccg.Media.Rendering;

/// <summary>What to render and where the pieces go.</summary>
public sealed record RenderRequest
{
    /// <summary>The timeline (validated again before rendering).</summary>
    public required TimelineDocument Timeline { get; init; }

    /// <summary>Folder the timeline's relative paths start from (the timeline file's folder).</summary>
    public required string BaseDirectory { get; init; }

    /// <summary>The MP4 to write; the description goes beside it with the extension .txt.</summary>
    public required string OutputPath { get; init; }

    /// <summary>Cached segments, shared between compilations (<c>Tccg:Storage</c> SegmentCacheDir).</summary>
    public required string SegmentCacheDir { get; init; }

    /// <summary>Integrated loudness (LUFS) already known per full file path, e.g. from the clip bin; others are measured.</summary>
    public IReadOnlyDictionary<string, double>? KnownLoudness { get; init; }

    /// <summary>Segments encoded at once; null uses GeneratorOptions.Parallelism (0 = one per core, plus one).</summary>
    public int? Parallelism { get; init; }

    /// <summary>
    /// Size cap of the segment cache, trimmed when the render ends (successful or not); 0 means unlimited, null uses
    /// GeneratorOptions.SegmentCacheMaxMb.
    /// </summary>
    public long? SegmentCacheMaxBytes { get; init; }

    /// <summary>Reads a timeline file; relative paths in it start from its folder.</summary>
    public static RenderRequest FromFile(string timelinePath, string outputPath, string segmentCacheDir)
    {
        var full = Path.GetFullPath(timelinePath);
        return new RenderRequest
        {
            Timeline = TimelineLoader.LoadFile(full),
            BaseDirectory = Path.GetDirectoryName(full)!,
            OutputPath = Path.GetFullPath(outputPath),
            SegmentCacheDir = Path.GetFullPath(segmentCacheDir),
        };
    }
}

public enum RenderStage
{
    Probing,
    MeasuringLoudness,
    EncodingSegments,
    Assembling,
    Done,
}

/// <summary>Progress of a render: stage, overall percent (0–100) and estimated time left.</summary>
public sealed record RenderProgress(RenderStage Stage, double Percent, TimeSpan? Eta, int SegmentsDone, int SegmentsTotal)
{
    public string StageText => Stage switch
    {
        RenderStage.Probing => "Probing media",
        RenderStage.MeasuringLoudness => "Measuring loudness",
        RenderStage.EncodingSegments => $"Encoding segments {SegmentsDone}/{SegmentsTotal}",
        RenderStage.Assembling => "Assembling video and audio",
        _ => "Done",
    };
}

/// <summary>What a render produced and how much work it reused.</summary>
public sealed record RenderResult(
    string OutputPath,
    string DescriptionPath,
    double DurationSeconds,
    int VideoSegmentsEncoded,
    int AudioSegmentsRendered,
    int SegmentsReused,
    IReadOnlyList<string> VideoSegmentKeys,
    TimeSpan Elapsed)
{
    /// <summary>The upload thumbnail written beside the output (<c>NAME.jpg</c>).</summary>
    public string ThumbnailPath => Path.ChangeExtension(OutputPath, ".jpg");
}
