using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Tccg.Media.Caching;
using Tccg.Media.Loudness;
using Tccg.Media.Probing;

namespace Tccg.Media.Rendering;

/// <summary>
/// Probe facts and loudness per file identity (path, size, mtime), kept as small JSON files under
/// the segment cache so a re-render does not read every input again.
/// </summary>
internal sealed class MediaInfoCache(string dir, MediaProbe probe, LoudnessMeter meter, TimeProvider time)
{
    private readonly ConcurrentDictionary<string, Task<MediaFacts>> _facts = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Task<LoudnessMeasurement>> _loudness = new(StringComparer.Ordinal);

    public Task<MediaFacts> FactsAsync(string path, CancellationToken ct) =>
        _facts.GetOrAdd(path, p => CachedAsync(p, "facts", () => probe.ProbeAsync(p, ct), ct));

    public Task<LoudnessMeasurement> LoudnessAsync(string path, CancellationToken ct) =>
        _loudness.GetOrAdd(path, p => CachedAsync(p, "loudness", () => meter.MeasureAsync(p, ct), ct));

    private async Task<T> CachedAsync<T>(string path, string kind, Func<Task<T>> compute, CancellationToken ct)
    {
        if (!File.Exists(path))
            return await compute();
        var id = FileIdentity.Of(path);
        var file = Path.Combine(dir, kind + "-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(id.Key)))[..24] + ".json");
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
        Directory.CreateDirectory(dir);
        var temp = file + "." + Guid.NewGuid().ToString("N", CultureInfo.InvariantCulture) + ".tmp";
        await File.WriteAllTextAsync(temp, JsonSerializer.Serialize(value), ct);
        File.Move(temp, file, overwrite: true);
        return value;
    }
}
