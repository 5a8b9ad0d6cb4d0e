using System.Globalization;
using Tccg.Core.Timeline;
using Tccg.Media.Processes;

namespace Tccg.Bench.Render;

/// <summary>The benchmark's media (made once with ffmpeg lavfi, kept between runs) and its timeline.</summary>
internal static class Workload
{
    private sealed record Source(string Name, double Seconds, int Width, int Height, int Fps, int SampleRate, int Channels, double Freq);

    public static async Task<TimelineDocument> PrepareAsync(string dir, bool shortRun, MediaProcessRunner runner)
    {
        var scale = shortRun ? 0.25 : 1.0;
        var sources = new List<Source>();
        for (var i = 0; i < 12; i++)
        {
            var seconds = Math.Round((8 + (i * 7 % 5)) * scale, 2); // 8–12 s
            sources.Add(i switch
            {
                < 8 => new Source($"clip{i:00}.mp4", seconds, 1920, 1080, 60, 48000, 2, 200 + 40 * i),
                8 or 9 => new Source($"clip{i:00}.mp4", seconds, 1280, 720, 30, 48000, 2, 200 + 40 * i),
                10 => new Source($"clip{i:00}.mp4", seconds, 1080, 1920, 30, 48000, 2, 200 + 40 * i),
                _ => new Source($"clip{i:00}.mp4", seconds, 1920, 1080, 30, 44100, 1, 200 + 40 * i),
            });
        }
        sources.Add(new Source("intro.mp4", 3 * scale, 1920, 1080, 30, 48000, 2, 150));
        sources.Add(new Source("outro.mp4", 3 * scale, 1920, 1080, 30, 48000, 2, 160));
        sources.Add(new Source("interval.mp4", 1 * scale, 1920, 1080, 30, 48000, 2, 170));
        Directory.CreateDirectory(dir);

        var inv = CultureInfo.InvariantCulture;
        await Parallel.ForEachAsync(sources, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, async (s, ct) =>
        {
            var path = Path.Combine(dir, s.Name);
            if (File.Exists(path))
                return;
            var d = s.Seconds.ToString(inv);
            var layout = s.Channels == 1 ? "mono" : "stereo";
            await runner.FfmpegAsync(
            [
                "-v", "error", "-y",
                "-f", "lavfi", "-i", $"testsrc2=s={s.Width}x{s.Height}:r={s.Fps}:d={d},noise=alls=6:allf=t",
                "-f", "lavfi", "-i", $"aevalsrc=0.2*sin(2*PI*{s.Freq.ToString(inv)}*t)*(0.6+0.4*sin(2*PI*0.5*t)):s={s.SampleRate}:c={layout}:d={d}",
                "-c:v", "libx264", "-preset", "ultrafast", "-crf", "23", "-pix_fmt", "yuv420p", "-g", (2 * s.Fps).ToString(inv),
                "-c:a", "aac", "-b:a", "128k", "-movflags", "+faststart", path + ".tmp.mp4",
            ], null, ct);
            File.Move(path + ".tmp.mp4", path, overwrite: true);
        });
        var music = Path.Combine(dir, "music.mp3");
        if (!File.Exists(music))
        {
            await runner.FfmpegAsync(["-v", "error", "-y", "-f", "lavfi", "-i", $"sine=f=110:sample_rate=44100:d={(60 * scale).ToString(inv)}", "-c:a", "libmp3lame", music + ".tmp.mp3"], null, CancellationToken.None);
            File.Move(music + ".tmp.mp3", music, overwrite: true);
        }

        var items = new List<TimelineItem> { new() { Kind = "intro", File = "intro.mp4" } };
        for (var i = 0; i < 12; i++)
        {
            var s = sources[i];
            items.Add(new TimelineItem
            {
                Kind = "clip",
                File = s.Name,
                TrimStart = Math.Round(0.5 * scale, 2),
                TrimEnd = Math.Round(s.Seconds - 0.5 * scale, 2),
                Volume = i == 3 ? 0.8 : 1.0,
                Streamer = new StreamerRef { Name = i == 4 ? "表示名" : $"Streamer {i}", Login = $"streamer{i}" },
                Title = $"Clip {i}",
            });
        }
        items.Add(new TimelineItem { Kind = "outro", File = "outro.mp4" });
        return new TimelineDocument
        {
            Version = 1,
            Output = new OutputSection { Width = 1920, Height = 1080, Fps = 30, Preset = "veryfast", Crf = 20, AudioBitrateKbps = 192, LoudnessLufs = -14 },
            Overlay = new OverlaySection { Enabled = true, Font = "DejaVu Sans", Position = "top-left", Seconds = 5 },
            Music = new MusicSection { Tracks = ["music.mp3"], Volume = 0.2, Duck = true },
            Interval = "interval.mp4",
            Items = items,
        };
    }
}
