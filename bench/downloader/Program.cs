// Downloader benchmark: 200 clips (real-size MP4s, 10 s each) from the simulator's CDN, curl as the baseline
// measured in the same run with the same parallelism and the same files.
// (a) loopback: curl vs tccg's streaming fetcher (neither forces files to disk) vs the whole downloader
//     (resolve + stream + one ffmpeg pass for validation, facts and loudness + fsync + rename + database),
//     and the analysis CPU-seconds per clip;
// (b) a limited link (the simulator's CDN capped at 50 MB/s shared, about a 400 Mbit/s VPS line): curl vs
//     the whole downloader;
// (c) the bench process's peak working set (the simulators run in child processes).
// Usage: dotnet run -c Release --project bench/downloader [link MB/s, default 50]
//        dotnet run -c Release --project bench/downloader fingerprint [cpu|quality|lookup] — the audio-fingerprint figures
//        dotnet run -c Release --project bench/downloader fingerprint-pipeline [ROUNDS] — CPU per clip of the whole pipeline, fingerprints off/on
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
const double Target = 0.8;
const long PeakTarget = 150_000_000;
var inv = CultureInfo.InvariantCulture;

if (args is ["fingerprint", .. var rest])
{
    // Audio-fingerprint duplicates: CPU added per clip, precision/recall on planted pairs, lookup time (FingerprintBench.cs).
    await FingerprintBench.RunAsync(rest);
    return;
}

if (args is ["fingerprint-pipeline", .. var rounds])
{
    // The whole download pipeline (resolve, transfer, fsync, the analysis ffmpeg pass, database, fingerprint lookup) over
    // the same 200 clips with Tccg:Downloader:Fingerprint off (the baseline) and on, interleaved; CPU per clip of the
    // downloader process and its ffmpeg children. Target: fingerprinting adds <= 15 %.
    var n = rounds is [var r] ? int.Parse(r, inv) : 5;
    var pipeRoot = Path.Combine(Path.GetTempPath(), "tccg-bench-pipeline-" + Guid.NewGuid().ToString("N"));
    var pipeSim = StartSim(0);
    try
    {
        var off = new List<double>();
        var on = new List<double>();
        var ffmpegOff = new List<double>();
        var ffmpegOn = new List<double>();
        // Round 0 warms up (the runtime compiles the downloader's code, the simulator its media and caches) and is not
        // counted: the first timed round would otherwise pay for it in whichever mode ran first.
        for (var round = 0; round <= n; round++)
        {
            foreach (var fingerprint in round % 2 == 0 ? new[] { false, true } : [true, false])
            {
                await using var world = await BenchWorld.CreateAsync(await pipeSim.Url, Path.Combine(pipeRoot, $"{round}-{fingerprint}"), SimOptions(0), Parallelism, fingerprint);
                var run = await world.DownloadAllAsync(pipeSim.Process);
                var perClip = (run.Cpu.Self + run.Cpu.Children).TotalSeconds / run.Result.Downloaded;
                if (round > 0)
                {
                    (fingerprint ? on : off).Add(perClip);
                    (fingerprint ? ffmpegOn : ffmpegOff).Add(run.Cpu.Children.TotalSeconds / run.Result.Downloaded);
                }
                Console.WriteLine($"  {(round == 0 ? "warm-up" : $"round {round}")}, fingerprint {(fingerprint ? "on " : "off")}: {perClip:0.000} CPU-s per clip "
                    + $"(process {run.Cpu.Self.TotalSeconds:0.0} s, ffmpeg {run.Cpu.Children.TotalSeconds:0.0} s, {run.Result.Downloaded} clips)");
            }
        }
        double Median(List<double> v) => v.Order().ElementAt(v.Count / 2);
        var ratio = Median(on) / Median(off);
        Console.WriteLine($"Whole download pipeline, CPU per clip (median of {n}): without fingerprints {Median(off):0.000} s (baseline 1.00), "
            + $"with {Median(on):0.000} s ({ratio:0.000}, +{(ratio - 1) * 100:0.0} %); target <= +15 % -> {Verdict(ratio <= 1.15)}");
        Console.WriteLine($"  of which ffmpeg: {Median(ffmpegOff):0.000} s without, {Median(ffmpegOn):0.000} s with (+{(Median(ffmpegOn) / Median(ffmpegOff) - 1) * 100:0.0} %)");
        Console.WriteLine($"Load average at the end: {LoadAverage()}");
    }
    finally
    {
        if (Directory.Exists(pipeRoot))
            Directory.Delete(pipeRoot, true);
        await pipeSim.StopAsync();
    }
    return;
}

if (args is ["--serve-sim", var rate])
{
    // Child mode: the simulator in its own process, so the parent's memory and CPU figures are the downloader's alone.
    await using var served = await TwitchSimHost.StartAsync(SimOptions(long.Parse(rate, inv)));
    Console.WriteLine(served.BaseUrl);
    await Console.In.ReadToEndAsync();
    return;
}

var linkMBps = args is [var mb] ? double.Parse(mb, inv) : 50;
Console.WriteLine($"Load average at start: {LoadAverage()} ({Environment.ProcessorCount} cores)");
var root = Path.Combine(Path.GetTempPath(), "tccg-bench-downloader-" + Guid.NewGuid().ToString("N"));
Directory.CreateDirectory(root);
var loopbackSim = StartSim(0);
var limitedSim = StartSim((long)(linkMBps * 1e6));
try
{
    // (a) Loopback.
    await using var loop = await BenchWorld.CreateAsync(await loopbackSim.Url, Path.Combine(root, "loopback"), SimOptions(0), Parallelism);
    Console.WriteLine($"Clip bin: {loop.Found} clips found; resolved {loop.Urls.Count} signed URLs; warming the simulator's media cache...");
    var warm = await TimeAsync(() => loop.FetchAllAsync(Path.Combine(root, "warm"), 2));
    var totalBytes = DirectoryBytes(Path.Combine(root, "warm"));
    Directory.Delete(Path.Combine(root, "warm"), true);
    Console.WriteLine($"{loop.Urls.Count} files, {totalBytes / 1e6:0.0} MB in total (warm-up {warm.TotalSeconds:0.0} s).");

    var curl = await CurlAsync(loop.Urls, Path.Combine(root, "curl"));
    var fetch = await TimeAsync(() => loop.FetchAllAsync(Path.Combine(root, "ours"), Parallelism));
    var fetchBytes = DirectoryBytes(Path.Combine(root, "ours"));
    Directory.Delete(Path.Combine(root, "ours"), true);
    var full = await loop.DownloadAllAsync(loopbackSim.Process);

    // (b) The limited link: a fresh clip bin against the capped simulator.
    await using var slow = await BenchWorld.CreateAsync(await limitedSim.Url, Path.Combine(root, "limited"), SimOptions(0), Parallelism);
    var slowCurl = await CurlAsync(slow.Urls, Path.Combine(root, "curl-limited"));
    var slowFull = await slow.DownloadAllAsync(limitedSim.Process);

    using var self = Process.GetCurrentProcess();
    self.Refresh();
    var peak = self.PeakWorkingSet64;

    Console.WriteLine();
    Console.WriteLine($"(a) loopback, {Parallelism} transfers at once, {Environment.ProcessorCount} analysts:");
    Console.WriteLine($"  curl (baseline):       {curl.Rate,7:0.0} MB/s  ({curl.Time.TotalSeconds:0.00} s)");
    Console.WriteLine($"  tccg fetcher alone:    {MBps(fetchBytes, fetch),7:0.0} MB/s  ({fetch.TotalSeconds:0.00} s)  ratio to curl {MBps(fetchBytes, fetch) / curl.Rate:0.00}");
    full.Print("tccg whole downloader: ", curl.Rate);
    Console.WriteLine($"(b) limited link, {linkMBps:0} MB/s shared by all connections:");
    Console.WriteLine($"  curl (baseline):       {slowCurl.Rate,7:0.0} MB/s  ({slowCurl.Time.TotalSeconds:0.00} s)");
    slowFull.Print("tccg whole downloader: ", slowCurl.Rate);
    Console.WriteLine($"(c) peak working set of this process: {peak / 1e6:0} MB (the simulators run in child processes)");
    Console.WriteLine($"Load average at the end: {LoadAverage()}");
    Console.WriteLine();

    var floor = full.AnalysisCpu.TotalSeconds / Environment.ProcessorCount;
    Console.WriteLine("Targets (ratio to curl >= 0.8, peak <= 150 MB):");
    Console.WriteLine($"  fetcher on loopback          {Verdict(MBps(fetchBytes, fetch) / curl.Rate >= Target)}");
    Console.WriteLine($"  whole downloader, {linkMBps:0} MB/s    {Verdict(slowFull.Rate / slowCurl.Rate >= Target)}");
    Console.WriteLine($"  whole downloader on loopback {Verdict(full.Rate / curl.Rate >= Target)}"
        + (full.Rate / curl.Rate >= Target ? "" : $" (its ffmpeg passes alone need {full.AnalysisCpu.TotalSeconds:0.0} CPU-s, at least {floor:0.0} s on "
            + $"{Environment.ProcessorCount} cores, against curl's {curl.Time.TotalSeconds:0.0} s for the whole transfer)"));
    Console.WriteLine($"  peak memory                  {Verdict(peak <= PeakTarget)}");
}
finally
{
    Directory.Delete(root, true);
    await loopbackSim.StopAsync();
    await limitedSim.StopAsync();
}

static TwitchSimOptions SimOptions(long bytesPerSecond) => new()
{
    Seed = 5,
    Games = [new SimGameSpec("33214", "Fortnite", Clips, TimeSpan.FromDays(6))],
    LegacyClipsPerGame = 0,
    DuplicateRate = 0,
    MediaSize = MediaSize.Full,
    FullSizeMaxSeconds = 10,
    Anchor = DateTimeOffset.UtcNow.AddMinutes(-1),
    CdnBytesPerSecond = bytesPerSecond,
};

static SimChild StartSim(long bytesPerSecond)
{
    var start = new ProcessStartInfo(Environment.ProcessPath!) { RedirectStandardInput = true, RedirectStandardOutput = true };
    if (Path.GetFileNameWithoutExtension(Environment.ProcessPath!) == "dotnet")
        start.ArgumentList.Add(System.Reflection.Assembly.GetEntryAssembly()!.Location);
    start.ArgumentList.Add("--serve-sim");
    start.ArgumentList.Add(bytesPerSecond.ToString(CultureInfo.InvariantCulture));
    var process = Process.Start(start)!;
    return new SimChild(process, ReadUrlAsync(process));

    static async Task<string> ReadUrlAsync(Process p) => (await p.StandardOutput.ReadLineAsync())!.Trim();
}

static async Task<(double Rate, TimeSpan Time)> CurlAsync(IReadOnlyList<Uri> urls, string dir)
{
    Directory.CreateDirectory(dir);
    var start = new ProcessStartInfo("curl") { RedirectStandardError = true };
    foreach (var a in new[] { "-s", "-f", "--parallel", "--parallel-max", Parallelism.ToString(CultureInfo.InvariantCulture) })
        start.ArgumentList.Add(a);
    for (var i = 0; i < urls.Count; i++)
    {
        start.ArgumentList.Add("-o");
        start.ArgumentList.Add(Path.Combine(dir, $"{i}.mp4"));
        start.ArgumentList.Add(urls[i].AbsoluteUri);
    }
    var time = await TimeAsync(async () =>
    {
        using var curl = Process.Start(start)!;
        await curl.WaitForExitAsync();
        if (curl.ExitCode != 0)
            throw new InvalidOperationException("curl failed: " + await curl.StandardError.ReadToEndAsync());
    });
    var bytes = DirectoryBytes(dir);
    Directory.Delete(dir, true);
    return (MBps(bytes, time), time);
}

static async Task<TimeSpan> TimeAsync(Func<Task> run)
{
    var clock = Stopwatch.StartNew();
    await run();
    return clock.Elapsed;
}

static double MBps(long bytes, TimeSpan t) => bytes / 1e6 / t.TotalSeconds;

static long DirectoryBytes(string dir) => Directory.GetFiles(dir).Sum(f => new FileInfo(f).Length);

static string Verdict(bool met) => met ? "met" : "NOT met";

static string LoadAverage() => string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));

internal sealed record SimChild(Process Process, Task<string> Url)
{
    public async Task StopAsync()
    {
        Process.StandardInput.Close();
        await Process.WaitForExitAsync();
        Process.Dispose();
    }
}

/// <summary>One data folder with a migrated SQLite clip bin whose 200 clips were found on one simulator.</summary>
internal sealed class BenchWorld : IAsyncDisposable
{
    private BenchWorld(ServiceProvider services, int found, IReadOnlyList<Uri> urls)
    {
        Services = services;
        Found = found;
        Urls = urls;
    }

    public ServiceProvider Services { get; }
    public int Found { get; }

    public ValueTask DisposeAsync() => Services.DisposeAsync();

    /// <summary>Signed URLs of every clip (resolved once; never stored beyond this run).</summary>
    public IReadOnlyList<Uri> Urls { get; }

    public static async Task<BenchWorld> CreateAsync(string simUrl, string root, TwitchSimOptions sim, int parallelism, bool fingerprint = true)
    {
        var values = new Dictionary<string, string?>
        {
            ["Tccg:Twitch:ClientId"] = sim.ClientId,
            ["Tccg:Twitch:ClientSecret"] = sim.ClientSecret,
            ["Tccg:Twitch:AuthBaseUrl"] = simUrl,
            ["Tccg:Twitch:HelixBaseUrl"] = simUrl + "/helix",
            ["Tccg:Twitch:GqlUrl"] = simUrl + "/gql",
            ["Tccg:Storage:Root"] = root,
            ["Tccg:Downloader:Parallelism"] = parallelism.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Tccg:Downloader:Fingerprint"] = fingerprint ? "true" : "false",
        };
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(values).Build());
        services.AddLogging(l => l.SetMinimumLevel(LogLevel.Warning).AddFilter("Tccg.Media", Environment.GetEnvironmentVariable("TCCG_BENCH_DEBUG") is null ? LogLevel.Warning : LogLevel.Debug).AddSimpleConsole());
        services.AddTccgOptions();
        services.AddTccgStorage();
        services.AddTccgMedia();
        services.AddTccgTwitch();
        var sp = services.BuildServiceProvider();
        await sp.GetRequiredService<MigrationRunner>().MigrateAsync(CancellationToken.None);
        var game = await sp.GetRequiredService<IGameStore>().AddAsync(new Game { TwitchGameId = "33214", Name = "Fortnite" }, CancellationToken.None);
        var found = await sp.GetRequiredService<ClipFinder>().FindAsync(game, ClipPeriod.Week, null, CancellationToken.None);
        var resolver = sp.GetRequiredService<ClipUrlResolver>();
        var clips = (await sp.GetRequiredService<Tccg.Storage.Clips.IClipStore>().QueryAsync(
            new Tccg.Storage.Clips.ClipQuery { Limit = 1000 }, CancellationToken.None)).Items;
        var urls = new List<Uri>();
        foreach (var clip in clips)
            if (await resolver.ResolveAsync(clip.TwitchClipId, clip.ThumbnailUrl, CancellationToken.None) is ClipUrlResult.Ready ready)
                urls.Add(ready.Url);
        return new BenchWorld(sp, found.Accepted, urls);
    }

    /// <summary>tccg's streaming fetcher alone (the transfer part of a download).</summary>
    public async Task FetchAllAsync(string dir, int parallelism)
    {
        Directory.CreateDirectory(dir);
        var fetcher = Services.GetRequiredService<ClipFileFetcher>();
        await Parallel.ForEachAsync(Urls.Select((u, i) => (u, i)), new ParallelOptions { MaxDegreeOfParallelism = parallelism },
            async (x, ct) => await fetcher.FetchAsync(x.u, Path.Combine(dir, $"{x.i}.mp4"), ct));
    }

    /// <summary>The whole downloader over every found clip, with the CPU it and its ffmpeg children used.</summary>
    public async Task<FullRun> DownloadAllAsync(Process sim)
    {
        GC.Collect();
        var before = CpuTimes.Read(sim);
        var clock = Stopwatch.StartNew();
        var result = await Services.GetRequiredService<ClipDownloader>().DownloadAsync(new DownloadRequest(null, Found), null, CancellationToken.None);
        var elapsed = clock.Elapsed;
        var used = CpuTimes.Read(sim) - before;
        if (result.Downloaded != Found)
            throw new InvalidOperationException($"Only {result.Downloaded} of {Found} clips were downloaded ({result.Failed} failed).");
        return new FullRun(result, elapsed, used);
    }
}

internal sealed record FullRun(DownloadResult Result, TimeSpan Time, CpuTimes Cpu)
{
    public double Rate => Result.Bytes / 1e6 / Time.TotalSeconds;

    /// <summary>CPU of the reaped children of this process during the run: the downloader's ffmpeg passes.</summary>
    public TimeSpan AnalysisCpu => Cpu.Children;

    public void Print(string label, double curlRate)
    {
        Console.WriteLine($"  {label}{Rate,7:0.0} MB/s  ({Time.TotalSeconds:0.00} s, {Result.Downloaded / Time.TotalSeconds:0.0} clips/s)  ratio to curl {Rate / curlRate:0.00}");
        Console.WriteLine($"      CPU: analysis (ffmpeg) {AnalysisCpu.TotalSeconds / Result.Downloaded:0.000} s per clip ({AnalysisCpu.TotalSeconds:0.0} s), "
            + $"downloader process {Cpu.Self.TotalSeconds:0.0} s, simulator {Cpu.Simulator.TotalSeconds:0.0} s");
    }
}

/// <summary>CPU times from /proc: this process, its reaped children (ffmpeg, curl), and the simulator child.</summary>
internal sealed record CpuTimes(TimeSpan Self, TimeSpan Children, TimeSpan Simulator)
{
    private static readonly double Tick = 1.0 / 100; // USER_HZ is 100 on Linux

    public static CpuTimes Read(Process sim)
    {
        var self = Fields("/proc/self/stat");
        var child = Fields($"/proc/{sim.Id}/stat");
        return new(Seconds(self[13] + self[14]), Seconds(self[15] + self[16]), Seconds(child[13] + child[14]));
    }

    public static CpuTimes operator -(CpuTimes a, CpuTimes b) => new(a.Self - b.Self, a.Children - b.Children, a.Simulator - b.Simulator);

    private static TimeSpan Seconds(long ticks) => TimeSpan.FromSeconds(ticks * Tick);

    private static long[] Fields(string path)
    {
        var text = File.ReadAllText(path);
        // Fields after the command name in parentheses (which may contain spaces); index 0 here is field 3 (state).
        var rest = text[(text.LastIndexOf(')') + 2)..].Split(' ');
        return [0, 0, .. rest.Select(f => long.TryParse(f, CultureInfo.InvariantCulture, out var v) ? v : 0)];
    }
}
