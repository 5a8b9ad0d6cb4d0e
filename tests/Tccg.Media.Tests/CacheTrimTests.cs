using Tccg.Media.Caching;
using Tccg.Media.Rendering;

namespace Tccg.Media.Tests;

/// <summary>The segment cache's size cap, on real files whose last use is set like the renderer sets it.</summary>
public sealed class CacheTrimTests : IDisposable
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private readonly string _root = Directory.CreateTempSubdirectory("tccg-trim-").FullName;
    private readonly string _cache;

    public CacheTrimTests() => _cache = Path.Combine(_root, "segments");

    public void Dispose() => Directory.Delete(_root, recursive: true);

    /// <summary>A cache file of <paramref name="bytes"/> last used <paramref name="minutes"/> after T0.</summary>
    private string Put(string name, int bytes, int minutes, string? dir = null)
    {
        var path = Path.Combine(dir ?? _cache, name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, new byte[bytes]);
        File.SetLastWriteTimeUtc(path, T0.AddMinutes(minutes).UtcDateTime);
        return path;
    }

    private CacheTrimResult Trim(long cap, DateTimeOffset? keepUsedSince = null) =>
        SegmentCache.Trim(new CacheTrimmer(), _cache, cap, keepUsedSince ?? DateTimeOffset.MaxValue);

    private List<string> Left() =>
        Directory.EnumerateFiles(_cache, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(_cache, f)).Where(f => f != CacheLock.FileName).Order(StringComparer.Ordinal).ToList();

    [Fact]
    public void Trim_OverTheCap_EvictsLeastRecentlyUsedFirstUntilUnderTheCap()
    {
        Put("v-old.mp4", 1000, 1);
        Put("v-newest.mp4", 1000, 50);
        Put("v-older.mp4", 1000, 2);
        Put("a-mid.wav", 900, 30);
        Put("a-mid.loudness.json", 100, 3);
        Put("t-0123456789abcdef01234567.txt", 10, 40);

        var result = Trim(2000);

        // Oldest first: v-old (1), v-older (2), then a-mid (last used 30: its newer file counts) leaves 1010 bytes.
        Assert.Equal(["t-0123456789abcdef01234567.txt", "v-newest.mp4"], Left());
        Assert.Equal((3, 4010L, 3000L), (result.Evicted, result.BytesBefore, result.BytesFreed));
        Assert.True(result.BytesAfter <= 2000);
    }

    [Fact]
    public void Trim_AudioSegmentAndItsMeasurement_AreOneEntryLastUsedWhenEitherWas()
    {
        Put("a-k.wav", 5000, 1);
        Put("a-k.loudness.json", 100, 60);
        Put("v-k.mp4", 5000, 30);

        Trim(5500);
        Assert.Equal(["a-k.loudness.json", "a-k.wav"], Left());

        Trim(1);
        Assert.Empty(Left());
    }

    [Fact]
    public void Trim_EntriesUsedSinceTheJobStarted_SurviveEvenOverTheCap()
    {
        Put("v-before.mp4", 1000, 1);
        Put("v-job1.mp4", 1000, 10);
        Put("a-job2.wav", 1000, 11);
        Put("info/facts-0123456789abcdef01234567.json", 100, 12);

        var result = Trim(1, keepUsedSince: T0.AddMinutes(10));

        Assert.Equal(["a-job2.wav", "info/facts-0123456789abcdef01234567.json", "v-job1.mp4"], Left());
        Assert.Equal(1, result.Evicted);
        Assert.True(result.BytesAfter > 1);
    }

    [Fact]
    public void Trim_UnderTheCap_TouchesNothing()
    {
        var a = Put("v-a.mp4", 1000, 1);
        var b = Put("a-b.wav", 1000, 2);

        var result = Trim(2000);

        Assert.Equal((0, 0L), (result.Evicted, result.BytesFreed));
        Assert.Equal(["a-b.wav", "v-a.mp4"], Left());
        Assert.Equal(T0.AddMinutes(1).UtcDateTime, File.GetLastWriteTimeUtc(a));
        Assert.Equal(T0.AddMinutes(2).UtcDateTime, File.GetLastWriteTimeUtc(b));
    }

    [Fact]
    public void Trim_CapZero_MeansUnlimited()
    {
        Put("v-a.mp4", 100_000, 1);
        Put("v-b.mp4", 100_000, 2);

        var result = Trim(0);

        Assert.Equal(CacheTrimResult.None, result);
        Assert.Equal(2, Left().Count);
    }

    [Fact]
    public void Trim_PartialForeignAndLinkedFiles_AreNeverDeleted()
    {
        var outside = Path.Combine(_root, "outside");
        Put("facts-0123456789abcdef01234567.json", 5000, 1, outside);
        Directory.CreateDirectory(_cache);
        Directory.CreateSymbolicLink(Path.Combine(_cache, "info"), outside);
        File.CreateSymbolicLink(Path.Combine(_cache, "v-link.mp4"), Path.Combine(outside, "facts-0123456789abcdef01234567.json"));
        Put("v-k.0123abcd.tmp", 5000, 1);
        Put("a-k.loudness.json.0123abcd.tmp", 5000, 1);
        Put("notes.mp4", 5000, 1);
        Put("v-evicted.mp4", 5000, 1);
        File.WriteAllText(Path.Combine(_cache, CacheLock.FileName), "");

        var result = Trim(1);

        Assert.Equal(1, result.Evicted);
        Assert.False(File.Exists(Path.Combine(_cache, "v-evicted.mp4")));
        Assert.True(File.Exists(Path.Combine(outside, "facts-0123456789abcdef01234567.json")));
        Assert.Equal([".lock", "a-k.loudness.json.0123abcd.tmp", "info", "notes.mp4", "v-k.0123abcd.tmp", "v-link.mp4"],
            Directory.EnumerateFileSystemEntries(_cache).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList());
    }

    [Fact]
    public async Task Trim_WhileARenderHoldsTheCache_IsSkippedAndRunsOnceItEnds()
    {
        Put("v-a.mp4", 1000, 1);
        Put("v-b.mp4", 1000, 2);

        using (await CacheLock.AcquireSharedAsync(_cache, CancellationToken.None))
        {
            Assert.True(Trim(1).Skipped);
            Assert.Equal(2, Left().Count);
        }

        Assert.Equal(2, Trim(1).Evicted);
    }

    [Fact]
    public async Task AcquireShared_DuringATrim_WaitsUntilItEnds()
    {
        Directory.CreateDirectory(_cache);
        var exclusive = CacheLock.TryAcquireExclusive(_cache);
        Assert.NotNull(exclusive);

        var waiting = CacheLock.AcquireSharedAsync(_cache, CancellationToken.None);
        await Task.Delay(200);
        Assert.False(waiting.IsCompleted);
        exclusive.Dispose();

        using var shared = await waiting.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Null(CacheLock.TryAcquireExclusive(_cache));
    }

    [Fact]
    public void ChooseEvictions_TiesInLastUse_AreBrokenByNameSoTrimsAreRepeatable()
    {
        var entries = new[] { "c", "a", "b" }.Select(n => new CacheEntry(n, [n], 10, T0)).ToList();

        var evicted = CacheTrimmer.ChooseEvictions(entries, 15, DateTimeOffset.MaxValue);

        Assert.Equal(["a", "b"], evicted.Select(e => e.Name));
    }
}
