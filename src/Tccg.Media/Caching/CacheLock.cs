namespace Tccg.Media.Caching;

/// <summary>
/// Keeps a cache trim away from renders that use the cache, across processes (the server's in-process
/// generator and a <c>tccg render</c> share <c>data/cache/segments</c>; two generators may share a
/// <c>--cache</c>). A user holds <c>{root}/.lock</c> open shared, a trim opens it exclusively: .NET maps
/// <see cref="FileShare"/> onto advisory <c>flock</c> locks on Unix and onto share modes on Windows, so the
/// kernel drops the lock when a process dies and a crash never leaves the cache locked.
/// </summary>
public static class CacheLock
{
    public const string FileName = ".lock";

    /// <summary>How long a user waits for a trim to finish before giving up (a trim takes milliseconds to seconds).</summary>
    private static readonly TimeSpan MaxWait = TimeSpan.FromMinutes(2);

    /// <summary>Marks <paramref name="root"/> as in use until the result is disposed; waits while a trim runs.</summary>
    public static async Task<IDisposable> AcquireSharedAsync(string root, CancellationToken ct)
    {
        Directory.CreateDirectory(root);
        var path = Path.Combine(root, FileName);
        var waited = TimeSpan.Zero;
        var step = TimeSpan.FromMilliseconds(50);
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            }
            catch (IOException) when (waited < MaxWait && IsBusy(path))
            {
                await Task.Delay(step, ct);
                waited += step;
            }
        }
    }

    /// <summary>The exclusive hold for a trim, or null when someone uses the cache (or the lock cannot be taken).</summary>
    public static IDisposable? TryAcquireExclusive(string root)
    {
        try
        {
            return new FileStream(Path.Combine(root, FileName), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
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

    // A sharing conflict, not a missing folder or a full disk: only then is waiting worth it.
    private static bool IsBusy(string path) => File.Exists(path);
}
