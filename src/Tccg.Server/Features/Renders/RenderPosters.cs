using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Tccg.Core.Media;
using Tccg.Media.Probing;
using Tccg.Media.Processes;

namespace Tccg.Server.Features.Renders;

/// <summary>
/// What the Renders page shows of a finished MP4 besides the file: its probed facts (duration, resolution; probed once
/// per file version) and a poster frame (a JPEG 320 px wide from a tenth into the video, made once beside it as
/// <c>NAME.mp4.poster.jpg</c> and reused until the video changes).
/// </summary>
public sealed class RenderPosters(MediaProbe probe, MediaProcessRunner ffmpeg, ILogger<RenderPosters> logger)
{
    public const int PosterWidth = 320;

    private readonly ConcurrentDictionary<(string Path, long Size, DateTime Modified), MediaFacts> _facts = new();
    private readonly ConcurrentDictionary<string, Lazy<Task>> _making = new(StringComparer.Ordinal);

    public static string PosterPath(string video) => video + ".poster.jpg";

    /// <summary>Duration, size and frame rate of an output MP4, or null when it cannot be read.</summary>
    public async Task<MediaFacts?> FactsAsync(string video, CancellationToken ct)
    {
        var info = new FileInfo(video);
        if (!info.Exists)
            return null;
        var key = (video, info.Length, info.LastWriteTimeUtc);
        if (_facts.TryGetValue(key, out var facts))
            return facts;
        try
        {
            facts = await probe.ProbeAsync(video, ct);
        }
        catch (MediaProbeException e)
        {
            logger.LogWarning(e, "Could not probe render output {Path}", video);
            return null;
        }
        _facts[key] = facts;
        return facts;
    }

    /// <summary>The poster frame of an output MP4, made now if missing or older than the video.</summary>
    /// <exception cref="MediaToolException">ffmpeg could not read the video.</exception>
    public async Task<string> PosterAsync(string video, CancellationToken ct)
    {
        var poster = PosterPath(video);
        var made = new FileInfo(poster);
        if (made.Exists && made.Length > 0 && made.LastWriteTimeUtc >= File.GetLastWriteTimeUtc(video))
            return poster;
        var lazy = _making.GetOrAdd(poster, _ => new Lazy<Task>(() => MakeAsync(video, poster)));
        try
        {
            await lazy.Value.WaitAsync(ct);
        }
        finally
        {
            if (lazy.Value.IsCompleted)
                _making.TryRemove(new KeyValuePair<string, Lazy<Task>>(poster, lazy));
        }
        return poster;
    }

    private async Task MakeAsync(string video, string poster)
    {
        var duration = (await FactsAsync(video, CancellationToken.None))?.Duration ?? 0;
        var at = (duration * 0.1).ToString("0.###", CultureInfo.InvariantCulture);
        var temp = poster + "." + Guid.NewGuid().ToString("N", CultureInfo.InvariantCulture)[..8] + ".tmp.jpg";
        try
        {
            await ffmpeg.FfmpegAsync(
            [
                "-hide_banner", "-nostdin", "-loglevel", "error", "-y", "-ss", at, "-i", video,
                "-frames:v", "1", "-vf", $"scale={PosterWidth.ToString(CultureInfo.InvariantCulture)}:-2", "-q:v", "4", temp,
            ], null, CancellationToken.None);
            File.Move(temp, poster, overwrite: true);
        }
        finally
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
