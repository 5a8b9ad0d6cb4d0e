using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Tccg.Core.Clips;
using Tccg.Core.Configuration;
using Tccg.Core.Twitch;
using Tccg.Storage.Clips;
using Tccg.Twitch.Downloads;

namespace Tccg.Twitch.Tests;

/// <summary>The transfer and analysis stages of <see cref="ClipDownloader"/> and what passes between them.</summary>
public sealed class DownloaderPipelineTests
{
    private static async Task<TwitchWorld> FoundAsync(int clips, Dictionary<string, string?>? settings = null)
    {
        var world = await TwitchWorld.StartAsync(clips: clips, sim: o => o.DuplicateRate = 0, settings: settings);
        var game = await world.AddGameAsync();
        await world.Finder.FindAsync(game, ClipPeriod.Week, null, CancellationToken.None);
        return world;
    }

    [Fact]
    public async Task Download_OneFileFailingAnalysis_IsFailedWhileTheOthersLand()
    {
        // One analyst behind four transfers: files queue up and share ffmpeg runs, the broken one among them.
        await using var world = await FoundAsync(8, new() { ["Tccg:Downloader:AnalysisParallelism"] = "1" });
        var broken = (await world.AllClipsAsync())[2];
        world.Sim.SetClipMediaBroken(broken.TwitchClipId);

        var result = await world.Downloader.DownloadAsync(new DownloadRequest(null, 100), null, CancellationToken.None);

        Assert.Equal((7, 1), (result.Downloaded, result.Failed));
        var after = await world.Clips.GetAsync(broken.Id, CancellationToken.None);
        Assert.Equal(ClipStatus.Failed, after!.Status);
        Assert.Equal(1, after.Attempts);
        Assert.StartsWith("not a valid video:", after.LastError, StringComparison.Ordinal);
        Assert.NotNull(after.NextRetryAt);
        Assert.Null(after.FilePath);
        Assert.All((await world.AllClipsAsync()).Where(c => c.Id != broken.Id), c => Assert.Equal(ClipStatus.Downloaded, c.Status));
        Assert.Empty(world.TempFiles());
    }

    [Fact]
    public async Task Download_CancelledWhileFilesWaitForAnalysis_LeavesNoTempFilesAndOnlyWholeDownloads()
    {
        // One analyst behind four transfers: the hand-off channel is full when the first clip lands.
        await using var world = await FoundAsync(16, new() { ["Tccg:Downloader:AnalysisParallelism"] = "1" });
        using var cancel = new CancellationTokenSource();
        var seen = new SynchronousProgress(p =>
        {
            if (p.Downloaded >= 1)
                cancel.Cancel();
        });

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => world.Downloader.DownloadAsync(new DownloadRequest(null, 100), seen, cancel.Token));

        Assert.Empty(world.TempFiles());
        var clips = await world.AllClipsAsync();
        Assert.Contains(clips, c => c.Status == ClipStatus.Found);
        Assert.All(clips, c => Assert.Equal(0, c.Attempts));
        var downloaded = clips.Where(c => c.Status == ClipStatus.Downloaded).ToList();
        Assert.NotEmpty(downloaded);
        foreach (var clip in downloaded)
            Assert.Equal(clip.FileSize, new FileInfo(Path.Combine(world.Root, clip.FilePath!)).Length);
        // Nothing else was renamed into place: the clips folder holds exactly the Downloaded files.
        var placed = Directory.GetFiles(Path.Combine(world.Root, "clips"), "*.mp4", SearchOption.AllDirectories);
        Assert.Equal(downloaded.Count, placed.Length);

        var resumed = await world.Downloader.DownloadAsync(new DownloadRequest(null, 100), null, CancellationToken.None);
        Assert.Equal(clips.Count - downloaded.Count, resumed.Downloaded);
        Assert.Empty(world.TempFiles());
    }

    [Fact]
    public async Task Download_HashRotatedWhileFilesWaitForAnalysis_StopsTransfersCleanlyAndLandsTheFetchedFiles()
    {
        // At most 12 of the 20 clips are fetched when the first lands (4 in a batch, 4 queued, 4 handing over),
        // so later resolves meet the rotated hash while files are still queued for analysis.
        await using var world = await FoundAsync(20, new() { ["Tccg:Downloader:AnalysisParallelism"] = "1" });
        var transfers = world.Services.GetRequiredService<IOptions<DownloaderOptions>>().Value.Parallelism;
        var waiting = -1;
        var seen = new SynchronousProgress(p =>
        {
            if (p.Downloaded != 1)
                return;
            // The one analyst is here, between landings: every temp file is the rest of its batch or queued for it
            // (whole, and theirs to land), or one of the transfers' (being written, or waiting to hand over).
            waiting = world.TempFiles().Length;
            world.Sim.AcceptGql(); // every way stale: ShareClipRenderStatus and VideoAccessToken_Clip
        });

        await Assert.ThrowsAsync<ClipAccessHashRotatedException>(
            () => world.Downloader.DownloadAsync(new DownloadRequest(null, 100), seen, CancellationToken.None));

        Assert.Empty(world.TempFiles());
        var clips = await world.AllClipsAsync();
        var downloaded = clips.Where(c => c.Status == ClipStatus.Downloaded).ToList();
        Assert.InRange(downloaded.Count, 1, 12);
        // The block stops the transfers only: the files already handed to the analyst landed instead of being thrown away.
        Assert.True(waiting >= 0);
        Assert.InRange(downloaded.Count, 1 + waiting - transfers, 12);
        Assert.All(downloaded, c => Assert.Equal(c.FileSize, new FileInfo(Path.Combine(world.Root, c.FilePath!)).Length));
        Assert.All(clips.Except(downloaded), c => Assert.Equal((ClipStatus.Found, 0), (c.Status, c.Attempts)));
        // Nothing else was renamed into place: the clips folder holds exactly the Downloaded files.
        var placed = Directory.GetFiles(Path.Combine(world.Root, "clips"), "*.mp4", SearchOption.AllDirectories);
        Assert.Equal(downloaded.Count, placed.Length);
    }

    private sealed class SynchronousProgress(Action<DownloadProgress> report) : IProgress<DownloadProgress>
    {
        public void Report(DownloadProgress value) => report(value);
    }
}
