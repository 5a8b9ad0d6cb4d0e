using System.Diagnostics;
using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Tccg.Core.Configuration;
using Tccg.Twitch.Helix;

namespace Tccg.Twitch.Tests;

public sealed class HelixClientBehaviourTests
{
    [Fact]
    public async Task Calls_ReuseOneAppTokenAndSendClientId()
    {
        await using var twitch = await ScriptedTwitch.StartAsync();
        string? auth = null, clientId = null;
        twitch.Helix = (ctx, _) =>
        {
            auth = ctx.Request.Headers.Authorization;
            clientId = ctx.Request.Headers["Client-Id"];
            return Task.FromResult(ScriptedTwitch.Games("Just Chatting"));
        };
        await using var sp = twitch.Services();
        var helix = sp.GetRequiredService<HelixClient>();
        for (var i = 0; i < 3; i++)
            Assert.Equal("Just Chatting", (await helix.GetGameByNameAsync("Just Chatting", CancellationToken.None))!.Name);
        Assert.Equal(1, twitch.TokensIssued);
        Assert.Equal("Bearer token1", auth);
        Assert.Equal("client", clientId);
    }

    [Fact]
    public async Task AddTccgTwitch_CalledTwice_StacksNoHandlers()
    {
        await using var twitch = await ScriptedTwitch.StartAsync();
        var auths = new List<string>();
        twitch.Helix = (ctx, _) =>
        {
            lock (auths)
                auths.Add(ctx.Request.Headers.Authorization.ToString());
            return Task.FromResult(ScriptedTwitch.Games("A"));
        };
        await using var sp = twitch.Services(extra: services => services.AddTccgTwitch());
        var helix = sp.GetRequiredService<HelixClient>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await helix.GetGameByNameAsync("A", timeout.Token);
        await helix.GetGameByNameAsync("A", timeout.Token);
        Assert.Equal(2, twitch.HelixCalls);
        Assert.Equal(2, sp.GetRequiredService<HelixRateLimiter>().Snapshot().Calls);
        Assert.All(auths, a => Assert.Equal("Bearer token1", a));
    }

    [Fact]
    public async Task Unauthorized_FetchesANewTokenAndRetriesOnce()
    {
        await using var twitch = await ScriptedTwitch.StartAsync();
        twitch.Helix = (ctx, n) => Task.FromResult(ctx.Request.Headers.Authorization == "Bearer token1"
            ? Results.Json(new { error = "Unauthorized", status = 401, message = "Invalid OAuth token" }, statusCode: 401)
            : ScriptedTwitch.Games("A"));
        await using var sp = twitch.Services();
        var game = await sp.GetRequiredService<HelixClient>().GetGameByNameAsync("A", CancellationToken.None);
        Assert.NotNull(game);
        Assert.Equal(2, twitch.TokensIssued);
        Assert.Equal(2, twitch.HelixCalls);
    }

    [Fact]
    public async Task Unauthorized_Twice_FailsAfterOneReauthNamingTheCredentials()
    {
        await using var twitch = await ScriptedTwitch.StartAsync();
        twitch.Helix = (_, _) => Task.FromResult(Results.Json(new { error = "Unauthorized", status = 401, message = "Invalid OAuth token" }, statusCode: 401));
        await using var sp = twitch.Services();
        var e = await Assert.ThrowsAsync<TwitchApiException>(() => sp.GetRequiredService<HelixClient>().GetGameByNameAsync("A", CancellationToken.None));
        Assert.Equal(HttpStatusCode.Unauthorized, e.StatusCode);
        Assert.Contains("Tccg:Twitch:ClientId", e.Message, StringComparison.Ordinal);
        Assert.Equal(2, twitch.TokensIssued);
        Assert.Equal(2, twitch.HelixCalls);
    }

    [Fact]
    public async Task WrongSecret_FailsWithTheCredentialKeys()
    {
        await using var twitch = await ScriptedTwitch.StartAsync();
        await using var sp = twitch.Services(o => o.ClientSecret = "wrong");
        var e = await Assert.ThrowsAsync<TwitchApiException>(() => sp.GetRequiredService<HelixClient>().GetGameByNameAsync("A", CancellationToken.None));
        Assert.Contains("ClientSecret", e.Message, StringComparison.Ordinal);
        Assert.Contains("invalid client secret", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MissingCredentials_FailWithTheOneLineOptionsError()
    {
        await using var twitch = await ScriptedTwitch.StartAsync();
        await using var sp = twitch.Services(o => o.ClientId = "");
        var e = await Assert.ThrowsAsync<OptionsKeyMissingException>(() => sp.GetRequiredService<HelixClient>().GetGameByNameAsync("A", CancellationToken.None));
        Assert.Equal("Tccg:Twitch:ClientId", e.Key);
        Assert.Equal(0, twitch.HelixCalls);
    }

    [Fact]
    public async Task ServerErrors_AreRetriedWithBackoff()
    {
        await using var twitch = await ScriptedTwitch.StartAsync();
        twitch.Helix = (_, n) => Task.FromResult(n <= 2
            ? Results.Json(new { error = "Internal Server Error", status = 500, message = "" }, statusCode: 500)
            : ScriptedTwitch.Games("A"));
        await using var sp = twitch.Services();
        Assert.NotNull(await sp.GetRequiredService<HelixClient>().GetGameByNameAsync("A", CancellationToken.None));
        Assert.Equal(3, twitch.HelixCalls);
    }

    [Fact]
    public async Task ServerErrors_BeyondMaxRetries_Fail()
    {
        await using var twitch = await ScriptedTwitch.StartAsync();
        twitch.Helix = (_, _) => Task.FromResult(Results.Json(new { error = "Bad Gateway", status = 502, message = "" }, statusCode: 502));
        await using var sp = twitch.Services();
        var e = await Assert.ThrowsAsync<TwitchApiException>(() => sp.GetRequiredService<HelixClient>().GetGameByNameAsync("A", CancellationToken.None));
        Assert.Equal(HttpStatusCode.BadGateway, e.StatusCode);
        Assert.Equal(4, twitch.HelixCalls);
    }

    [Fact]
    public async Task MalformedBody_IsNotRetriedAndThrowsTwitchApiException()
    {
        await using var twitch = await ScriptedTwitch.StartAsync();
        twitch.Helix = (_, _) => Task.FromResult(Results.Text("{\"data\":[{\"id\":", "application/json"));
        await using var sp = twitch.Services();
        await Assert.ThrowsAsync<TwitchApiException>(() => sp.GetRequiredService<HelixClient>().GetGameByNameAsync("A", CancellationToken.None));
        Assert.Equal(1, twitch.HelixCalls);
    }

    [Fact]
    public async Task TooManyRequests_WaitsUntilRatelimitReset()
    {
        await using var twitch = await ScriptedTwitch.StartAsync();
        var reset = DateTimeOffset.UtcNow.AddSeconds(2);
        twitch.Helix = (ctx, n) =>
        {
            if (n > 1)
                return Task.FromResult(ScriptedTwitch.Games("A"));
            ctx.Response.Headers["Ratelimit-Limit"] = "800";
            ctx.Response.Headers["Ratelimit-Remaining"] = "0";
            ctx.Response.Headers["Ratelimit-Reset"] = reset.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
            return Task.FromResult(Results.Json(new { error = "Too Many Requests", status = 429, message = "" }, statusCode: 429));
        };
        await using var sp = twitch.Services();
        await sp.GetRequiredService<HelixClient>().GetGameByNameAsync("A", CancellationToken.None);
        Assert.True(DateTimeOffset.UtcNow >= DateTimeOffset.FromUnixTimeSeconds(reset.ToUnixTimeSeconds()));
        Assert.Equal(2, twitch.HelixCalls);
        Assert.Equal(1, sp.GetRequiredService<HelixRateLimiter>().Snapshot().Throttled);
    }

    [Fact]
    public async Task Pacing_ManyParallelCalls_NeverTrip429AndUseTheWholeBudget()
    {
        await using var twitch = await ScriptedTwitch.StartAsync();
        twitch.BucketPoints = 25;
        twitch.Helix = (_, _) => Task.FromResult(ScriptedTwitch.Games("A"));
        await using var sp = twitch.Services();
        var helix = sp.GetRequiredService<HelixClient>();
        var clock = Stopwatch.StartNew();
        await Parallel.ForEachAsync(Enumerable.Range(0, 100), new ParallelOptions { MaxDegreeOfParallelism = 8 },
            async (_, ct) => await helix.GetGameByNameAsync("A", ct));
        clock.Stop();
        Assert.Equal(0, twitch.Throttled);
        Assert.Equal(100, twitch.HelixCalls);
        // 100 calls at 25 per second need at least 3 window turns (the upper bound only guards against a stall).
        Assert.InRange(clock.Elapsed.TotalSeconds, 2.5, 30);
    }

    [Fact]
    public async Task Cancellation_WhileWaitingForBudget_Stops()
    {
        await using var twitch = await ScriptedTwitch.StartAsync();
        twitch.Helix = (ctx, _) =>
        {
            ctx.Response.Headers["Ratelimit-Limit"] = "800";
            ctx.Response.Headers["Ratelimit-Remaining"] = "0";
            ctx.Response.Headers["Ratelimit-Reset"] = DateTimeOffset.UtcNow.AddSeconds(60).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
            return Task.FromResult(ScriptedTwitch.Games("A"));
        };
        await using var sp = twitch.Services();
        var helix = sp.GetRequiredService<HelixClient>();
        await helix.GetGameByNameAsync("A", CancellationToken.None);
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        var clock = Stopwatch.StartNew();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => helix.GetGameByNameAsync("A", cts.Token));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5));
        Assert.Equal(1, twitch.HelixCalls);
    }
}
