using Microsoft.Extensions.DependencyInjection;
using Tccg.Core.Clips;
using Tccg.Core.Twitch;
using Tccg.Media.Probing;
using Tccg.Storage.Clips;
using Tccg.Twitch.Downloads;

namespace Tccg.Twitch.Tests;

public sealed class DownloaderIntegrationTests
{
    private static async Task<TwitchWorld> FoundAsync(int clips = 8, Action<Tccg.TwitchSim.TwitchSimOptions>? sim = null,
        Dictionary<string, string?>? settings = null)
    {
        var world = await TwitchWorld.StartAsync(clips: clips, sim: o => { o.DuplicateRate = 0; sim?.Invoke(o); }, settings: settings);
        var game = await world.AddGameAsync();
        await world.Finder.FindAsync(game, ClipPeriod.Week, null, CancellationToken.None);
        return world;
    }

    [Fact]
    public async Task Download_FoundClips_AreWholeProbedMeasuredAndInPlace()
    {
        await using var world = await FoundAsync();
        var result = await world.Downloader.DownloadAsync(new DownloadRequest(TwitchWorld.GameId, 100), null, CancellationToken.None);

        var clips = await world.AllClipsAsync();
        Assert.Equal(clips.Count, result.Downloaded);
        Assert.All(clips, c =>
        {
            Assert.Equal(ClipStatus.Downloaded, c.Status);
            Assert.Equal($"clips/{TwitchWorld.GameId}/{c.TwitchClipId}.mp4", c.FilePath);
            var file = new FileInfo(Path.Combine(world.Root, c.FilePath!));
            Assert.True(file.Exists);
            Assert.Equal(file.Length, c.FileSize);
            Assert.Equal(320, c.Width);
            Assert.Equal(180, c.Height);
            Assert.Equal("h264", c.VideoCodec);
            Assert.NotNull(c.LoudnessLufs);
            Assert.InRange(c.MediaDuration!.Value, 1.5, 5);
        });
        Assert.Empty(world.TempFiles());
        Assert.True(result.Bytes > 0);
    }

    [Fact]
    public async Task Download_IntermittentGqlAndCdnErrors_AreRetriedWithinTheRun()
    {
        await using var world = await FoundAsync(clips: 10);
        world.Sim.GqlFaults.ServerErrorRate = 0.2;
        world.Sim.CdnFaults.ServerErrorRate = 0.2;
        var result = await world.Downloader.DownloadAsync(new DownloadRequest(null, 100), null, CancellationToken.None);
        Assert.True(world.Sim.Counters.ServerErrors > 0);
        Assert.Equal(10, result.Downloaded);
    }

    [Fact]
    public async Task Download_DeletedClip_BecomesUnavailable()
    {
        await using var world = await FoundAsync();
        var victim = (await world.AllClipsAsync())[0];
        world.Sim.DeleteClip(victim.TwitchClipId);
        var result = await world.Downloader.DownloadAsync(new DownloadRequest(null, 100), null, CancellationToken.None);
        Assert.Equal(1, result.Unavailable);
        var after = await world.Clips.GetAsync(victim.Id, CancellationToken.None);
        Assert.Equal(ClipStatus.Unavailable, after!.Status);
        Assert.Null(after.FilePath);
    }

    [Fact]
    public async Task Download_ClipStillCreating_StaysFoundWithoutBurningAnAttempt()
    {
        await using var world = await FoundAsync();
        var waiting = (await world.AllClipsAsync())[0];
        world.Sim.SetClipCreating(waiting.TwitchClipId);
        var result = await world.Downloader.DownloadAsync(new DownloadRequest(null, 100), null, CancellationToken.None);
        Assert.Equal(1, result.NotReady);
        var after = await world.Clips.GetAsync(waiting.Id, CancellationToken.None);
        Assert.Equal(ClipStatus.Found, after!.Status);
        Assert.Equal(0, after.Attempts);

        world.Sim.SetClipCreating(waiting.TwitchClipId, creating: false);
        var again = await world.Downloader.DownloadAsync(new DownloadRequest(null, 100), null, CancellationToken.None);
        Assert.Equal(1, again.Downloaded);
    }

    [Fact]
    public async Task Download_RotatedHash_StopsTheRunWithOneErrorNamingTheKey()
    {
        await using var world = await FoundAsync();
        world.Sim.AcceptGql(); // every way stale: ShareClipRenderStatus and VideoAccessToken_Clip
        var e = await Assert.ThrowsAsync<ClipAccessHashRotatedException>(
            () => world.Downloader.DownloadAsync(new DownloadRequest(null, 100), null, CancellationToken.None));
        Assert.Contains("Tccg:Twitch:ClipAccessHash", e.Message, StringComparison.Ordinal);
        Assert.All(await world.AllClipsAsync(), c =>
        {
            Assert.Equal(ClipStatus.Found, c.Status);
            Assert.Equal(0, c.Attempts);
        });
        Assert.Empty(world.TempFiles());
    }

    [Fact]
    public async Task Download_RejectedGqlClientId_StopsTheRunNamingThatKey()
    {
        await using var world = await FoundAsync(clips: 3, settings: new() { ["Tccg:Twitch:GqlClientId"] = "outdatedclientid" });
        var e = await Assert.ThrowsAsync<GqlClientIdRejectedException>(
            () => world.Downloader.DownloadAsync(new DownloadRequest(null, 100), null, CancellationToken.None));
        Assert.Equal("Tccg:Twitch:GqlClientId", e.ConfigKey);
        Assert.Contains("outdatedclientid", e.Message, StringComparison.Ordinal);
        Assert.All(await world.AllClipsAsync(), c => Assert.Equal(0, c.Attempts));
    }

    [Fact]
    public async Task Download_TruncatedTransfer_FailsWithBackoffAndLeavesNoFile()
    {
        await using var world = await FoundAsync(clips: 4);
        world.Sim.CdnFaults.TruncateRate = 1;
        var before = DateTimeOffset.UtcNow;
        var result = await world.Downloader.DownloadAsync(new DownloadRequest(null, 100), null, CancellationToken.None);
        Assert.Equal(4, result.Failed);
        Assert.All(await world.AllClipsAsync(), c =>
        {
            Assert.Equal(ClipStatus.Failed, c.Status);
            Assert.Equal(1, c.Attempts);
            Assert.NotNull(c.LastError);
            Assert.InRange(c.NextRetryAt!.Value, before + RetrySchedule.After(1) - TimeSpan.FromSeconds(5), before + RetrySchedule.After(1) + TimeSpan.FromMinutes(1));
        });
        Assert.Empty(world.TempFiles());
        var clipsDir = Path.Combine(world.Root, "clips");
        Assert.True(!Directory.Exists(clipsDir) || Directory.GetFiles(clipsDir, "*", SearchOption.AllDirectories).Length == 0);
    }

    [Fact]
    public async Task Download_LastAttemptFailing_IsNeverRetriedAgain()
    {
        await using var world = await FoundAsync(clips: 2, settings: new() { ["Tccg:Downloader:MaxAttempts"] = "1" });
        world.Sim.CdnFaults.TruncateRate = 1;
        await world.Downloader.DownloadAsync(new DownloadRequest(null, 100), null, CancellationToken.None);
        Assert.All(await world.AllClipsAsync(), c =>
        {
            Assert.Equal(ClipStatus.Failed, c.Status);
            Assert.Null(c.NextRetryAt);
        });
        world.Sim.CdnFaults.TruncateRate = 0;
        var again = await world.Downloader.DownloadAsync(new DownloadRequest(null, 100), null, CancellationToken.None);
        Assert.Equal(0, again.Total);
    }

    [Fact]
    public async Task Download_KilledMidRun_LeavesNoPartialDownloadedAndResumes()
    {
        await using var world = await FoundAsync(clips: 10);
        // A partial file from a process that died (pid that cannot exist).
        Directory.CreateDirectory(world.Storage.TempDir);
        var stale = Path.Combine(world.Storage.TempDir, $"{ClipDownloader.TempPrefix}{int.MaxValue}-old-0.part");
        await File.WriteAllBytesAsync(stale, new byte[1000]);

        world.Sim.CdnFaults.SlowRate = 0.5;
        world.Sim.CdnFaults.Delay = TimeSpan.FromSeconds(3);
        using (var kill = new CancellationTokenSource(TimeSpan.FromMilliseconds(1500)))
        {
            await Assert.ThrowsAnyAsync<OperationCanceledException>(
                () => world.Downloader.DownloadAsync(new DownloadRequest(null, 100), null, kill.Token));
        }
        Assert.False(File.Exists(stale));
        await AssertEveryDownloadedClipIsWholeAsync(world);
        var midway = await world.AllClipsAsync();
        Assert.Contains(midway, c => c.Status == ClipStatus.Found);

        world.Sim.CdnFaults.SlowRate = 0;
        var resumed = await world.Downloader.DownloadAsync(new DownloadRequest(null, 100), null, CancellationToken.None);
        Assert.All(await world.AllClipsAsync(), c => Assert.Equal(ClipStatus.Downloaded, c.Status));
        Assert.True(resumed.Downloaded > 0);
        await AssertEveryDownloadedClipIsWholeAsync(world);
        Assert.Empty(world.TempFiles());
    }

    [Fact]
    public async Task Download_LegacyClip_UsesTheThumbnailMapping()
    {
        await using var world = await TwitchWorld.StartAsync(clips: 2, sim: o => o.LegacyClipsPerGame = 2);
        var game = await world.AddGameAsync();
        await world.Finder.FindAsync(game, ClipPeriod.All, null, CancellationToken.None);
        var legacy = (await world.AllClipsAsync()).Where(c => c.ThumbnailUrl.Contains("clips-media-assets2", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, legacy.Count);
        await world.Downloader.DownloadAsync(new DownloadRequest(null, 100), null, CancellationToken.None);
        foreach (var clip in legacy)
            Assert.Equal(ClipStatus.Downloaded, (await world.Clips.GetAsync(clip.Id, CancellationToken.None))!.Status);
    }

    [Fact]
    public async Task CheckMissing_VanishedFile_MarksTheClipMissing()
    {
        await using var world = await FoundAsync(clips: 3);
        await world.Downloader.DownloadAsync(new DownloadRequest(null, 100), null, CancellationToken.None);
        var gone = (await world.AllClipsAsync())[0];
        File.Delete(Path.Combine(world.Root, gone.FilePath!));
        var maintenance = world.Services.GetRequiredService<ClipBinMaintenance>();
        Assert.Equal(1, await maintenance.CheckMissingAsync(CancellationToken.None));
        Assert.Equal(ClipStatus.Missing, (await world.Clips.GetAsync(gone.Id, CancellationToken.None))!.Status);
        Assert.Equal(0, await maintenance.CheckMissingAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Retention_UsedClipsPastKeepDays_LoseTheirFileButStayUsed()
    {
        await using var world = await FoundAsync(clips: 2, settings: new() { ["Tccg:Downloader:KeepUsedDays"] = "0" });
        await world.Downloader.DownloadAsync(new DownloadRequest(null, 100), null, CancellationToken.None);
        var clips = await world.AllClipsAsync();
        await world.Clips.MoveAsync(clips[0].Id, ClipStatus.Used, CancellationToken.None);
        var maintenance = world.Services.GetRequiredService<ClipBinMaintenance>();
        Assert.Equal(1, await maintenance.ApplyRetentionAsync(CancellationToken.None));
        Assert.False(File.Exists(Path.Combine(world.Root, clips[0].FilePath!)));
        Assert.True(File.Exists(Path.Combine(world.Root, clips[1].FilePath!)));
        Assert.Equal(0, await maintenance.CheckMissingAsync(CancellationToken.None));
        Assert.Equal(ClipStatus.Used, (await world.Clips.GetAsync(clips[0].Id, CancellationToken.None))!.Status);
    }

    private static async Task AssertEveryDownloadedClipIsWholeAsync(TwitchWorld world)
    {
        var probe = world.Services.GetRequiredService<MediaProbe>();
        foreach (var clip in (await world.AllClipsAsync()).Where(c => c.Status == ClipStatus.Downloaded))
        {
            var facts = await probe.ProbeAsync(Path.Combine(world.Root, clip.FilePath!), CancellationToken.None);
            Assert.Equal(clip.FileSize, new FileInfo(Path.Combine(world.Root, clip.FilePath!)).Length);
            Assert.True(facts.Duration > 1);
        }
    }
}
