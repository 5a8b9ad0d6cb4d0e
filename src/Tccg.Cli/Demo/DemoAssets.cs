using System.Diagnostics;
using System.Globalization;

namespace Tccg.Cli.Demo;

/// <summary>Makes the demo's intro, interval, outro and music with ffmpeg's test sources (no files shipped).</summary>
internal static class DemoAssets
{
    public sealed record Files(string Intro, string Interval, string Outro, string Music);

    public static async Task<Files> CreateAsync(string dir, int width, int height, CancellationToken ct)
    {
        Directory.CreateDirectory(dir);
        var size = string.Create(CultureInfo.InvariantCulture, $"{width}x{height}");
        var files = new Files(
            Path.Combine(dir, "intro.mp4"),
            Path.Combine(dir, "interval.mp4"),
            Path.Combine(dir, "outro.mp4"),
            Path.Combine(dir, "music.m4a"));
        await CardAsync(files.Intro, size, 3, "0x1f2937", "Top clips of the week", 880, ct);
        await CardAsync(files.Interval, size, 1, "0x6d28d9", "", 660, ct);
        await CardAsync(files.Outro, size, 3, "0x111827", "Thanks for watching", 440, ct);
        // A gentle two-tone loop; the renderer loops it to cover the whole video.
        await RunAsync(ct, "-f", "lavfi", "-i", "sine=frequency=220:duration=20:sample_rate=48000",
            "-f", "lavfi", "-i", "sine=frequency=330:duration=20:sample_rate=48000",
            "-filter_complex", "[0:a][1:a]amix=inputs=2,volume=0.5,aformat=channel_layouts=stereo[a]", "-map", "[a]",
            "-c:a", "aac", "-b:a", "128k", files.Music);
        return files;
    }

    private static Task CardAsync(string output, string size, int seconds, string colour, string text, int toneHz, CancellationToken ct)
    {
        var video = string.Create(CultureInfo.InvariantCulture, $"color=c={colour}:s={size}:r=30:d={seconds}");
        var filter = text.Length == 0
            ? "format=yuv420p"
            : $"drawtext=text='{text}':fontcolor=white:fontsize=h/12:x=(w-text_w)/2:y=(h-text_h)/2,format=yuv420p";
        return RunAsync(ct, "-f", "lavfi", "-i", video,
            "-f", "lavfi", "-i", string.Create(CultureInfo.InvariantCulture, $"sine=frequency={toneHz}:duration={seconds}:sample_rate=48000"),
            "-vf", filter, "-c:v", "libx264", "-preset", "veryfast", "-c:a", "aac", "-shortest", output);
    }

    private static async Task RunAsync(CancellationToken ct, params string[] args)
    {
        var start = new ProcessStartInfo("ffmpeg") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var a in new[] { "-hide_banner", "-nostdin", "-loglevel", "error", "-y" }.Concat(args))
            start.ArgumentList.Add(a);
        using var process = Process.Start(start) ?? throw new CliException("ffmpeg could not be started (scripts/install-deps.sh installs it).");
        var stderr = process.StandardError.ReadToEndAsync(ct);
        _ = process.StandardOutput.ReadToEndAsync(ct);
        try
        {
            await process.WaitForExitAsync(ct);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        if (process.ExitCode != 0)
            throw new CliException($"ffmpeg failed making a demo asset: {(await stderr).Trim()}");
    }
}
