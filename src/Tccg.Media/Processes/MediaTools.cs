namespace Tccg.Media.Processes;

/// <summary>Where the ffmpeg and ffprobe executables are; names alone are looked up on PATH.</summary>
public sealed record MediaTools(string Ffmpeg = "ffmpeg", string Ffprobe = "ffprobe")
{
    public static MediaTools Default { get; } = new();
}
