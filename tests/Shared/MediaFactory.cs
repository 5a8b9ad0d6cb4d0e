using System.Globalization;
using Tccg.Media.Processes;

namespace Tccg.Tests;

/// <summary>
/// Tiny test media made with ffmpeg's lavfi sources, once per test run and name: the one factory of every test project
/// (compiled into each from tests/Shared). <see cref="Shared"/> serves static helpers; a test class may own one as well.
/// </summary>
public sealed class MediaFactory : IDisposable
{
    private readonly MediaProcessRunner _runner = new();
    private readonly Dictionary<string, Task<string>> _made = new(StringComparer.Ordinal);

    /// <summary>One factory for the whole test run.</summary>
    public static MediaFactory Shared { get; } = new();

    public string Dir { get; } = Directory.CreateTempSubdirectory("tccg-media-").FullName;

    /// <summary>Gameplay and facecam colours of <see cref="FacecamClipAsync"/>.</summary>
    public const string GameplayColor = "0x1E3CDC", FacecamColor = "0xDC1E1E";

    /// <summary>
    /// A clip of <paramref name="seconds"/> at WxH@fps: a dark moving pattern (or a plain <paramref name="colour"/> with
    /// <paramref name="label"/> drawn in the middle); with a one-frame white flash and a 50 ms beep at
    /// <paramref name="markAt"/> seconds when given, a steady tone (<paramref name="toneHz"/>) otherwise quietly underneath.
    /// </summary>
    public Task<string> ClipAsync(string name, double seconds, int width = 320, int height = 180, int fps = 30,
        int sampleRate = 48000, int channels = 2, bool audio = true, double? markAt = null, double toneDb = -20, string? rate = null,
        string? colour = null, string? label = null, int toneHz = 220, int? keyframeEvery = null) =>
        Once(name, () => MakeClipAsync(name, seconds, width, height, fps, sampleRate, channels, audio, markAt, toneDb, rate, colour, label, toneHz, keyframeEvery));

    private async Task<string> MakeClipAsync(string name, double seconds, int width, int height, int fps, int sampleRate, int channels,
        bool audio, double? markAt, double toneDb, string? rate, string? colour, string? label, int toneHz, int? keyframeEvery)
    {
        var path = Path.Combine(Dir, name);
        var inv = CultureInfo.InvariantCulture;
        var dur = seconds.ToString("0.###", inv);
        var r = rate ?? fps.ToString(inv);
        // Dark moving pattern so a white flash stands out; the flash is one frame of full white.
        var video = colour is null
            ? $"testsrc2=s={width}x{height}:r={r}:d={dur},eq=brightness=-0.3"
            : $"color=c={colour}:s={width}x{height}:r={r}:d={dur}";
        if (label is not null)
            video += $",drawtext=fontfile=/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf:text='{label}':fontsize={(height / 2).ToString(inv)}:fontcolor=black:x=(w-tw)/2:y=(h-th)/2";
        if (markAt is { } m)
        {
            var frame = (int)Math.Round(m * fps);
            video += $",drawbox=x=0:y=0:w=iw:h=ih:color=white:t=fill:enable='eq(n\\,{frame})'";
        }
        var args = new List<string> { "-v", "error", "-y", "-f", "lavfi", "-i", video };
        if (audio)
        {
            var amp = Math.Pow(10, toneDb / 20).ToString("0.#####", inv);
            var tone = toneHz.ToString(inv);
            var expr = markAt is { } b
                ? $"if(between(t\\,{b.ToString("0.###", inv)}\\,{(b + 0.05).ToString("0.###", inv)})\\,0.9*sin(2*PI*1000*t)\\,{amp}*sin(2*PI*{tone}*t))"
                : $"{amp}*sin(2*PI*{tone}*t)";
            var layout = channels == 1 ? "mono" : "stereo";
            args.AddRange(["-f", "lavfi", "-i", $"aevalsrc={expr}:s={sampleRate.ToString(inv)}:c={layout}:d={dur}"]);
        }
        args.AddRange(["-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-g", (keyframeEvery ?? fps).ToString(inv)]);
        if (audio)
            args.AddRange(["-c:a", "aac", "-b:a", "96k"]);
        args.AddRange(["-movflags", "+faststart", path]);
        await _runner.FfmpegAsync(args, null, CancellationToken.None);
        return path;
    }

    /// <summary>
    /// A "stream" clip: blue gameplay with a red facecam square in the top-right corner (x 0.75–1, y 0–0.25 of the
    /// frame) and a quiet tone.
    /// </summary>
    public Task<string> FacecamClipAsync(string name, double seconds, int width = 320, int height = 180) => Once(name, async () =>
    {
        var path = Path.Combine(Dir, name);
        var inv = CultureInfo.InvariantCulture;
        var dur = seconds.ToString("0.###", inv);
        var video = $"color=c={GameplayColor}:s={width}x{height}:r=30:d={dur},drawbox=x={(width * 3 / 4).ToString(inv)}:y=0:w={(width / 4).ToString(inv)}:h={(height / 4).ToString(inv)}:color={FacecamColor}:t=fill";
        await _runner.FfmpegAsync(["-v", "error", "-y", "-f", "lavfi", "-i", video, "-f", "lavfi", "-i", $"sine=f=220:sample_rate=48000:d={dur}",
            "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-c:a", "aac", "-b:a", "96k", path], null, CancellationToken.None);
        return path;
    });

    /// <summary>A sine tone of <paramref name="seconds"/>; the codec follows the name (<c>.mp3</c> MP3, otherwise AAC).</summary>
    public Task<string> MusicAsync(string name, double seconds, double freq = 330) => Once(name, async () =>
    {
        var path = Path.Combine(Dir, name);
        var inv = CultureInfo.InvariantCulture;
        string[] codec = name.EndsWith(".mp3", StringComparison.OrdinalIgnoreCase) ? ["-c:a", "libmp3lame"] : ["-c:a", "aac", "-b:a", "64k"];
        await _runner.FfmpegAsync(
            ["-v", "error", "-y", "-f", "lavfi", "-i", $"sine=f={freq.ToString(inv)}:sample_rate=44100:d={seconds.ToString(inv)}", .. codec, path],
            null, CancellationToken.None);
        return path;
    });

    /// <summary>One still picture of <paramref name="size"/> pixels square (the format follows the name).</summary>
    public Task<string> ImageAsync(string name, int size = 64) => Once(name, async () =>
    {
        var path = Path.Combine(Dir, name);
        var s = size.ToString(CultureInfo.InvariantCulture);
        await _runner.FfmpegAsync(["-v", "error", "-y", "-f", "lavfi", "-i", $"testsrc2=s={s}x{s}:r=1:d=1", "-frames:v", "1", path], null, CancellationToken.None);
        return path;
    });

    private Task<string> Once(string name, Func<Task<string>> make)
    {
        lock (_made)
        {
            if (!_made.TryGetValue(name, out var task))
                _made[name] = task = make();
            return task;
        }
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
