using System.Globalization;
using System.Net;
using Microsoft.Extensions.Logging;
using Tccg.Media.Caching;

namespace Tccg.Generator;

/// <summary>An input the job refers to is not on the server.</summary>
public sealed class InputMissingException(string path, string reason) : Exception($"Input {path}: {reason}");

/// <summary>
/// Local copies of the server's media, kept across jobs: <c>{root}/files/{storage path}</c>, with the
/// server's ETag (size and modification time) beside it under <c>{root}/meta</c>. A cached file is
/// revalidated with <c>If-None-Match</c> (304 keeps it); a changed one is downloaded to a temp name and
/// renamed into place, so a crash never leaves a half file under the real name.
/// <para>
/// Last use, for the size cap (<see cref="Entries"/>), is the last-write time of the ETag file, set at every
/// fetch. The media file's own time is left alone: its size and modification time are part of every segment
/// key made from it (<c>FileIdentity</c>), so touching it would make every cached segment of it useless.
/// </para>
/// </summary>
public sealed class InputCache(GeneratorClient client, string root, ILogger logger, TimeProvider? time = null)
{
    public const string Name = "input";
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    /// <summary>The cache's root: <c>files/</c>, <c>meta/</c> and the lock a trim takes (<see cref="CacheLock"/>).</summary>
    public string Root { get; } = Path.GetFullPath(root);
    public string FilesRoot { get; } = Path.GetFullPath(Path.Combine(root, "files"));
    private string MetaRoot { get; } = Path.GetFullPath(Path.Combine(root, "meta"));

    public int Downloaded { get; private set; }
    public int Reused { get; private set; }

    /// <summary>Makes <paramref name="relativePath"/> of job <paramref name="jobId"/> present locally; returns the local file.</summary>
    public async Task<string> FetchAsync(long jobId, string relativePath, CancellationToken ct)
    {
        var local = Under(FilesRoot, relativePath);
        var meta = Under(MetaRoot, relativePath) + ".etag";
        var etag = File.Exists(local) && File.Exists(meta) ? await File.ReadAllTextAsync(meta, ct) : null;

        using var response = await client.GetInputAsync(jobId, relativePath, etag, ct);
        if (response.StatusCode == HttpStatusCode.NotModified && etag is not null)
        {
            CacheTrimmer.MarkUsed(meta, _time);
            Reused++;
            return local;
        }
        if (response.StatusCode == HttpStatusCode.NotModified)
            throw new InputMissingException(relativePath, "the server answered 304 without a cached copy");

        Directory.CreateDirectory(Path.GetDirectoryName(local)!);
        Directory.CreateDirectory(Path.GetDirectoryName(meta)!);
        var temp = local + "." + Guid.NewGuid().ToString("N", CultureInfo.InvariantCulture) + ".part";
        try
        {
            long written;
            await using (var body = await response.Content.ReadAsStreamAsync(ct))
            await using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true))
            {
                await body.CopyToAsync(file, 1 << 16, ct);
                written = file.Length;
            }
            if (response.Content.Headers.ContentLength is { } expected && expected != written)
                throw new HttpRequestException($"Input {relativePath} was cut short ({written} of {expected} bytes).");
            File.Move(temp, local, overwrite: true);
            var newTag = response.Headers.ETag?.ToString();
            // A new ETag file is as recent as a use needs to be.
            if (newTag is null)
                File.Delete(meta);
            else
                await WriteAtomicAsync(meta, newTag, ct);
        }
        finally
        {
            TryDelete(temp);
        }

        Downloaded++;
        logger.LogInformation("Fetched {Path} for render job {Job}", relativePath, jobId);
        return local;
    }

    /// <summary>Trims this cache to <paramref name="capBytes"/> (0: unlimited); see <see cref="CacheTrimmer.Trim"/>.</summary>
    public CacheTrimResult Trim(CacheTrimmer trimmer, long capBytes, DateTimeOffset keepUsedSince) =>
        trimmer.Trim(Name, Root, Entries, capBytes, keepUsedSince);

    /// <summary>
    /// The cache under <paramref name="root"/> as evictable entries: each file under <c>files/</c> with its ETag
    /// (last used = the later of the two times), and ETags whose file is gone.
    /// </summary>
    public static IReadOnlyList<CacheEntry> Entries(string root)
    {
        var files = Path.GetFullPath(Path.Combine(root, "files"));
        var meta = Path.GetFullPath(Path.Combine(root, "meta"));
        var entries = new List<CacheEntry>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var f in CacheTrimmer.Files(files, recursive: true))
        {
            var relative = Path.GetRelativePath(files, f.FullName);
            var tag = Path.Combine(meta, relative) + ".etag";
            seen.Add(tag);
            // The ETag twin was not listed here: it alone needs a look of its own.
            if (CacheTrimmer.Entry(relative, [f, new FileInfo(tag)]) is { } e)
                entries.Add(e);
        }
        foreach (var t in CacheTrimmer.Files(meta, recursive: true).Where(t => t.Name.EndsWith(".etag", StringComparison.Ordinal) && !seen.Contains(t.FullName)))
        {
            if (CacheTrimmer.Entry("meta/" + Path.GetRelativePath(meta, t.FullName), [t]) is { } e)
                entries.Add(e);
        }
        return entries;
    }

    /// <summary>The full path of <paramref name="relativePath"/> under <paramref name="baseDir"/>; refuses anything that leaves it.</summary>
    public static string Under(string baseDir, string relativePath)
    {
        if (string.IsNullOrWhiteSpace(relativePath) || Path.IsPathRooted(relativePath) || relativePath.Contains('\\', StringComparison.Ordinal)
            || relativePath.Split('/').Any(s => s is ".." or "." or ""))
            throw new InputMissingException(relativePath, "not a storage-relative path");
        var full = Path.GetFullPath(Path.Combine(baseDir, relativePath));
        var prefix = Path.GetFullPath(baseDir).TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar;
        if (!full.StartsWith(prefix, StringComparison.Ordinal))
            throw new InputMissingException(relativePath, "not a storage-relative path");
        return full;
    }

    private static async Task WriteAtomicAsync(string path, string text, CancellationToken ct)
    {
        var temp = path + "." + Guid.NewGuid().ToString("N", CultureInfo.InvariantCulture) + ".tmp";
        try
        {
            await File.WriteAllTextAsync(temp, text, ct);
            File.Move(temp, path, overwrite: true);
        }
        finally
        {
            TryDelete(temp);
        }
    }

    public static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
