using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using Tccg.Media.Caching;
using Tccg.Media.Loudness;
using Tccg.Media.Probing;
using Tccg.Core.Media;

namespace Tccg.Media.Rendering;

/// <summary>
/// Probe facts and loudness per file identity (path, size, mtime), kept as small JSON files under
/// the segment cache at <paramref name="root"/> (<see cref="SegmentCache.InfoFile"/>) so a re-render does not read
/// every input again.
/// </summary>
internal sealed class MediaInfoCache(string root, MediaProbe probe, LoudnessMeter meter, TimeProvider time)
{
    private readonly ConcurrentDictionary<string, Task<MediaFacts>> _facts = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Task<LoudnessMeasurement>> _loudness = new(StringComparer.Ordinal);

    public Task<MediaFacts> FactsAsync(string path, CancellationToken ct) =>
        _facts.GetOrAdd(path, p => CachedAsync(p, SegmentCache.FactsRecord, () => probe.ProbeAsync(p, ct), ct));

    public Task<LoudnessMeasurement> LoudnessAsync(string path, CancellationToken ct) =>
        _loudness.GetOrAdd(path, p => CachedAsync(p, SegmentCache.LoudnessRecord, () => meter.MeasureAsync(p, ct), ct));

    private async Task<T> CachedAsync<T>(string path, string record, Func<Task<T>> compute, CancellationToken ct)
    {
        if (!File.Exists(path))
            return await compute();
        var id = FileIdentity.Of(path);
        var file = SegmentCache.InfoFile(root, record, id.Key);
        if (File.Exists(file))
        {
            try
            {
                if (JsonSerializer.Deserialize<T>(await File.ReadAllTextAsync(file, ct)) is { } cached)
                {
                    CacheTrimmer.MarkUsed(file, time);
                    return cached;
                }
            }
            catch (JsonException)
            {
                // Rewritten below.
            }
        }
        var value = await compute();
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        var temp = file + "." + Guid.NewGuid().ToString("N", CultureInfo.InvariantCulture) + ".tmp";
        await File.WriteAllTextAsync(temp, JsonSerializer.Serialize(value), ct);
        File.Move(temp, file, overwrite: true);
        return value;
    }
}
