using System.Globalization;
using System.Net;
using Microsoft.Extensions.Logging;

namespace Tccg.Twitch.Helix;

/// <summary>What the limiter knows about the Helix point bucket, for progress displays and benchmarks.</summary>
public sealed record RateBudget(int? Limit, int Remaining, DateTimeOffset? Reset, long Calls, long Throttled, TimeSpan Waited);

/// <summary>
/// Paces Helix calls by the <c>Ratelimit-Limit/Remaining/Reset</c> headers (docs/twitch.md): calls go out
/// while the bucket holds more than <see cref="Reserve"/> points beyond the calls in flight, then wait for
/// <c>Ratelimit-Reset</c>. So the whole budget is usable while work remains, and 429 never happens
/// unless something else spends the same bucket (then the 429 sets the wait).
/// </summary>
public sealed class HelixRateLimiter(TimeProvider time, ILogger<HelixRateLimiter> logger)
{
    /// <summary>Points left unused per window as a margin for calls we cannot see (other processes, retries).</summary>
    public const int Reserve = 2;

    private static readonly TimeSpan ProbeWait = TimeSpan.FromMilliseconds(20);
    private readonly Lock _gate = new();
    private int? _limit;
    private int _remaining;
    private DateTimeOffset _reset = DateTimeOffset.MinValue;
    private bool _assumedFull;
    private int _inFlight;
    private long _calls;
    private long _throttled;
    private TimeSpan _waited;

    public RateBudget Snapshot()
    {
        lock (_gate)
            return new RateBudget(_limit, _remaining, _limit is null ? null : _reset, _calls, _throttled, _waited);
    }

    /// <summary>Waits until a call may go out; pair with <see cref="Release"/>.</summary>
    public async ValueTask AcquireAsync(CancellationToken ct)
    {
        while (true)
        {
            TimeSpan wait;
            lock (_gate)
            {
                var now = time.GetUtcNow();
                if (_limit is not { } limit)
                {
                    // Nothing known yet: one probe call at a time until the first headers arrive.
                    if (_inFlight == 0)
                    {
                        Admit();
                        return;
                    }
                    wait = ProbeWait;
                }
                else
                {
                    if (now >= _reset && !_assumedFull)
                    {
                        // The window has turned over: the bucket is full again until the next headers say otherwise.
                        _remaining = limit;
                        _assumedFull = true;
                    }
                    if (_remaining - _inFlight > Math.Min(Reserve, limit - 1))
                    {
                        Admit();
                        return;
                    }
                    wait = _reset > now ? _reset - now : ProbeWait;
                }
                _waited += wait;
            }
            logger.LogDebug("Helix budget spent; waiting {Wait} for the rate window to reset", wait);
            await Task.Delay(wait, time, ct);
        }
    }

    private void Admit()
    {
        _inFlight++;
        _calls++;
    }

    /// <summary>The call admitted by <see cref="AcquireAsync"/> has finished (successfully or not).</summary>
    public void Release()
    {
        lock (_gate)
            _inFlight = Math.Max(0, _inFlight - 1);
    }

    /// <summary>Learns from one response's headers (every attempt, including retried ones).</summary>
    public void Observe(HttpResponseMessage response)
    {
        var limit = IntHeader(response, "Ratelimit-Limit");
        var remaining = IntHeader(response, "Ratelimit-Remaining");
        var reset = ResetOf(response);
        lock (_gate)
        {
            if (limit is { } l && l > 0)
                _limit = l;
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                _throttled++;
                _remaining = 0;
                _limit ??= 1;
                _assumedFull = false;
                var now = time.GetUtcNow();
                _reset = reset is { } r && r > now ? r : now + TimeSpan.FromSeconds(1);
                logger.LogWarning("Helix answered 429 Too Many Requests; waiting until {Reset:O}", _reset);
                return;
            }
            if (remaining is not { } rem || reset is not { } newReset)
                return;
            if (newReset > _reset)
            {
                _reset = newReset;
                _remaining = rem;
                _assumedFull = false;
            }
            else if (newReset == _reset && !_assumedFull)
            {
                // Responses can arrive out of order: the lowest count is the newest.
                _remaining = Math.Min(_remaining, rem);
            }
        }
    }

    /// <summary><c>Ratelimit-Reset</c> (unix seconds) of a response, if present.</summary>
    public static DateTimeOffset? ResetOf(HttpResponseMessage response) =>
        response.Headers.TryGetValues("Ratelimit-Reset", out var values)
        && long.TryParse(values.FirstOrDefault(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var unix)
            ? DateTimeOffset.FromUnixTimeSeconds(unix)
            : null;

    private static int? IntHeader(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values)
        && int.TryParse(values.FirstOrDefault(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value)
            ? value
            : null;
}

/// <summary>Outer handler: holds each logical Helix call until the limiter admits it.</summary>
public sealed class RateLimitGateHandler(HelixRateLimiter limiter) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        await limiter.AcquireAsync(cancellationToken);
        try
        {
            return await base.SendAsync(request, cancellationToken);
        }
        finally
        {
            limiter.Release();
        }
    }
}

/// <summary>Inner handler (below the retry pipeline): lets the limiter see every attempt's headers.</summary>
public sealed class RateLimitObserverHandler(HelixRateLimiter limiter) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken);
        limiter.Observe(response);
        return response;
    }
}
