using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Tccg.TwitchSim.Hosting;
using Tccg.TwitchSim.World;

namespace Tccg.TwitchSim.Cdn;

/// <summary>
/// Makes the CDN's MP4s with ffmpeg (lavfi testsrc2 + sine, no names burned in) on first request and caches them
/// on disk: same spec, same file, shared by every run and process (written to a temp name, then renamed).
/// </summary>
internal sealed class MediaFactory(TwitchSimOptions options, SimCounters counters, ILogger<MediaFactory> logger) : IDisposable
{
    private readonly ConcurrentDictionary<string, Lazy<Task<string>>> _pending = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stopping = new();
    private readonly string _dir = options.ResolveMediaCacheDir();

    /// <summary>
    /// The file for <paramref name="spec"/>. Full-size files shorter than <see cref="TwitchSimOptions.FullSizeMaxSeconds"/>
    /// are cut (stream copy, fast) from one encoded file of the longest length, so many clip lengths cost one encode.
    /// </summary>
    public Task<string> GetAsync(MediaSpec spec)
    {
        var longest = MediaSpec.MaxDeciseconds(options.FullSizeMaxSeconds);
        if (spec.AudioSeed != 0 && options.MediaSize == MediaSize.Full)
        {
            // A clip's own melody over the format's one video encode: the video is cut (stream copy), only audio is encoded.
            return GetOrMake(spec.FileName, async path =>
            {
                var source = await GetAsync(spec with { AudioSeed = 0, AudioOffsetDeciseconds = 0, Deciseconds = longest });
                await RunFfmpegAsync(
                [
                    "-hide_banner", "-nostdin", "-loglevel", "error", "-y", "-i", source,
                    "-f", "lavfi", "-i", SimMelody.Filter(spec.AudioSeed, spec.AudioOffsetDeciseconds / 10.0, MelodyRate, spec.SecondsText),
                    "-t", spec.SecondsText, "-map", "0:v", "-map", "1:a", "-c:v", "copy",
                    "-c:a", "aac", "-b:a", spec.Channels == 1 ? "64k" : "128k",
                    "-ac", spec.Channels.ToString(CultureInfo.InvariantCulture), "-ar", spec.SampleRate.ToString(CultureInfo.InvariantCulture),
                    "-movflags", "+faststart", "-f", "mp4", path,
                ]);
            });
        }
        if (options.MediaSize == MediaSize.Small || spec.Deciseconds >= longest || spec.AudioSeed != 0)
            return GetOrMake(spec.FileName, path => RunFfmpegAsync(VideoArguments(spec, path)));
        return GetOrMake(spec.FileName, async path =>
        {
            var source = await GetAsync(spec with { Deciseconds = longest });
            await RunFfmpegAsync(
            [
                "-hide_banner", "-nostdin", "-loglevel", "error", "-y", "-i", source,
                "-t", spec.SecondsText, "-map", "0", "-c", "copy",
                "-movflags", "+faststart", "-f", "mp4", path,
            ]);
        });
    }

    /// <summary>A 480x272 JPEG for every thumbnail, box art and profile image URL.</summary>
    public Task<string> GetThumbnailAsync() =>
        GetOrMake("thumbnail-480x272-v1.jpg", path => RunFfmpegAsync(
        [
            "-hide_banner", "-nostdin", "-loglevel", "error", "-y",
            "-f", "lavfi", "-i", "testsrc2=size=480x272:rate=1:duration=1",
            "-frames:v", "1", "-f", "image2", "-c:v", "mjpeg", path,
        ]));

    private Task<string> GetOrMake(string name, Func<string, Task> make)
    {
        var final = Path.Combine(_dir, name);
        if (File.Exists(final))
            return Task.FromResult(final);
        var lazy = _pending.GetOrAdd(name, _ => new Lazy<Task<string>>(() => MakeAsync(final, make)));
        var task = lazy.Value;
        // A failed attempt must not stick: the next request tries again.
        task.ContinueWith(t => _pending.TryRemove(new KeyValuePair<string, Lazy<Task<string>>>(name, lazy)),
            CancellationToken.None, TaskContinuationOptions.NotOnRanToCompletion, TaskScheduler.Default);
        return task;
    }

    private async Task<string> MakeAsync(string final, Func<string, Task> make)
    {
        Directory.CreateDirectory(_dir);
        if (File.Exists(final))
            return final;
        var temp = Path.Combine(_dir, $".{Path.GetFileNameWithoutExtension(final)}.{Guid.NewGuid():N}.tmp{Path.GetExtension(final)}");
        try
        {
            await make(temp);
            if (!File.Exists(final))
                File.Move(temp, final, overwrite: false);
            counters.MediaFileGenerated();
            if (logger.IsEnabled(LogLevel.Information))
                logger.LogInformation("Generated simulator media {File}", final);
            return final;
        }
        catch (IOException) when (File.Exists(final))
        {
            return final;   // another process renamed the same file into place first
        }
        finally
        {
            if (File.Exists(temp))
                File.Delete(temp);
        }
    }

    /// <summary>Melodies are computed at 8 kHz (their notes stay below 1 kHz) and resampled by the encoder: 6x cheaper than 48 kHz.</summary>
    private const int MelodyRate = 8000;

    private static List<string> VideoArguments(MediaSpec spec, string output)
    {
        var seconds = spec.SecondsText;
        var args = new List<string>
        {
            "-hide_banner", "-nostdin", "-loglevel", "error", "-y",
            "-f", "lavfi", "-i",
            string.Create(CultureInfo.InvariantCulture, $"testsrc2=size={spec.Width}x{spec.Height}:rate={spec.Fps}:duration={seconds}"),
        };
        if (spec.HasAudio)
        {
            var frequency = spec.Profile switch
            {
                MediaProfile.Landscape1080p60 => 440,
                MediaProfile.Mono44k720p30 => 330,
                MediaProfile.Vertical1080x1920 => 550,
                _ => 660,
            };
            args.AddRange(["-f", "lavfi", "-i", spec.AudioSeed != 0
                ? SimMelody.Filter(spec.AudioSeed, spec.AudioOffsetDeciseconds / 10.0, MelodyRate, seconds)
                : string.Create(CultureInfo.InvariantCulture, $"sine=frequency={frequency}:sample_rate={spec.SampleRate}:duration={seconds}")]);
        }

        args.AddRange(["-map", "0:v"]);
        if (spec.HasAudio)
            args.AddRange(["-map", "1:a"]);
        // testsrc2 is busy: cap the rate near what Twitch serves so full-size files have realistic sizes.
        args.AddRange(["-c:v", "libx264", "-preset", "ultrafast", "-crf", "30", "-maxrate", "6M", "-bufsize", "12M",
            "-pix_fmt", "yuv420p", "-g", (spec.Fps * 2).ToString(CultureInfo.InvariantCulture)]);
        if (spec.HasAudio)
        {
            args.AddRange(["-c:a", "aac", "-b:a", spec.Channels == 1 ? "64k" : "128k",
                "-ac", spec.Channels.ToString(CultureInfo.InvariantCulture),
                "-ar", spec.SampleRate.ToString(CultureInfo.InvariantCulture)]);
        }

        args.AddRange(["-movflags", "+faststart", "-f", "mp4", output]);
        return args;
    }

    private async Task RunFfmpegAsync(IReadOnlyList<string> arguments)
    {
        var info = new ProcessStartInfo(options.FfmpegPath)
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
            info.ArgumentList.Add(argument);
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start {options.FfmpegPath}.");
        var stdout = process.StandardOutput.ReadToEndAsync(_stopping.Token);
        var stderr = process.StandardError.ReadToEndAsync(_stopping.Token);
        try
        {
            await process.WaitForExitAsync(_stopping.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        await stdout;
        var errors = await stderr;
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"ffmpeg failed ({process.ExitCode}): {errors.Trim()} — ffmpeg {string.Join(' ', arguments)}");
    }

    public void Dispose()
    {
        _stopping.Cancel();
        _stopping.Dispose();
    }
}
