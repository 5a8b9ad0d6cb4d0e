using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Tccg.Core.Timeline;

namespace Tccg.Media.Rendering;

/// <summary>Identity of an input file: path, size and modification time (a changed file gets new segments).</summary>
public sealed record FileIdentity(string Path, long Size, long MtimeTicks)
{
    public static FileIdentity Of(string path)
    {
        var info = new FileInfo(path);
        return new FileIdentity(info.FullName, info.Length, info.LastWriteTimeUtc.Ticks);
    }

    public string Key => string.Create(CultureInfo.InvariantCulture, $"{Path}|{Size}|{MtimeTicks}");
}

/// <summary>The streamer-name overlay of a segment: text file contents, font file and style.</summary>
public sealed record OverlaySpec(string Text, string FontFile, string Color, string OutlineColor, OverlayPosition Position, double Seconds);

/// <summary>
/// Everything that decides one segment's pictures and sound. Loudness gain and volume are not part
/// of it: they are applied when the segments' audio is joined, so changing them re-renders nothing.
/// </summary>
public sealed record SegmentSpec(
    FileIdentity Input,
    bool HasVideo,
    bool HasAudio,
    int InputWidth,
    int InputHeight,
    double TrimStart,
    int Frames,
    long Samples,
    OverlaySpec? Overlay,
    OutputSettings Output)
{
    /// <summary>Bump when the segment commands change in a way that changes their output.</summary>
    public const int RendererVersion = 2;
    public const int SampleRate = 48000;

    public double Seconds => (double)Frames / Output.Fps;

    public bool UsesBlurFill => Output.Fill == FillMode.Blur && HasVideo
        && (double)InputWidth / InputHeight < (double)Output.Width / Output.Height - 0.01;

    public string VideoKey => Hash(string.Join('\n',
        "video", RendererVersion.ToString(CultureInfo.InvariantCulture), Input.Key, Bool(HasVideo), N(TrimStart),
        I(Frames), I(Output.Width), I(Output.Height), I(Output.Fps), Output.Preset, I(Output.Crf),
        UsesBlurFill ? "blur" : "letterbox",
        Overlay is { } o ? string.Join('|', o.Text, o.FontFile, o.Color, o.OutlineColor, o.Position.ToString(), N(o.Seconds)) : "no-overlay"));

    public string AudioKey => Hash(string.Join('\n',
        "audio", RendererVersion.ToString(CultureInfo.InvariantCulture), Input.Key, Bool(HasAudio), N(TrimStart),
        I(Frames), I(Output.Fps), Samples.ToString(CultureInfo.InvariantCulture)));

    private static string Hash(string text) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..32];

    private static string N(double v) => v.ToString("R", CultureInfo.InvariantCulture);
    private static string I(int v) => v.ToString(CultureInfo.InvariantCulture);
    private static string Bool(bool b) => b ? "1" : "0";
}
