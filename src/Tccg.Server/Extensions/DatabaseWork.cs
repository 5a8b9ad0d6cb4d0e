namespace Tccg.Server.Extensions;

/// <summary>
/// The rate-limiting policy for short, database-bound reads (clip lists, the next clips to review). SQLite work is
/// synchronous CPU work: run a few at a time (twice the cores) and queue the rest in arrival order, so fifty
/// concurrent clients do not become fifty threads thrashing the caches. Long requests (media, uploads, event
/// streams, generator long-polls) never take a permit.
/// </summary>
public static class DatabaseWork
{
    public const string Policy = "database";

    public static int Permits { get; } = Math.Max(2, Environment.ProcessorCount * 2);

    /// <summary>Beyond this many waiting requests the server answers 503 at once.</summary>
    public const int QueueLimit = 10_000;
}
