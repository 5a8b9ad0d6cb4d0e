namespace Tccg.Core.Twitch;

/// <summary>Escalating back-off for failed downloads (Sonarr style: 1 m, 5 m, 15 m, 1 h, 6 h, then 24 h).</summary>
public static class RetrySchedule
{
    private static readonly TimeSpan[] Steps =
    [
        TimeSpan.FromMinutes(1),
        TimeSpan.FromMinutes(5),
        TimeSpan.FromMinutes(15),
        TimeSpan.FromHours(1),
        TimeSpan.FromHours(6),
        TimeSpan.FromHours(24),
    ];

    /// <summary>How long to wait after the <paramref name="attempts"/>-th failed attempt (1-based).</summary>
    public static TimeSpan After(int attempts) => Steps[Math.Clamp(attempts, 1, Steps.Length) - 1];

    /// <summary>The wait for a clip Twitch is still creating: short, and no attempt is burned.</summary>
    public static readonly TimeSpan NotReady = TimeSpan.FromMinutes(2);

    /// <summary>True when a clip with <paramref name="attempts"/> failures may be tried again.</summary>
    public static bool MayRetry(int attempts, int maxAttempts) => attempts < maxAttempts;
}
