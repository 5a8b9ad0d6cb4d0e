using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Configuration;
using Tccg.Core.Configuration;

namespace Tccg.TwitchSim.Tests;

public class HostTests
{
    [Fact]
    public async Task TccgConfiguration_BindsToTwitchOptions_PointingAtTheSimulator()
    {
        await using var sim = await TestSim.StartAsync();
        var options = new ConfigurationBuilder()
            .AddInMemoryCollection(sim.Host.TccgConfiguration.Select(p => KeyValuePair.Create(p.Key, (string?)p.Value)))
            .Build()
            .GetSection(TwitchOptions.Section)
            .Get<TwitchOptions>()!;
        Assert.Equal(sim.Host.ClientId, options.ClientId);
        Assert.Equal(sim.Host.ClientSecret, options.ClientSecret);
        Assert.Equal(sim.Host.HelixBaseUrl, options.HelixBaseUrl);
        Assert.Equal(sim.Host.GqlUrl, options.GqlUrl);
        Assert.StartsWith("http://127.0.0.1:", options.AuthBaseUrl, StringComparison.Ordinal);
        Assert.Equal(TwitchOptions.DefaultClipAccessHash, options.ClipAccessHash);
        Assert.Equal(TwitchOptions.DefaultGqlClientId, options.GqlClientId);
    }

    [Fact]
    public async Task FixedPort_IsUsed_AndUnknownPathsAre404Json()
    {
        int port;
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            port = ((IPEndPoint)probe.LocalEndpoint).Port;
        }

        await using var sim = await TestSim.StartAsync(o => o.Port = port);
        Assert.Equal($"http://127.0.0.1:{port}", sim.Host.BaseUrl);
        using var response = await sim.Http.GetAsync(sim.Host.BaseUrl + "/nothing-here");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("\"status\":404", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task DefaultAnchor_IsTheCurrentHour_SoRecentWindowsHaveClips()
    {
        await using var sim = await TestSim.StartAsync(o => o.Anchor = null);
        var now = DateTimeOffset.UtcNow;
        Assert.InRange(sim.Host.World.Anchor, now.AddHours(-1), now);
        Assert.Contains(sim.Host.World.Clips, c => c.CreatedAt > now.AddDays(-1));
        Assert.All(sim.Host.World.Clips, c => Assert.True(c.CreatedAt < now));
    }

    [Fact]
    public async Task PublicBaseUrl_PrefixesEveryHandedOutUrl()
    {
        await using var sim = await TestSim.StartAsync(o => o.PublicBaseUrl = "http://127.0.0.1:9/twitch/");
        Assert.Equal("http://127.0.0.1:9/twitch", sim.Host.BaseUrl);
        Assert.Equal("http://127.0.0.1:9/twitch/helix", sim.Host.HelixBaseUrl);
        Assert.StartsWith("http://127.0.0.1:", sim.Host.BoundUrl, StringComparison.Ordinal);
        Assert.NotEqual(sim.Host.BaseUrl, sim.Host.BoundUrl);
        Assert.StartsWith("http://127.0.0.1:9/twitch/cdn/", sim.Host.SignedMediaUrl(sim.Host.World.Clips[0].Id), StringComparison.Ordinal);
    }
}
