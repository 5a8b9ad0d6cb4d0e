using System.Globalization;
using Tccg.Media.Processes;

namespace Tccg.Media.Tests;

/// <summary>Makes tiny test media with ffmpeg's lavfi sources, cached per test run by name.</summary>
public sealed class MediaFactory : IDisposable
{
    private readonly MediaProcessRunner _runner = new();
    private readonly Dictionary<string, Task<string>> _made = new(StringComparer.Ordinal);

    public string Dir { get; } = Directory.CreateTempSubdirectory("tccg-media-").FullName;

    /// <summary>
    /// A clip of <paramref name="seconds"/> at WxH@fps; with a one-frame white flash and a 50 ms beep
    /// at <paramref name="markAt"/> seconds when given, a steady tone otherwise quietly underneath.
    /// </summary>
    public Task<string> ClipAsync(string name, double seconds, int width = 320, int height = 180, int fps = 30,
        int sampleRate = 48000, int channels = 2, bool audio = true, double? markAt = null, double toneDb = -20, string? rate = null)
    {
        lock (_made)
        {
            if (!_made.TryGetValue(name, out var task))
            {
                task = MakeClipAsync(name, seconds, width, height, fps, sampleRate, channels, audio, markAt, toneDb, rate);
                _made[name] = task;
            }
            return task;
        }
    }

    private async Task<string> MakeClipAsync(string name, double seconds, int width, int height, int fps,
        int sampleRate, int channels, bool audio, double? markAt, double toneDb, string? rate = null)
    {
        var path = Path.Combine(Dir, name);
        var inv = CultureInfo.InvariantCulture;
        var dur = seconds.ToString("0.###", inv);
        // Dark moving pattern so a white flash stands out; the flash is one frame of full white.
        var video = $"testsrc2=s={width}x{height}:r={rate ?? fps.ToString(inv)}:d={dur},eq=brightness=-0.3";
        if (markAt is { } m)
        {
            var frame = (int)Math.Round(m * fps);
            video += $",drawbox=x=0:y=0:w=iw:h=ih:color=white:t=fill:enable='eq(n\\,{frame})'";
        }
        var args = new List<string> { "-v", "error", "-y", "-f", "lavfi", "-i", video };
        if (audio)
        {
            var amp = Math.Pow(10, toneDb / 20).ToString("0.#####", inv);
            var expr = markAt is { } b
                ? $"if(between(t\\,{b.ToString("0.###", inv)}\\,{(b + 0.05).ToString("0.###", inv)})\\,0.9*sin(2*PI*1000*t)\\,{amp}*sin(2*PI*220*t))"
                : $"{amp}*sin(2*PI*220*t)";
            var layout = channels == 1 ? "mono" : "stereo";
            args.AddRange(["-f", "lavfi", "-i", $"aevalsrc={expr}:s={sampleRate.ToString(inv)}:c={layout}:d={dur}"]);
        }
        args.AddRange(["-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-g", fps.ToString(inv)]);
        if (audio)
            args.AddRange(["-c:a", "aac", "-b:a", "96k"]);
        args.AddRange(["-movflags", "+faststart", path]);
        await _runner.FfmpegAsync(args, null, CancellationToken.None);
        return path;
    }

    /// <summary>Gameplay and facecam colours of <see cref="FacecamClipAsync"/>.</summary>
    public const string GameplayColor = "0x1E3CDC", FacecamColor = "0xDC1E1E";

    /// <summary>
    /// A "stream" clip: blue gameplay with a red facecam square in the top-right corner (x 0.75–1, y 0–0.25 of the
    /// frame) and a quiet tone.
    /// </summary>
    public Task<string> FacecamClipAsync(string name, double seconds, int width = 320, int height = 180)
    {
        lock (_made)
        {
            if (!_made.TryGetValue(name, out var task))
            {
                var path = Path.Combine(Dir, name);
                var inv = CultureInfo.InvariantCulture;
                var dur = seconds.ToString("0.###", inv);
                var video = $"color=c={GameplayColor}:s={width}x{height}:r=30:d={dur},drawbox=x={(width * 3 / 4).ToString(inv)}:y=0:w={(width / 4).ToString(inv)}:h={(height / 4).ToString(inv)}:color={FacecamColor}:t=fill";
                task = _runner.FfmpegAsync(["-v", "error", "-y", "-f", "lavfi", "-i", video, "-f", "lavfi", "-i", $"sine=f=220:sample_rate=48000:d={dur}",
                        "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-c:a", "aac", "-b:a", "96k", path],
                    null, CancellationToken.None).ContinueWith(t => t.IsFaulted ? throw t.Exception! : path, TaskScheduler.Default);
                _made[name] = task;
            }
            return task;
        }
    }

    public async Task<string> MusicAsync(string name, double seconds, double freq = 330)
    {
        Task<string> task;
        lock (_made)
        {
            if (!_made.TryGetValue(name, out task!))
            {
                var path = Path.Combine(Dir, name);
                var inv = CultureInfo.InvariantCulture;
                task = _runner.FfmpegAsync(
                    ["-v", "error", "-y", "-f", "lavfi", "-i", $"sine=f={freq.ToString(inv)}:sample_rate=44100:d={seconds.ToString(inv)}", "-c:a", "libmp3lame", path],
                    null, CancellationToken.None).ContinueWith(_ => path, TaskScheduler.Default);
                _made[name] = task;
            }
        }
        return await task;
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
