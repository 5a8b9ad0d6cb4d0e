namespace Tccg.TwitchSim.Hosting;

/// <summary>What happens to one request.</summary>
internal readonly record struct FaultDecision(bool ServerError, bool Slow, bool Truncate, bool Stall);

/// <summary>Per-request fault decisions: the n-th request of a surface gets the same decision for the same seed.</summary>
internal sealed class FaultInjector(int seed, int surface, SimFaultOptions faults)
{
    private long _count;

    /// <summary>The live fault settings (change them while the simulator runs).</summary>
    public SimFaultOptions Faults => faults;

    public FaultDecision Next()
    {
        var n = Interlocked.Increment(ref _count);
        return new FaultDecision(
            Roll(n, 1) < faults.ServerErrorRate,
            Roll(n, 2) < faults.SlowRate,
            Roll(n, 3) < faults.TruncateRate,
            Roll(n, 4) < faults.StallRate);
    }

    private double Roll(long n, int salt)
    {
        var x = unchecked((ulong)seed * 0x9E3779B97F4A7C15UL) ^ ((ulong)surface << 56) ^ ((ulong)salt << 48) ^ (ulong)n;
        // SplitMix64 finaliser.
        x = unchecked((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9UL);
        x = unchecked((x ^ (x >> 27)) * 0x94D049BB133111EBUL);
        x ^= x >> 31;
        return (x >> 11) * (1.0 / (1UL << 53));
    }
}
