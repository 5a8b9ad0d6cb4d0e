using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using Tccg.TwitchSim.World;

namespace Tccg.TwitchSim.Tests;

public class CdnTests
{
    /// <summary>What a client does: GQL, the best landscape quality, sourceURL + sig + urlencoded token.</summary>
    private static async Task<string> DownloadUrlAsync(TestSim sim, string slug, bool portrait = false)
    {
        var json = await sim.GqlAsync(TestSim.GqlBody(slug, sim.Host.ClipAccessHash));
        var clip = json.GetProperty("data").GetProperty("clip");
        var token = clip.GetProperty("playbackAccessToken");
        var asset = clip.GetProperty("assets").EnumerateArray().First(a => portrait ? a.GetProperty("aspectRatio").GetDouble() < 1 : a.GetProperty("aspectRatio").GetDouble() > 1);
        var source = asset.GetProperty("videoQualities")[0].GetProperty("sourceURL").GetString();
        return $"{source}?sig={token.GetProperty("signature").GetString()}&token={Uri.EscapeDataString(token.GetProperty("value").GetString()!)}";
    }

    private static async Task<string> DownloadAsync(TestSim sim, string url)
    {
        using var response = await sim.Http.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("video/mp4", response.Content.Headers.ContentType?.MediaType);
        var file = Path.Combine(Path.GetTempPath(), $"tccg-sim-test-{Guid.NewGuid():N}.mp4");
        await File.WriteAllBytesAsync(file, await response.Content.ReadAsByteArrayAsync());
        return file;
    }

    [Theory]
    [InlineData(MediaProfile.Landscape1080p60, 320, 180, 60, 48000, 2)]
    [InlineData(MediaProfile.Landscape720p30, 320, 180, 30, 48000, 2)]
    [InlineData(MediaProfile.Mono44k720p30, 320, 180, 30, 44100, 1)]
    [InlineData(MediaProfile.NoAudio720p30, 320, 180, 30, null, null)]
    public async Task SignedUrl_ServesRealMp4_OfTheClipsFormat(MediaProfile profile, int width, int height, int fps, int? sampleRate, int? channels)
    {
        await using var sim = await TestSim.StartAsync(o => o.Games = [new SimGameSpec("509658", "Just Chatting", 200, TimeSpan.FromDays(7))]);
        var clip = sim.Host.World.Clips.First(c => c.Profile == profile && !c.IsLegacy);
        var file = await DownloadAsync(sim, await DownloadUrlAsync(sim, clip.Id));
        try
        {
            var probe = await ProbeResult.RunAsync(file);
            Assert.Equal((width, height, (double)fps), (probe.Width, probe.Height, probe.Fps));
            Assert.Equal((sampleRate, channels), (probe.SampleRate, probe.Channels));
            Assert.InRange(probe.Duration, 1.9, 4.2);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task PortraitAsset_ServesVerticalMedia()
    {
        await using var sim = await TestSim.StartAsync(o => o.PortraitRate = 0.5);
        var clip = sim.Host.World.Clips.First(c => c.HasPortrait);
        var file = await DownloadAsync(sim, await DownloadUrlAsync(sim, clip.Id, portrait: true));
        try
        {
            var probe = await ProbeResult.RunAsync(file);
            Assert.Equal((180, 320), (probe.Width, probe.Height));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task FullSize_ServesTheRealResolution()
    {
        await using var sim = await TestSim.StartAsync(o =>
        {
            o.MediaSize = MediaSize.Full;
            o.FullSizeMaxSeconds = 1;
        });
        var clip = sim.Host.World.Clips.First(c => c.Profile == MediaProfile.Landscape720p30 && !c.IsLegacy);
        var file = await DownloadAsync(sim, await DownloadUrlAsync(sim, clip.Id));
        try
        {
            var probe = await ProbeResult.RunAsync(file);
            Assert.Equal((1280, 720, 30.0), (probe.Width, probe.Height, probe.Fps));
            Assert.InRange(probe.Duration, 0.9, 1.2);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task FullSize_ShorterClips_AreCutFromOneEncode_AtTheirOwnLength()
    {
        await using var sim = await TestSim.StartAsync(o =>
        {
            o.MediaSize = MediaSize.Full;
            o.FullSizeMaxSeconds = 8;
        });
        var clip = sim.Host.World.Clips.First(c => c.Profile != MediaProfile.Landscape1080p60 && !c.IsLegacy && c.Duration < 8 && c.Duration % 1 != 0);
        var seconds = clip.Duration;
        var file = await DownloadAsync(sim, await DownloadUrlAsync(sim, clip.Id));
        try
        {
            var probe = await ProbeResult.RunAsync(file);
            Assert.Equal((1280, 720), (probe.Width, probe.Height));
            Assert.InRange(probe.Duration, seconds - 0.1, seconds + 0.1);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task PrepareMedia_MakesEveryFileAhead_SoDownloadsEncodeNothing()
    {
        await using var sim = await TestSim.StartAsync(o => o.PortraitRate = 0.3);
        var files = await sim.Host.PrepareMediaAsync();
        Assert.InRange(files, 5, 15);   // 4 landscape formats + portrait, in 2–4 s lengths
        var made = sim.Host.Counters.MediaFilesGenerated;
        foreach (var clip in sim.Host.World.Clips.Where(c => !c.IsLegacy).Take(20))
        {
            using var response = await sim.Http.GetAsync(sim.Host.SignedMediaUrl(clip.Id));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        Assert.Equal(made, sim.Host.Counters.MediaFilesGenerated);
    }

    [Fact]
    public async Task UnsignedOrTamperedUrls_Are403()
    {
        await using var sim = await TestSim.StartAsync();
        var clip = sim.Host.World.Clips.First(c => !c.IsLegacy);
        var url = await DownloadUrlAsync(sim, clip.Id);
        var bare = url[..url.IndexOf('?', StringComparison.Ordinal)];
        using (var unsigned = await sim.Http.GetAsync(bare))
            Assert.Equal(HttpStatusCode.Forbidden, unsigned.StatusCode);
        using (var tampered = await sim.Http.GetAsync(url.Replace("sig=", "sig=0", StringComparison.Ordinal)))
            Assert.Equal(HttpStatusCode.Forbidden, tampered.StatusCode);

        // Another clip's valid token does not open this clip's file.
        var other = sim.Host.World.Clips.First(c => !c.IsLegacy && c.Id != clip.Id);
        var otherUrl = await DownloadUrlAsync(sim, other.Id);
        using (var wrongClip = await sim.Http.GetAsync(bare + otherUrl[otherUrl.IndexOf('?', StringComparison.Ordinal)..]))
            Assert.Equal(HttpStatusCode.Forbidden, wrongClip.StatusCode);
        Assert.Equal(3, sim.Host.Counters.CdnForbidden);
    }

    [Fact]
    public async Task ExpiredToken_Is403()
    {
        var clock = new FakeTimeProvider(TestSim.Anchor);
        await using var sim = await TestSim.StartAsync(o => o.TimeProvider = clock);
        var url = await DownloadUrlAsync(sim, sim.Host.World.Clips.First(c => !c.IsLegacy).Id);
        clock.Advance(TimeSpan.FromHours(1) + TimeSpan.FromSeconds(1));
        using var response = await sim.Http.GetAsync(url);
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task HeadRequest_GivesTheLengthWithoutABody()
    {
        await using var sim = await TestSim.StartAsync();
        var url = await DownloadUrlAsync(sim, sim.Host.World.Clips.First(c => !c.IsLegacy).Id);
        using var request = new HttpRequestMessage(HttpMethod.Head, url);
        using var response = await sim.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(response.Content.Headers.ContentLength > 1000);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task RangeRequest_Is206WithContentRange()
    {
        await using var sim = await TestSim.StartAsync();
        var url = await DownloadUrlAsync(sim, sim.Host.World.Clips.First(c => !c.IsLegacy).Id);
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Range = new RangeHeaderValue(100, 199);
        using var response = await sim.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.PartialContent, response.StatusCode);
        Assert.Equal(100, (await response.Content.ReadAsByteArrayAsync()).Length);
        var range = response.Content.Headers.ContentRange!;
        Assert.Equal((100L, 199L), (range.From!.Value, range.To!.Value));
        Assert.True(range.Length > 1000);
        Assert.Contains("bytes", response.Headers.AcceptRanges);
    }

    [Fact]
    public async Task LegacyThumbnailMapping_ServesTheMp4_ForBothLegacyNameForms()
    {
        await using var sim = await TestSim.StartAsync(o => o.LegacyClipsPerGame = 6);
        var legacy = sim.Host.World.Clips.Where(c => c.IsLegacy).ToList();
        var forms = legacy.GroupBy(c => c.LegacyMediaName!.StartsWith("AT-cm|", StringComparison.Ordinal)).Select(g => g.First()).ToList();
        Assert.Equal(2, forms.Count);
        foreach (var clip in forms)
        {
            var helix = await sim.HelixJsonAsync("/clips?id=" + clip.Id);
            var thumbnail = helix.GetProperty("data")[0].GetProperty("thumbnail_url").GetString()!;
            using (var jpeg = await sim.Http.GetAsync(thumbnail))
                Assert.Equal("image/jpeg", jpeg.Content.Headers.ContentType?.MediaType);
            var file = await DownloadAsync(sim, thumbnail.Replace("-preview-480x272.jpg", ".mp4", StringComparison.Ordinal));
            try
            {
                var probe = await ProbeResult.RunAsync(file);
                Assert.Equal((320, 180), (probe.Width, probe.Height));
            }
            finally
            {
                File.Delete(file);
            }
        }
    }

    [Fact]
    public async Task CdnFaults_StallMidBody_ThenFinish()
    {
        await using var sim = await TestSim.StartAsync(o => o.CdnFaults.Delay = TimeSpan.FromMilliseconds(1500));
        var url = await DownloadUrlAsync(sim, sim.Host.World.Clips.First(c => !c.IsLegacy).Id);
        using (var warm = await sim.Http.GetAsync(url))
            Assert.Equal(HttpStatusCode.OK, warm.StatusCode);     // the file exists now: headers come at once
        sim.Host.CdnFaults.StallRate = 1;
        var watch = System.Diagnostics.Stopwatch.StartNew();
        using var response = await sim.Http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead);
        var headersAfter = watch.Elapsed;
        var body = await response.Content.ReadAsByteArrayAsync();
        Assert.True(headersAfter < TimeSpan.FromMilliseconds(1200), headersAfter.ToString());
        Assert.True(watch.Elapsed >= TimeSpan.FromMilliseconds(1450), watch.Elapsed.ToString());
        Assert.Equal(response.Content.Headers.ContentLength, body.Length);
        Assert.Equal(1, sim.Host.Counters.StalledResponses);
    }

    [Fact]
    public async Task CdnFaults_TruncateTheDownload()
    {
        await using var sim = await TestSim.StartAsync(o => o.CdnFaults.TruncateRate = 1);
        var url = await DownloadUrlAsync(sim, sim.Host.World.Clips.First(c => !c.IsLegacy).Id);
        var error = await Record.ExceptionAsync(async () =>
        {
            using var response = await sim.Http.GetAsync(url);
            await response.Content.ReadAsByteArrayAsync();
        });
        Assert.True(error is HttpRequestException or IOException, error?.ToString() ?? "no exception");
    }

    [Fact]
    public async Task CdnFaults_ServerErrors()
    {
        await using var sim = await TestSim.StartAsync(o => o.CdnFaults.ServerErrorRate = 1);
        var url = await DownloadUrlAsync(sim, sim.Host.World.Clips.First(c => !c.IsLegacy).Id);
        using var response = await sim.Http.GetAsync(url);
        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        _ = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
    }
}
