using System.Globalization;
using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Tccg.Twitch.Helix;

namespace Tccg.Twitch.Tests;

public sealed class HelixRateLimiterTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);

    private static HttpResponseMessage Response(int limit, int remaining, DateTimeOffset reset, HttpStatusCode status = HttpStatusCode.OK)
    {
        var response = new HttpResponseMessage(status);
        response.Headers.Add("Ratelimit-Limit", limit.ToString(CultureInfo.InvariantCulture));
        response.Headers.Add("Ratelimit-Remaining", remaining.ToString(CultureInfo.InvariantCulture));
        response.Headers.Add("Ratelimit-Reset", reset.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture));
        return response;
    }

    [Fact]
    public async Task Acquire_BeforeAnyHeaders_LetsOneProbeCallThrough()
    {
        var time = new FakeTimeProvider(Start);
        var limiter = new HelixRateLimiter(time, NullLogger<HelixRateLimiter>.Instance);
        await limiter.AcquireAsync(CancellationToken.None);
        var second = limiter.AcquireAsync(CancellationToken.None).AsTask();
        Assert.False(second.IsCompleted);
        using var response = Response(800, 799, Start.AddSeconds(60));
        limiter.Observe(response);
        limiter.Release();
        time.Advance(TimeSpan.FromMilliseconds(50));
        await second.WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task Acquire_BucketDownToTheReserve_WaitsForRatelimitReset()
    {
        var time = new FakeTimeProvider(Start);
        var limiter = new HelixRateLimiter(time, NullLogger<HelixRateLimiter>.Instance);
        using (var response = Response(10, 3, Start.AddSeconds(5)))
            limiter.Observe(response);

        await limiter.AcquireAsync(CancellationToken.None); // 3 left, 0 in flight: above the reserve of 2
        var blocked = limiter.AcquireAsync(CancellationToken.None).AsTask(); // 3 left, 1 in flight: at the reserve
        Assert.False(blocked.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(4));
        Assert.False(blocked.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(1));
        await blocked.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.True(limiter.Snapshot().Waited >= TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task Observe_TooManyRequests_BlocksEveryoneUntilItsReset()
    {
        var time = new FakeTimeProvider(Start);
        var limiter = new HelixRateLimiter(time, NullLogger<HelixRateLimiter>.Instance);
        using (var ok = Response(800, 700, Start.AddSeconds(30)))
            limiter.Observe(ok);
        using (var throttled = Response(800, 0, Start.AddSeconds(40), HttpStatusCode.TooManyRequests))
            limiter.Observe(throttled);
        var blocked = limiter.AcquireAsync(CancellationToken.None).AsTask();
        time.Advance(TimeSpan.FromSeconds(39));
        Assert.False(blocked.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(1));
        await blocked.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(1, limiter.Snapshot().Throttled);
    }

    [Fact]
    public void Observe_OutOfOrderResponsesOfOneWindow_KeepTheLowestRemaining()
    {
        var limiter = new HelixRateLimiter(new FakeTimeProvider(Start), NullLogger<HelixRateLimiter>.Instance);
        using (var newer = Response(800, 500, Start.AddSeconds(30)))
            limiter.Observe(newer);
        using (var older = Response(800, 520, Start.AddSeconds(30)))
            limiter.Observe(older);
        Assert.Equal(500, limiter.Snapshot().Remaining);
        using (var next = Response(800, 799, Start.AddSeconds(90)))
            limiter.Observe(next);
        Assert.Equal(799, limiter.Snapshot().Remaining);
    }

    [Fact]
    public async Task Acquire_Cancelled_ThrowsWithoutTakingABudgetSlot()
    {
        var time = new FakeTimeProvider(Start);
        var limiter = new HelixRateLimiter(time, NullLogger<HelixRateLimiter>.Instance);
        using (var response = Response(10, 0, Start.AddSeconds(60)))
            limiter.Observe(response);
        using var cts = new CancellationTokenSource();
        var waiting = limiter.AcquireAsync(cts.Token).AsTask();
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
        Assert.Equal(0, limiter.Snapshot().Calls);
    }
}
