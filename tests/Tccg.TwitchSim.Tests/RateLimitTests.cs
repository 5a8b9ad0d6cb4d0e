using System.Globalization;
using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;

namespace Tccg.TwitchSim.Tests;

public class RateLimitTests
{
    [Fact]
    public async Task EveryHelixResponse_CarriesRateLimitHeaders()
    {
        await using var sim = await TestSim.StartAsync();
        var token = await sim.TokenAsync();
        using var first = await sim.HelixAsync("/games?name=Just%20Chatting", token);
        using var second = await sim.HelixAsync("/clips?game_id=1", token);
        Assert.Equal("800", Header(first, "Ratelimit-Limit"));
        Assert.Equal("799", Header(first, "Ratelimit-Remaining"));
        Assert.Equal("798", Header(second, "Ratelimit-Remaining"));
        var reset = long.Parse(Header(first, "Ratelimit-Reset"), CultureInfo.InvariantCulture);
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        Assert.InRange(reset, now + 50, now + 61);
    }

    [Fact]
    public async Task Unauthorized_StillCarriesRateLimitHeaders_WithoutTakingAPoint()
    {
        await using var sim = await TestSim.StartAsync();
        var token = await sim.TokenAsync();
        using (var ok = await sim.HelixAsync("/games?id=21779", token))
            Assert.Equal("799", Header(ok, "Ratelimit-Remaining"));
        using var denied = await sim.HelixAsync("/games?id=21779", "abcdefghijklmnopqrstuvwxyz0123");
        Assert.Equal(HttpStatusCode.Unauthorized, denied.StatusCode);
        Assert.Equal("799", Header(denied, "Ratelimit-Remaining"));
    }

    [Fact]
    public async Task EmptyBucket_Is429WithTwitchShape_UntilTheWindowResets()
    {
        var clock = new FakeTimeProvider(TestSim.Anchor);
        await using var sim = await TestSim.StartAsync(o =>
        {
            o.TimeProvider = clock;
            o.RateLimitPoints = 5;
            o.RateLimitWindow = TimeSpan.FromSeconds(10);
        });
        var token = await sim.TokenAsync();
        for (var i = 4; i >= 0; i--)
        {
            using var ok = await sim.HelixAsync("/games?id=21779", token);
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
            Assert.Equal(i.ToString(CultureInfo.InvariantCulture), Header(ok, "Ratelimit-Remaining"));
        }

        using (var limited = await sim.HelixAsync("/games?id=21779", token))
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
            Assert.Equal("0", Header(limited, "Ratelimit-Remaining"));
            Assert.Equal(TestSim.Anchor.AddSeconds(10).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture), Header(limited, "Ratelimit-Reset"));
            var json = JsonDocument.Parse(await limited.Content.ReadAsStringAsync()).RootElement;
            Assert.Equal("Too Many Requests", json.GetProperty("error").GetString());
            Assert.Equal(429, json.GetProperty("status").GetInt32());
        }

        Assert.Equal(1, sim.Host.Counters.RateLimited);
        clock.Advance(TimeSpan.FromSeconds(10));
        using var again = await sim.HelixAsync("/games?id=21779", token);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal("4", Header(again, "Ratelimit-Remaining"));
    }

    private static string Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.Single() : throw new Xunit.Sdk.XunitException($"No {name} header");
}
