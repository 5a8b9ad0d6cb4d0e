using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Tccg.Media.Probing;
using Tccg.Core.Media;

namespace Tccg.Twitch.Downloads;

/// <summary>Temp files, names and counters of <see cref="ClipDownloader"/>.</summary>
public sealed partial class ClipDownloader
{
    /// <summary>fsync: the file's data survives a power cut from here on.</summary>
    private static Task FlushToDiskAsync(string path, CancellationToken ct) => Task.Run(() =>
    {
        try
        {
            using var file = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.Read, 1);
            file.Flush(flushToDisk: true);
        }
        catch (IOException e)
        {
            throw new ClipTransferException($"the file could not be written to disk: {e.Message}", e);
        }
    }, ct);

    private void ForgetTemp(string temp)
    {
        TryDelete(temp);
        Active.TryRemove(temp, out _);
    }

    /// <summary>
    /// Removes partial files left by a run that was killed: this downloader's names whose process is gone,
    /// or of this process but not being written now.
    /// </summary>
    public int CleanStaleTempFiles()
    {
        var dir = storage.Value.TempDir;
        if (!Directory.Exists(dir))
            return 0;
        var removed = 0;
        foreach (var file in Directory.EnumerateFiles(dir, TempPrefix + "*.part"))
        {
            if (Active.ContainsKey(file) || WriterIsAlive(Path.GetFileName(file)))
                continue;
            if (TryDelete(file))
                removed++;
        }
        if (removed > 0)
            logger.LogInformation("Removed {Count} partial downloads left by an earlier run", removed);
        return removed;
    }

    private static bool WriterIsAlive(string name)
    {
        var rest = name.AsSpan(TempPrefix.Length);
        var dash = rest.IndexOf('-');
        if (dash <= 0 || !int.TryParse(rest[..dash], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var pid))
            return false;
        if (pid == Environment.ProcessId)
            return false;
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    private bool TryDelete(string path)
    {
        try
        {
            File.Delete(path);
            return true;
        }
        catch (IOException e)
        {
            logger.LogWarning(e, "Could not delete {Path}", path);
            return false;
        }
    }

    /// <summary>Twitch ids are letters, digits, '-' and '_'; anything else becomes '_' so no id can leave its folder.</summary>
    public static string SafeName(string id)
    {
        var chars = id.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '_').ToArray();
        return chars.Length == 0 ? "_" : new string(chars);
    }

    private sealed class Counts(int total)
    {
        private int _done, _downloaded, _failed, _unavailable, _notReady;
        private long _bytes;

        public void AddBytes(long bytes) => Interlocked.Add(ref _bytes, bytes);

        public void Add(Outcome outcome)
        {
            Interlocked.Increment(ref _done);
            _ = outcome switch
            {
                Outcome.Downloaded => Interlocked.Increment(ref _downloaded),
                Outcome.Failed => Interlocked.Increment(ref _failed),
                Outcome.Unavailable => Interlocked.Increment(ref _unavailable),
                _ => Interlocked.Increment(ref _notReady),
            };
        }

        public DownloadProgress Snapshot(string? last) =>
            new(total, _done, _downloaded, _failed, _unavailable, _notReady, Interlocked.Read(ref _bytes), last);

        public DownloadResult Result(TimeSpan elapsed) =>
            new(total, _downloaded, _failed, _unavailable, _notReady, Interlocked.Read(ref _bytes), elapsed);
    }
}
