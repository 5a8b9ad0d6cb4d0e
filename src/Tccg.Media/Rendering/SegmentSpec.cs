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
/// Where overlays may go on a portrait (9:16) output: Shorts, TikTok and Reels draw their own UI over the top
/// 8 % and the bottom 20 % of the picture.
/// </summary>
public static class SafeArea
{
    public const double VerticalTop = 0.08;
    public const double VerticalBottom = 0.20;
}

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
    OutputSettings Output,
    Layout? Layout = null,
    OverlaySpec? Caption = null)
{
    /// <summary>Bump when the segment commands change in a way that changes their output.</summary>
    public const int RendererVersion = 2;
    public const int SampleRate = 48000;

    public double Seconds => (double)Frames / Output.Fps;

    public bool UsesBlurFill => EffectiveMode == LayoutMode.Blur;

    /// <summary>
    /// How the picture is placed: the layout's mode, where <c>blur</c> falls back to <c>fit</c> when the aspects
    /// match (nothing to fill); without a layout, <c>output.fill</c> decides (blur only for narrower pictures).
    /// </summary>
    public LayoutMode EffectiveMode
    {
        get
        {
            if (!HasVideo || InputWidth <= 0 || InputHeight <= 0)
                return LayoutMode.Fit;
            var input = (double)InputWidth / InputHeight;
            var output = (double)Output.Width / Output.Height;
            return Layout?.Mode switch
            {
                null => Output.Fill == FillMode.Blur && input < output - 0.01 ? LayoutMode.Blur : LayoutMode.Fit,
                LayoutMode.Blur => Math.Abs(input - output) > 0.01 ? LayoutMode.Blur : LayoutMode.Fit,
                { } mode => mode,
            };
        }
    }

    /// <summary>Portrait outputs keep overlays out of the apps' own UI (see <see cref="SafeArea"/>).</summary>
    public bool IsVertical => Output.Height > Output.Width;

    private string PictureKey => EffectiveMode switch
    {
        LayoutMode.Fit => "letterbox",
        LayoutMode.Blur => "blur",
        _ => Layout!.Key,
    };

    public string VideoKey => Hash(string.Join('\n',
        "video", RendererVersion.ToString(CultureInfo.InvariantCulture), Input.Key, Bool(HasVideo), N(TrimStart),
        I(Frames), I(Output.Width), I(Output.Height), I(Output.Fps), Output.Preset, I(Output.Crf),
        PictureKey,
        Overlay is { } o ? OverlayKey(o) + (IsVertical ? "|safe-area" : "") : "no-overlay")
        + (Caption is { } c ? "\ncaption|" + OverlayKey(c) : ""));

    private static string OverlayKey(OverlaySpec o) => string.Join('|', o.Text, o.FontFile, o.Color, o.OutlineColor, o.Position.ToString(), N(o.Seconds));

    public string AudioKey => Hash(string.Join('\n',
        "audio", RendererVersion.ToString(CultureInfo.InvariantCulture), Input.Key, Bool(HasAudio), N(TrimStart),
        I(Frames), I(Output.Fps), Samples.ToString(CultureInfo.InvariantCulture)));

    private static string Hash(string text) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..32];

    private static string N(double v) => v.ToString("R", CultureInfo.InvariantCulture);
    private static string I(int v) => v.ToString(CultureInfo.InvariantCulture);
    private static string Bool(bool b) => b ? "1" : "0";
}
