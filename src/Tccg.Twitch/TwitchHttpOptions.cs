namespace Tccg.Twitch;

/// <summary>
/// Retry and timeout tuning of the Twitch HTTP clients. Not a configuration section: the defaults suit
/// Twitch; tests shorten them with <c>services.Configure&lt;TwitchHttpOptions&gt;(…)</c>.
/// </summary>
public sealed class TwitchHttpOptions
{
    /// <summary>Retries after the first attempt for 5xx, 408, 429, timeouts and connection failures.</summary>
    public int MaxRetries { get; set; } = 5;

    /// <summary>Median first back-off; doubles per retry, with jitter.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Cap of one back-off; also caps a 429 wait for <c>Ratelimit-Reset</c>.</summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(70);

    /// <summary>One attempt of an API call.</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>One API call with all its retries and waits.</summary>
    public TimeSpan TotalTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Idle time after which a media download stalls out (no bytes received).</summary>
    public TimeSpan DownloadStallTimeout { get; set; } = TimeSpan.FromSeconds(30);
}
