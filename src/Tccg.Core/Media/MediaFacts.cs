namespace Tccg.Core.Media;

/// <summary>
/// What ffprobe says about a media file (first video and first audio stream): measured once when a clip is downloaded
/// or an asset uploaded, stored with it, and read back the same way.
/// </summary>
/// <param name="Duration">Container duration in seconds (the longest stream when the container has none).</param>
/// <param name="Width">Display width in pixels (rotation applied), 0 without video.</param>
/// <param name="Height">Display height in pixels (rotation applied), 0 without video.</param>
/// <param name="Fps">Average frame rate, 0 without video.</param>
/// <param name="VideoCodec">ffmpeg codec name of the first video stream, or null.</param>
/// <param name="AudioCodec">ffmpeg codec name of the first audio stream, or null.</param>
/// <param name="SampleRate">Audio sample rate in Hz, 0 without audio.</param>
/// <param name="Channels">Audio channel count, 0 without audio.</param>
/// <param name="Format">ffmpeg format name, e.g. <c>mov,mp4,m4a,3gp,3g2,mj2</c>.</param>
/// <param name="SizeBytes">File size as ffprobe saw it.</param>
public sealed record MediaFacts(
    double Duration,
    int Width,
    int Height,
    double Fps,
    string? VideoCodec,
    string? AudioCodec,
    int SampleRate,
    int Channels,
    string Format,
    long SizeBytes)
{
    public bool HasVideo => VideoCodec is not null;
    public bool HasAudio => AudioCodec is not null;
    public bool IsVertical => HasVideo && Height > Width;
}
