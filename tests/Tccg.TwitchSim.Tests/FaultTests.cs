using System.Diagnostics;
using System.Net;
using System.Text.Json;

namespace Tccg.TwitchSim.Tests;

public class FaultTests
{
    [Fact]
    public async Task ServerErrorRate_Answers500WithTwitchShape()
    {
        await using var sim = await TestSim.StartAsync(o => o.HelixFaults.ServerErrorRate = 1);
        using var response = await sim.HelixAsync("/clips?game_id=509658");
        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("Internal Server Error", json.GetProperty("error").GetString());
        Assert.Equal(500, json.GetProperty("status").GetInt32());
        Assert.Equal(1, sim.Host.Counters.ServerErrors);
    }

    [Fact]
    public async Task ServerErrors_AreDeterministicBySeed_AndCanBeSwitchedOffAtRunTime()
    {
        async Task<string> PatternAsync()
        {
            await using var sim = await TestSim.StartAsync(o => o.HelixFaults.ServerErrorRate = 0.3);
            var token = await sim.TokenAsync();
            var codes = new List<int>();
            for (var i = 0; i < 40; i++)
            {
                using var response = await sim.HelixAsync("/games?id=21779", token);
                codes.Add((int)response.StatusCode);
            }

            sim.Host.HelixFaults.ServerErrorRate = 0;
            for (var i = 0; i < 10; i++)
            {
                using var response = await sim.HelixAsync("/games?id=21779", token);
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            }

            return string.Join(',', codes);
        }

        var first = await PatternAsync();
        Assert.Equal(first, await PatternAsync());
        var errors = first.Split(',').Count(c => c == "500");
        Assert.InRange(errors, 4, 24);
    }

    [Fact]
    public async Task TruncateRate_SendsContentLengthThenDropsTheConnection()
    {
        await using var sim = await TestSim.StartAsync(o => o.HelixFaults.TruncateRate = 1);
        var token = await sim.TokenAsync();
        var error = await Record.ExceptionAsync(async () =>
        {
            using var response = await sim.HelixAsync("/clips?game_id=509658&first=100", token);
            await response.Content.ReadAsStringAsync();
        });
        Assert.True(error is HttpRequestException or IOException, error?.ToString() ?? "no exception");
        Assert.Equal(1, sim.Host.Counters.TruncatedResponses);
    }

    [Fact]
    public async Task SlowRate_DelaysTheAnswer()
    {
        await using var sim = await TestSim.StartAsync(o =>
        {
            o.HelixFaults.SlowRate = 1;
            o.HelixFaults.Delay = TimeSpan.FromMilliseconds(400);
        });
        var token = await sim.TokenAsync();
        var watch = Stopwatch.StartNew();
        using var response = await sim.HelixAsync("/games?id=21779", token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(watch.Elapsed >= TimeSpan.FromMilliseconds(380), watch.Elapsed.ToString());
    }
}
