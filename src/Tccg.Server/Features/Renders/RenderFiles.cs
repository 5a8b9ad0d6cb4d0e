using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Tccg.Core.Configuration;
using Tccg.Core.Timeline;
using Tccg.Generator;
using Tccg.Generator.Protocol;
using Tccg.Media.Probing;
using Tccg.Storage.Renders;

namespace Tccg.Server.Features.Renders;

/// <summary>
/// Where render inputs and outputs live on the server: storage-relative paths resolved under the storage
/// root (nothing outside it), uploads staged per lease under <c>renders/.staging</c>, finished outputs at
/// <c>renders/{id}-{name}.mp4</c> and <c>.txt</c>.
/// </summary>
public sealed class RenderFiles(IOptions<StorageOptions> storage, MediaProbe probe)
{
    private readonly ConcurrentDictionary<(string Path, long Size, DateTime Modified), double> _durations = new();

    public string Root => Path.GetFullPath(storage.Value.Root);
    public string RendersDir => Path.GetFullPath(storage.Value.RendersDir);
    public string StagingDir => Path.Combine(RendersDir, ".staging");

    /// <summary>True for a plain relative path like <c>clips/a.mp4</c>: no rooting, no <c>..</c>, no backslashes.</summary>
    public static bool IsSafeRelative(string? path)
    {
        if (string.IsNullOrWhiteSpace(path))
            return false;
        try
        {
            InputCache.Under("/x", path);
            return path.All(c => !char.IsControl(c));
        }
        catch (InputMissingException)
        {
            return false;
        }
    }

    /// <summary>The full path of a storage-relative path; throws for anything that leaves the root.</summary>
    public string Full(string relative) => InputCache.Under(Root, relative);

    public string Staged(long jobId, string leaseId, string kind) =>
        Path.Combine(StagingDir, string.Create(CultureInfo.InvariantCulture,
            $"{jobId}-{new string(leaseId.Where(char.IsAsciiLetterOrDigit).Take(64).ToArray())}.{Extension(kind)}"));

    private static string Extension(string kind) => kind switch
    {
        GeneratorRoutes.OutputVideo => "mp4",
        GeneratorRoutes.OutputThumbnail => "jpg",
        _ => "txt",
    };

    /// <summary>Storage-relative paths of a finished job's outputs.</summary>
    public static (string Video, string Credits) FinalPaths(long jobId, string name)
    {
        var stem = Stem(jobId, name);
        return (stem + ".mp4", stem + ".txt");
    }

    /// <summary>Storage-relative path of a finished job's thumbnail (<c>renders/{id}-{name}.jpg</c>).</summary>
    public static string ThumbnailPath(long jobId, string name) => Stem(jobId, name) + ".jpg";

    private static string Stem(long jobId, string name) =>
        string.Create(CultureInfo.InvariantCulture, $"renders/{jobId}-{GeneratorWorker.OutputName(name)}");

    /// <summary>The full path of a job's stored output, or null when the job has none or the file is gone.</summary>
    public string? Existing(string? relative)
    {
        if (relative is null || !IsSafeRelative(relative))
            return null;
        var full = Full(relative);
        return File.Exists(full) ? full : null;
    }

    /// <summary>Duration of an output MP4 (probed once per file version).</summary>
    public async Task<double?> DurationAsync(string full, CancellationToken ct)
    {
        var info = new FileInfo(full);
        var key = (full, info.Length, info.LastWriteTimeUtc);
        if (_durations.TryGetValue(key, out var seconds))
            return seconds;
        try
        {
            seconds = (await probe.ProbeAsync(full, ct)).Duration;
        }
        catch (MediaProbeException)
        {
            return null;
        }
        _durations[key] = seconds;
        return seconds;
    }

    public static FrozenTimeline? TryTimeline(RenderJob job)
    {
        try
        {
            return FrozenTimeline.FromJson(job.TimelineJson);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public static void TryDelete(string? path)
    {
        if (path is not null)
            InputCache.TryDelete(path);
    }
}
