using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Tccg.Core.Configuration;
using Tccg.Media.Processes;
using Tccg.Server.Application;
using Tccg.Storage.Clips;

namespace Tccg.Server.Features.ClipBin;

/// <summary>Which derived file of a clip: the waveform peaks, the filmstrip sprite or the short-GOP scrub proxy.</summary>
public enum ClipMediaKind
{
    Waveform,
    Filmstrip,
    Proxy,
}

/// <summary>A derived file ready to serve, with what a cache needs to know about it.</summary>
public sealed record ClipMediaFile(string Path, string ContentType, long Length, DateTimeOffset LastModified, string ETag);

/// <summary>
/// The editor's view of a clip besides the clip itself: its audio waveform (peaks, compact JSON), a filmstrip
/// (one JPEG sprite of <see cref="FilmstripFrames"/> thumbnails) and a small short-GOP scrub proxy (a keyframe every
/// 6 frames, 360p at most, no sound). All three come from one ffmpeg run per clip (first request, or right after a
/// download through <see cref="Prepare"/>), are written beside the clip (<c>NAME.mp4.waveform.json</c>,
/// <c>.filmstrip.jpg</c>, <c>.scrub.mp4</c>) and reused until the clip file changes. Editors and admins only.
/// </summary>
public sealed class ClipMediaService(
    IClipStore clips, MediaProcessRunner ffmpeg, IOptions<StorageOptions> storage, ILogger<ClipMediaService> logger)
{
    /// <summary>Thumbnails in a filmstrip sprite (laid out left to right).</summary>
    public const int FilmstripFrames = 16;

    /// <summary>Height of each thumbnail in pixels; the width follows the clip's aspect ratio.</summary>
    public const int FilmstripHeight = 72;

    /// <summary>A keyframe every this many frames in the scrub proxy (bench/editor measures 6 against all-intra, 1).</summary>
    public const int ProxyKeyframeInterval = 6;

    /// <summary>Peaks in a waveform: enough for a player 1,000 pixels wide.</summary>
    public const int MaxPeaks = 1000;

    private const int PeakRate = 8000;

    private readonly ConcurrentDictionary<string, Lazy<Task>> _making = new(StringComparer.Ordinal);

    // A page of clips asks for many at once: at most this many ffmpeg runs at a time (in the whole process).
    private static readonly SemaphoreSlim Runs = new(Math.Max(1, Environment.ProcessorCount / 2));

    /// <summary>The derived file of one clip, made now if it is not there yet (or older than the clip).</summary>
    /// <exception cref="RuleException">403 for callers who are not editors, 404 for an unknown clip or one without a file.</exception>
    public async Task<ClipMediaFile> GetAsync(CurrentUser user, long clipId, ClipMediaKind kind, CancellationToken ct)
    {
        if (!user.IsEditor)
            throw RuleException.Forbidden("Only editors and admins see clip waveforms, filmstrips and proxies.");
        var source = await SourceAsync(clipId, ct);
        var path = PathOf(source, kind);
        if (!IsFresh(path, source))
            await MakeOnceAsync(source, ct);
        var info = new FileInfo(path);
        if (!info.Exists)
            throw new RuleException(500, $"The {kind.ToString().ToLowerInvariant()} of clip {clipId} could not be made.");
        var modified = new DateTimeOffset(info.LastWriteTimeUtc, TimeSpan.Zero);
        var etag = string.Create(CultureInfo.InvariantCulture, $"\"{kind.ToString()[0]}{info.Length:x}-{info.LastWriteTimeUtc.Ticks:x}\"");
        return new ClipMediaFile(path, ContentTypeOf(kind), info.Length, modified, etag);
    }

    /// <summary>
    /// Makes the derived files of a clip now unless they are there already (after a download, through
    /// <see cref="ClipMediaPreparer"/>); true when it made them. Failures are only logged: the first request tries again.
    /// </summary>
    public async Task<bool> PrepareAsync(long clipId, CancellationToken ct)
    {
        try
        {
            var source = await SourceAsync(clipId, ct);
            if (IsFresh(PathOf(source, ClipMediaKind.Waveform), source) && IsFresh(PathOf(source, ClipMediaKind.Filmstrip), source)
                && IsFresh(PathOf(source, ClipMediaKind.Proxy), source))
                return false;
            await MakeOnceAsync(source, ct);
            return true;
        }
        catch (Exception e) when (e is RuleException or MediaToolException or IOException)
        {
            logger.LogWarning(e, "Could not prepare the waveform and filmstrip of clip {ClipId}", clipId);
            return false;
        }
    }

    public static string PathOf(string clipFile, ClipMediaKind kind) => clipFile + kind switch
    {
        ClipMediaKind.Waveform => ".waveform.json",
        ClipMediaKind.Filmstrip => ".filmstrip.jpg",
        _ => ".scrub.mp4",
    };

    private static string PathOf(ClipSource source, ClipMediaKind kind) => PathOf(source.File, kind);

    private static string ContentTypeOf(ClipMediaKind kind) => kind switch
    {
        ClipMediaKind.Waveform => "application/json",
        ClipMediaKind.Filmstrip => "image/jpeg",
        _ => "video/mp4",
    };

    private sealed record ClipSource(long Id, string File, double Duration, double Fps, bool HasAudio, DateTime Modified);

    private async Task<ClipSource> SourceAsync(long clipId, CancellationToken ct)
    {
        if (await clips.GetAsync(clipId, ct) is not { } clip)
            throw RuleException.NotFound($"No clip {clipId}.");
        if (clip.FilePath is null)
            throw RuleException.NotFound($"Clip {clipId} has no file ({clip.Status}).");
        var path = Path.IsPathRooted(clip.FilePath) ? clip.FilePath : Path.Combine(Path.GetFullPath(storage.Value.Root), clip.FilePath);
        var info = new FileInfo(path);
        if (!info.Exists)
            throw RuleException.NotFound($"The file of clip {clipId} is missing on the server.");
        var duration = clip.MediaDuration is > 0 ? clip.MediaDuration.Value : clip.Duration;
        return new ClipSource(clip.Id, path, duration > 0 ? duration : 1, clip.Fps ?? 0, clip.HasAudio ?? true, info.LastWriteTimeUtc);
    }

    private static bool IsFresh(string path, ClipSource source)
    {
        var info = new FileInfo(path);
        return info.Exists && info.Length > 0 && info.LastWriteTimeUtc >= source.Modified;
    }

    /// <summary>One ffmpeg run per clip at a time; concurrent first requests wait for the same run.</summary>
    private async Task MakeOnceAsync(ClipSource source, CancellationToken ct)
    {
        var lazy = _making.GetOrAdd(source.File, _ => new Lazy<Task>(() => MakeAsync(source)));
        try
        {
            await lazy.Value.WaitAsync(ct);
        }
        finally
        {
            if (lazy.Value.IsCompleted)
                _making.TryRemove(new KeyValuePair<string, Lazy<Task>>(source.File, lazy));
        }
    }

    private async Task MakeAsync(ClipSource source)
    {
        // Not cancelled with the request that started it: other requests (and the next visit) want the result.
        var ct = CancellationToken.None;
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var tag = "." + Guid.NewGuid().ToString("N", CultureInfo.InvariantCulture)[..8] + ".tmp";
        var strip = PathOf(source, ClipMediaKind.Filmstrip) + tag + ".jpg";
        var proxy = PathOf(source, ClipMediaKind.Proxy) + tag + ".mp4";
        var raw = source.File + tag + ".pcm";
        try
        {
            await Runs.WaitAsync(ct);
            try
            {
                await ffmpeg.FfmpegAsync(Arguments(source, strip, proxy, raw), null, ct);
            }
            finally
            {
                Runs.Release();
            }
            var peaks = source.HasAudio && File.Exists(raw) ? Peaks(await File.ReadAllBytesAsync(raw, ct)) : [];
            var json = JsonSerializer.SerializeToUtf8Bytes(
                new WaveformData(1, Math.Round(source.Duration, 3), Math.Round(source.Fps, 3), peaks.Length, [.. peaks.Select(p => (int)p)]), JsonSerializerOptions.Web);
            var waveTemp = PathOf(source, ClipMediaKind.Waveform) + tag;
            await File.WriteAllBytesAsync(waveTemp, json, ct);
            File.Move(strip, PathOf(source, ClipMediaKind.Filmstrip), overwrite: true);
            File.Move(proxy, PathOf(source, ClipMediaKind.Proxy), overwrite: true);
            File.Move(waveTemp, PathOf(source, ClipMediaKind.Waveform), overwrite: true);
            logger.LogInformation("Made the waveform, filmstrip and scrub proxy of clip {ClipId} in {Ms} ms",
                source.Id, (int)System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
        finally
        {
            foreach (var temp in new[] { strip, proxy, raw, PathOf(source, ClipMediaKind.Waveform) + tag })
            {
                try
                {
                    File.Delete(temp);
                }
                catch (IOException)
                {
                }
            }
        }
    }

    /// <summary>The ffmpeg arguments: one decode, three outputs (filmstrip sprite, scrub proxy, mono 8 kHz PCM for the peaks).</summary>
    public static IReadOnlyList<string> Arguments(string input, double duration, bool hasAudio, string strip, string proxy, string raw,
        int keyframeInterval = ProxyKeyframeInterval)
    {
        var gop = keyframeInterval.ToString(CultureInfo.InvariantCulture);
        var rate = (FilmstripFrames / Math.Max(duration, 0.1)).ToString("0.######", CultureInfo.InvariantCulture);
        var args = new List<string>
        {
            "-hide_banner", "-nostdin", "-loglevel", "error", "-y", "-i", input,
            "-filter_complex",
            $"[0:v:0]split=2[s][p];[s]fps={rate},scale=-2:{FilmstripHeight.ToString(CultureInfo.InvariantCulture)},tile={FilmstripFrames.ToString(CultureInfo.InvariantCulture)}x1[strip];" +
            "[p]scale=-2:'min(360,ih)',format=yuv420p[proxy]",
            "-map", "[strip]", "-frames:v", "1", "-q:v", "5", strip,
            "-map", "[proxy]", "-c:v", "libx264", "-preset", "veryfast", "-crf", "30", "-g", gop, "-keyint_min", gop,
            "-sc_threshold", "0", "-bf", "0", "-an", "-movflags", "+faststart", proxy,
        };
        if (hasAudio)
            args.AddRange(["-map", "0:a:0", "-ac", "1", "-ar", PeakRate.ToString(CultureInfo.InvariantCulture), "-f", "s16le", raw]);
        return args;
    }

    private static IReadOnlyList<string> Arguments(ClipSource source, string strip, string proxy, string raw) =>
        Arguments(source.File, source.Duration, source.HasAudio, strip, proxy, raw);

    /// <summary>Peak absolute amplitude per bin, 0–255, from signed 16-bit little-endian mono samples.</summary>
    public static byte[] Peaks(ReadOnlySpan<byte> pcm)
    {
        var samples = pcm.Length / 2;
        if (samples == 0)
            return [];
        var bins = Math.Clamp(samples / 80, 1, MaxPeaks); // at most 100 peaks a second
        var peaks = new byte[bins];
        for (var b = 0; b < bins; b++)
        {
            var from = (int)((long)b * samples / bins);
            var to = (int)((long)(b + 1) * samples / bins);
            var max = 0;
            for (var i = from; i < to; i++)
                max = Math.Max(max, Math.Abs((int)BinaryPrimitives.ReadInt16LittleEndian(pcm.Slice(i * 2, 2))));
            peaks[b] = (byte)Math.Min(255, (max * 255 + 16383) / 32767);
        }
        return peaks;
    }
}

/// <summary>The waveform as served: version, clip seconds, frame rate (0: unknown), number of peaks and the peaks (0–255, evenly spaced over the clip).</summary>
public sealed record WaveformData(int V, double Duration, double Fps, int Count, int[] Peaks);
