using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Tccg.Media.Caching;

/// <summary>One evictable unit of a cache: files that live and die together, their size and their last use.</summary>
public sealed record CacheEntry(string Name, IReadOnlyList<string> Files, long Bytes, DateTimeOffset LastUsed);

/// <summary>What one trim did. <see cref="Skipped"/>: the cache was in use, nothing was looked at.</summary>
public sealed record CacheTrimResult(int Entries, long BytesBefore, int Evicted, long BytesFreed, bool Skipped)
{
    public long BytesAfter => BytesBefore - BytesFreed;
    public static CacheTrimResult None { get; } = new(0, 0, 0, 0, false);
}

/// <summary>
/// Size caps with least-recently-used eviction for the generator's caches.
/// <para>
/// "Used" is a file's last-write time, set on purpose whenever a render uses the file (<see cref="MarkUsed"/>);
/// access times are not trusted because most disks are mounted noatime or relatime. Only files a cache layout
/// recognises are evicted (never partial downloads or encodes, which have temp names, never anything outside
/// the cache root), and only while no render holds the cache (<see cref="CacheLock"/>).
/// </para>
/// </summary>
public sealed partial class CacheTrimmer(ILogger? logger = null)
{
    /// <summary>File systems with coarse timestamps (FAT: 2 s) must not make the finished job's files look older than it.</summary>
    public static readonly TimeSpan TimestampSlack = TimeSpan.FromSeconds(2);

    private readonly ILogger _logger = logger ?? NullLogger.Instance;

    /// <summary>
    /// Evicts least recently used entries of the cache under <paramref name="root"/> until it holds at most
    /// <paramref name="capBytes"/> (0: unlimited, nothing happens). Entries used at or after
    /// <paramref name="keepUsedSince"/> (the job that just finished) are kept even when that leaves the cache over
    /// its cap. Skipped, and logged, while a render uses the cache.
    /// </summary>
    public CacheTrimResult Trim(string cacheName, string root, Func<string, IReadOnlyList<CacheEntry>> layout, long capBytes, DateTimeOffset keepUsedSince)
    {
        if (capBytes <= 0)
            return CacheTrimResult.None;
        root = Path.GetFullPath(root);
        if (!Directory.Exists(root))
            return CacheTrimResult.None;
        using var exclusive = CacheLock.TryAcquireExclusive(root);
        if (exclusive is null)
        {
            LogBusy(cacheName, root);
            return CacheTrimResult.None with { Skipped = true };
        }

        IReadOnlyList<CacheEntry> entries;
        try
        {
            entries = layout(root);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            LogUnreadable(cacheName, root, ex.Message);
            return CacheTrimResult.None;
        }
        var before = entries.Sum(e => e.Bytes);
        var keep = keepUsedSince > DateTimeOffset.MinValue + TimestampSlack ? keepUsedSince - TimestampSlack : DateTimeOffset.MinValue;
        var evict = ChooseEvictions(entries, capBytes, keep);
        long freed = 0;
        var files = 0;
        foreach (var entry in evict)
        {
            foreach (var file in entry.Files)
            {
                if (TryDeleteUnder(root, file) is { } bytes)
                {
                    freed += bytes;
                    files++;
                }
            }
            PruneEmptyDirectories(root, entry.Files);
        }

        var after = before - freed;
        if (evict.Count > 0)
            LogTrimmed(cacheName, root, evict.Count, files, ToMb(freed), ToMb(after), ToMb(capBytes));
        else
            LogUnderCap(cacheName, root, ToMb(before), ToMb(capBytes));
        if (after > capBytes)
            LogStillOver(cacheName, root, ToMb(after), ToMb(capBytes));
        return new CacheTrimResult(entries.Count, before, evict.Count, freed, false);
    }

    /// <summary>The least recently used entries to remove so the rest fits <paramref name="capBytes"/>; entries used at or after <paramref name="keepUsedSince"/> stay.</summary>
    public static IReadOnlyList<CacheEntry> ChooseEvictions(IReadOnlyList<CacheEntry> entries, long capBytes, DateTimeOffset keepUsedSince)
    {
        if (capBytes <= 0)
            return [];
        var total = entries.Sum(e => e.Bytes);
        var evict = new List<CacheEntry>();
        foreach (var e in entries.OrderBy(e => e.LastUsed).ThenBy(e => e.Name, StringComparer.Ordinal))
        {
            // Sorted by last use: from here on everything belongs to the job that just finished.
            if (total <= capBytes || e.LastUsed >= keepUsedSince)
                break;
            evict.Add(e);
            total -= e.Bytes;
        }
        return evict;
    }

    /// <summary>Records a use of a cached file (its last-write time becomes now); missing files are ignored.</summary>
    public static void MarkUsed(string path, TimeProvider time)
    {
        try
        {
            File.SetLastWriteTimeUtc(path, time.GetUtcNow().UtcDateTime);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    /// <summary>
    /// An entry from files that exist: their total size and the latest last-write time among them. Pass the
    /// <see cref="FileInfo"/>s <see cref="Files"/> listed (their size and time were read by the listing, so no
    /// second disk stat); a file not listed (an ETag beside its input) is a <c>new FileInfo(path)</c>, read here.
    /// </summary>
    public static CacheEntry? Entry(string name, IEnumerable<FileInfo> files)
    {
        var present = files.Where(f => f.Exists).ToList();
        if (present.Count == 0)
            return null;
        return new CacheEntry(name, present.Select(f => f.FullName).ToList(), present.Sum(f => f.Length),
            new DateTimeOffset(present.Max(f => f.LastWriteTimeUtc), TimeSpan.Zero));
    }

    /// <summary>True for names of files being written (temp names): never evicted, never counted.</summary>
    public static bool IsPartial(string fileName) =>
        fileName.EndsWith(".tmp", StringComparison.Ordinal) || fileName.EndsWith(".part", StringComparison.Ordinal) || fileName == CacheLock.FileName;

    /// <summary>
    /// Every file under <paramref name="dir"/> but temp names, not following symbolic links: a linked sub-folder
    /// is skipped, and so is <paramref name="dir"/> itself when it is a link, unless it is the cache root
    /// (<paramref name="isRoot"/>: a cache folder may well be a link to a bigger disk).
    /// </summary>
    public static IEnumerable<FileInfo> Files(string dir, bool recursive, bool isRoot = false) =>
        new DirectoryInfo(dir) is { Exists: true } info && (isRoot || info.LinkTarget is null)
            ? info.EnumerateFiles("*", new EnumerationOptions
            {
                RecurseSubdirectories = recursive,
                AttributesToSkip = FileAttributes.ReparsePoint,
                IgnoreInaccessible = true,
            }).Where(f => !IsPartial(f.Name))
            : [];

    private static long? TryDeleteUnder(string root, string file)
    {
        var full = Path.GetFullPath(file);
        if (!full.StartsWith(root.TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar, StringComparison.Ordinal) || IsPartial(Path.GetFileName(full)))
            return null;
        try
        {
            var info = new FileInfo(full);
            if (!info.Exists)
                return null;
            var bytes = info.Length;
            info.Delete();
            return bytes;
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static void PruneEmptyDirectories(string root, IEnumerable<string> files)
    {
        var top = root.TrimEnd(Path.DirectorySeparatorChar);
        foreach (var file in files)
        {
            var dir = Path.GetDirectoryName(Path.GetFullPath(file));
            while (dir is not null && dir.Length > top.Length && dir.StartsWith(top + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            {
                try
                {
                    if (Directory.EnumerateFileSystemEntries(dir).Any())
                        break;
                    Directory.Delete(dir);
                }
                catch (IOException)
                {
                    break;
                }
                catch (UnauthorizedAccessException)
                {
                    break;
                }
                dir = Path.GetDirectoryName(dir);
            }
        }
    }

    private static double ToMb(long bytes) => Math.Round(bytes / (1024.0 * 1024.0), 1);

    [LoggerMessage(LogLevel.Information, "Trimmed the {Cache} cache {Root}: evicted {Entries} least recently used entries ({Files} files, {FreedMb} MB); {KeptMb} MB kept of {CapMb} MB allowed")]
    private partial void LogTrimmed(string cache, string root, int entries, int files, double freedMb, double keptMb, double capMb);

    [LoggerMessage(LogLevel.Debug, "The {Cache} cache {Root} holds {SizeMb} MB of {CapMb} MB allowed: nothing to trim")]
    private partial void LogUnderCap(string cache, string root, double sizeMb, double capMb);

    [LoggerMessage(LogLevel.Information, "The {Cache} cache {Root} is in use by a render: trimming it after a later job")]
    private partial void LogBusy(string cache, string root);

    [LoggerMessage(LogLevel.Warning, "The {Cache} cache {Root} could not be read for trimming: {Reason}")]
    private partial void LogUnreadable(string cache, string root, string reason);

    [LoggerMessage(LogLevel.Warning, "The {Cache} cache {Root} still holds {SizeMb} MB, over its cap of {CapMb} MB: the last job alone needed that much (raise the cap)")]
    private partial void LogStillOver(string cache, string root, double sizeMb, double capMb);
}
