using System.Diagnostics;
using Tccg.TwitchSim.World;

namespace Tccg.TwitchSim.Tests;

public class CdnBandwidthTests
{
    private const long Rate = 300_000;

    /// <summary>Fetches the clips' media at once; returns the total bytes and the wall time.</summary>
    private static async Task<(long Bytes, TimeSpan Elapsed)> FetchAllAsync(TestSim sim, IEnumerable<SimClip> clips)
    {
        var clock = Stopwatch.StartNew();
        var sizes = await Task.WhenAll(clips.Select(async c =>
        {
            var body = await sim.Http.GetByteArrayAsync(sim.Host.SignedMediaUrl(c.Id));
            return (long)body.Length;
        }));
        return (sizes.Sum(), clock.Elapsed);
    }

    private static SimClip[] Modern(TestSim sim, int count) => sim.Host.World.Clips.Where(c => !c.IsLegacy).Take(count).ToArray();

    [Fact]
    public async Task LimitedCdn_ParallelTransfers_ShareOneBudget()
    {
        await using var sim = await TestSim.StartAsync(o => o.CdnBytesPerSecond = Rate);
        var clips = Modern(sim, 3);
        await sim.Host.PrepareMediaAsync();

        var (bytes, elapsed) = await FetchAllAsync(sim, clips);

        // Three connections together get the line's rate, not three times it (less the 50 ms burst).
        var floor = TimeSpan.FromSeconds((bytes - Rate / 20.0) / Rate);
        Assert.True(elapsed >= floor * 0.95, $"{bytes} bytes in {elapsed.TotalSeconds:0.00} s beat the {Rate} B/s line (floor {floor.TotalSeconds:0.00} s)");
        Assert.True(elapsed <= floor * 3 + TimeSpan.FromSeconds(3), $"{bytes} bytes took {elapsed.TotalSeconds:0.00} s, far below the {Rate} B/s line");
    }

    [Fact]
    public async Task UnlimitedCdn_SameFiles_ArriveMuchFaster()
    {
        await using var sim = await TestSim.StartAsync();
        var clips = Modern(sim, 3);
        await sim.Host.PrepareMediaAsync();

        var (bytes, elapsed) = await FetchAllAsync(sim, clips);

        Assert.True(elapsed < TimeSpan.FromSeconds(bytes / (double)Rate) / 3, $"{bytes} bytes took {elapsed.TotalSeconds:0.00} s on an unlimited CDN");
    }
}

public class CdnBrokenMediaTests
{
    [Fact]
    public async Task BrokenClipMedia_IsA200HtmlPage_UntilRepaired()
    {
        await using var sim = await TestSim.StartAsync();
        var clip = sim.Host.World.Clips.First(c => !c.IsLegacy);
        sim.Host.SetClipMediaBroken(clip.Id);

        using (var broken = await sim.Http.GetAsync(sim.Host.SignedMediaUrl(clip.Id)))
        {
            Assert.Equal(System.Net.HttpStatusCode.OK, broken.StatusCode);
            Assert.Equal("text/html", broken.Content.Headers.ContentType?.MediaType);
        }

        sim.Host.SetClipMediaBroken(clip.Id, broken: false);
        using var repaired = await sim.Http.GetAsync(sim.Host.SignedMediaUrl(clip.Id));
        Assert.Equal("video/mp4", repaired.Content.Headers.ContentType?.MediaType);
    }
}
