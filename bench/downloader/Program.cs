// Downloader benchmark: 200 clips from the simulator's CDN on loopback (real-size MP4s, 10 s each).
// Baseline: curl fetching the same signed URLs with the same parallelism, measured in the same run.
// Reported: transfer MB/s (tccg's streaming fetcher vs curl), the full downloader (resolve + stream + ffprobe +
// loudness + rename + database) in MB/s and clips/s, and the process's peak memory.
using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Tccg.Core.Configuration;
using Tccg.Core.Twitch;
using Tccg.Media;
using Tccg.Storage;
using Tccg.Storage.Database;
using Tccg.Storage.Games;
using Tccg.Twitch;
using Tccg.Twitch.Downloads;
using Tccg.Twitch.Finder;
using Tccg.Twitch.Gql;
using Tccg.TwitchSim;

const int Clips = 200;
const int Parallelism = 4;
var simOptions = new TwitchSimOptions
{
    Seed = 5,
    Games = [new SimGameSpec("33214", "Fortnite", Clips, TimeSpan.FromDays(6))],
    LegacyClipsPerGame = 0,
    DuplicateRate = 0,
    MediaSize = MediaSize.Full,
    FullSizeMaxSeconds = 10,
    Anchor = DateTimeOffset.UtcNow.AddMinutes(-1),
};
if (args is ["--serve-sim"])
{
    // Child mode: the simulator in its own process, so the parent's memory figures are the downloader's alone.
    await using var served = await TwitchSimHost.StartAsync(simOptions);
    Console.WriteLine(served.BaseUrl);
    await Console.In.ReadToEndAsync();
    return;
}

var childStart = new ProcessStartInfo(Environment.ProcessPath!) { RedirectStandardInput = true, RedirectStandardOutput = true };
if (Path.GetFileNameWithoutExtension(Environment.ProcessPath!) == "dotnet")
    childStart.ArgumentList.Add(System.Reflection.Assembly.GetEntryAssembly()!.Location);
childStart.ArgumentList.Add("--serve-sim");
using var simProcess = Process.Start(childStart)!;
var simUrl = (await simProcess.StandardOutput.ReadLineAsync())!.Trim();
var sim = new
{
    TccgConfiguration = new Dictionary<string, string>
    {
        ["Tccg:Twitch:ClientId"] = simOptions.ClientId,
        ["Tccg:Twitch:ClientSecret"] = simOptions.ClientSecret,
        ["Tccg:Twitch:AuthBaseUrl"] = simUrl,
        ["Tccg:Twitch:HelixBaseUrl"] = simUrl + "/helix",
        ["Tccg:Twitch:GqlUrl"] = simUrl + "/gql",
    },
};
var root = Path.Combine(Path.GetTempPath(), "tccg-bench-downloader-" + Guid.NewGuid().ToString("N"));
Directory.CreateDirectory(root);
try
{
    var config = new ConfigurationBuilder().AddInMemoryCollection(sim.TccgConfiguration.ToDictionary(kv => kv.Key, kv => (string?)kv.Value)
        .Append(new("Tccg:Storage:Root", root))
        .Append(new("Tccg:Downloader:Parallelism", Parallelism.ToString(CultureInfo.InvariantCulture)))).Build();
    var services = new ServiceCollection();
    services.AddSingleton<IConfiguration>(config);
    services.AddLogging(l => l.SetMinimumLevel(LogLevel.Warning).AddSimpleConsole());
    services.AddTccgOptions();
    services.AddTccgStorage();
    services.AddTccgMedia();
    services.AddTccgTwitch();
    await using var sp = services.BuildServiceProvider();
    await sp.GetRequiredService<MigrationRunner>().MigrateAsync(CancellationToken.None);
    var game = await sp.GetRequiredService<IGameStore>().AddAsync(new Game { TwitchGameId = "33214", Name = "Fortnite" }, CancellationToken.None);
    var found = await sp.GetRequiredService<ClipFinder>().FindAsync(game, ClipPeriod.Week, null, CancellationToken.None);
    Console.WriteLine($"Clip bin: {found.Accepted} clips found.");

    // The same signed URLs for both transfer runs (fetched once; never stored beyond this run).
    var resolver = sp.GetRequiredService<ClipUrlResolver>();
    var clips = (await sp.GetRequiredService<Tccg.Storage.Clips.IClipStore>().QueryAsync(
        new Tccg.Storage.Clips.ClipQuery { Limit = Clips }, CancellationToken.None)).Items;
    var urls = new List<Uri>();
    foreach (var clip in clips)
        if (await resolver.ResolveAsync(clip.TwitchClipId, clip.ThumbnailUrl, CancellationToken.None) is ClipUrlResult.Ready ready)
            urls.Add(ready.Url);
    Console.WriteLine($"Resolved {urls.Count} signed URLs; warming the simulator's media cache (ffmpeg makes each distinct file once)...");
    var fetcher = sp.GetRequiredService<ClipFileFetcher>();
    var scratch = Path.Combine(root, "scratch");
    Directory.CreateDirectory(scratch);
    await Parallel.ForEachAsync(urls.Select((u, i) => (u, i)), new ParallelOptions { MaxDegreeOfParallelism = 2 },
        async (x, ct) => await fetcher.FetchAsync(x.u, Path.Combine(scratch, $"warm-{x.i}.mp4"), ct));
    var totalBytes = Directory.GetFiles(scratch).Sum(f => new FileInfo(f).Length);
    Console.WriteLine($"{urls.Count} files, {totalBytes / 1e6:0.0} MB in total.");

    // Baseline: curl, same files, same parallelism.
    var curlDir = Path.Combine(root, "curl");
    Directory.CreateDirectory(curlDir);
    var curlArgs = new List<string> { "-s", "-f", "--parallel", "--parallel-max", Parallelism.ToString(CultureInfo.InvariantCulture) };
    for (var i = 0; i < urls.Count; i++)
        curlArgs.AddRange(["-o", Path.Combine(curlDir, $"{i}.mp4"), urls[i].AbsoluteUri]);
    var curlTime = await TimeAsync(async () =>
    {
        var start = new ProcessStartInfo("curl") { RedirectStandardError = true };
        foreach (var a in curlArgs)
            start.ArgumentList.Add(a);
        using var curl = Process.Start(start)!;
        await curl.WaitForExitAsync();
        if (curl.ExitCode != 0)
            throw new InvalidOperationException("curl failed: " + await curl.StandardError.ReadToEndAsync());
    });
    var curlBytes = Directory.GetFiles(curlDir).Sum(f => new FileInfo(f).Length);

    // tccg's streaming fetcher alone (the transfer part of a download).
    var oursDir = Path.Combine(root, "ours");
    Directory.CreateDirectory(oursDir);
    var oursTime = await TimeAsync(() => Parallel.ForEachAsync(urls.Select((u, i) => (u, i)),
        new ParallelOptions { MaxDegreeOfParallelism = Parallelism },
        async (x, ct) => await fetcher.FetchAsync(x.u, Path.Combine(oursDir, $"{x.i}.mp4"), ct)));
    var oursBytes = Directory.GetFiles(oursDir).Sum(f => new FileInfo(f).Length);
    Directory.Delete(scratch, true);
    Directory.Delete(curlDir, true);
    Directory.Delete(oursDir, true);

    // The whole downloader: resolve, stream, ffprobe, loudness, rename, database.
    GC.Collect();
    var heapBefore = GC.GetTotalMemory(forceFullCollection: true);
    long peakManaged = 0;
    using var sampling = new CancellationTokenSource();
    var sampler = Task.Run(async () =>
    {
        while (!sampling.IsCancellationRequested)
        {
            peakManaged = Math.Max(peakManaged, GC.GetTotalMemory(false));
            await Task.Delay(10);
        }
    });
    DownloadResult? result = null;
    var fullTime = await TimeAsync(async () =>
        result = await sp.GetRequiredService<ClipDownloader>().DownloadAsync(new DownloadRequest(null, Clips), null, CancellationToken.None));
    await sampling.CancelAsync();
    await sampler;
    using var self = Process.GetCurrentProcess();
    self.Refresh();

    double MBps(long bytes, TimeSpan t) => bytes / 1e6 / t.TotalSeconds;
    var curlRate = MBps(curlBytes, curlTime);
    var oursRate = MBps(oursBytes, oursTime);
    var fullRate = MBps(result!.Bytes, fullTime);
    Console.WriteLine($"curl (baseline), {Parallelism} parallel:   {curlRate,8:0.0} MB/s ({curlTime.TotalSeconds:0.00} s)");
    Console.WriteLine($"tccg fetcher, {Parallelism} parallel:      {oursRate,8:0.0} MB/s ({oursTime.TotalSeconds:0.00} s)  ratio to curl {oursRate / curlRate:0.00}");
    Console.WriteLine($"tccg downloader (with ffprobe + loudness + db): {fullRate,8:0.0} MB/s, {result.Downloaded / fullTime.TotalSeconds:0.0} clips/s "
        + $"({result.Downloaded} downloaded, {result.Failed} failed, {fullTime.TotalSeconds:0.00} s)  ratio to curl {fullRate / curlRate:0.00}");
    Console.WriteLine($"Peak memory: working set {self.PeakWorkingSet64 / 1e6:0} MB for the whole process (the simulator runs in a child process); "
        + $"managed heap peak {peakManaged / 1e6:0} MB (before the run {heapBefore / 1e6:0} MB)");
    Console.WriteLine(oursRate / curlRate >= 0.8 && self.PeakWorkingSet64 <= 150_000_000
        ? "Targets met (transfer >= 0.8 x curl, peak <= 150 MB)."
        : "Targets NOT met (see figures).");
}
finally
{
    Directory.Delete(root, true);
    simProcess.StandardInput.Close();
    await simProcess.WaitForExitAsync();
}

static async Task<TimeSpan> TimeAsync(Func<Task> run)
{
    var clock = Stopwatch.StartNew();
    await run();
    return clock.Elapsed;
}
