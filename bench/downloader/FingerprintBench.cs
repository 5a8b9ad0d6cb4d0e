// Audio-fingerprint duplicates, three figures (each mode alone, or all by default):
//  cpu      the CPU ffmpeg spends per clip in the downloader's analysis pass with and without the fingerprint output
//           (12 ten-second 720p30 clips with distinct audio, inspected 4 to a process as the pipeline does; the
//           children's CPU from /proc/self/stat), target: fingerprinting adds <= 15 %;
//  quality  precision and recall of the duplicate check on PAIRS planted pairs among CLIPS clips of distinct audio
//           (fingerprints made by ffmpeg's chromaprint muxer from the simulator's melodies; a twin starts 0-2 s later,
//           so its items fall between the original's), with the index-then-align check the downloader uses (in memory
//           here; the database lookup is the `lookup` figure), targets 0.95 / 0.9;
//  lookup   the duplicate lookup for one new clip (index keys -> candidates -> align) in a SQLite clip bin holding
//           N fingerprints (default 100,000), p50/p95 over 200 lookups; baseline: a scan of every stored fingerprint,
//           target < 5 ms.
// Usage: dotnet run -c Release --project bench/downloader fingerprint [cpu|quality|lookup|all] [CLIPS PAIRS | N]
using System.Diagnostics;
using System.Globalization;
using Dapper;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Tccg.Core.Clips;
using Tccg.Core.Configuration;
using Tccg.Media;
using Tccg.Media.Probing;
using Tccg.Storage;
using Tccg.Storage.Clips;
using Tccg.Storage.Database;
using Tccg.Storage.Fingerprints;
using Tccg.Twitch;
using Tccg.Twitch.Downloads;
using Tccg.TwitchSim.Cdn;

internal static class FingerprintBench
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static async Task RunAsync(string[] args)
    {
        var mode = args.Length > 0 ? args[0] : "all";
        var dir = Path.Combine(Path.GetTempPath(), "tccg-bench-fingerprint-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            if (mode is "cpu" or "all")
                await CpuAsync(dir);
            if (mode is "quality" or "all")
                await QualityAsync(dir, Int(args, 1, 2000), Int(args, 2, 200));
            if (mode is "lookup" or "all")
                await LookupAsync(dir, Int(args, mode == "lookup" ? 1 : 3, 100_000));
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    private static int Int(string[] args, int i, int fallback) =>
        args.Length > i && int.TryParse(args[i], NumberStyles.Integer, Inv, out var v) ? v : fallback;

    private static async Task RunFfmpegAsync(params string[] arguments)
    {
        var info = new ProcessStartInfo("ffmpeg") { RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in arguments)
            info.ArgumentList.Add(a);
        using var p = Process.Start(info)!;
        var err = await p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync();
        if (p.ExitCode != 0)
            throw new InvalidOperationException("ffmpeg failed: " + err);
    }

    /// <summary>CPU seconds of this process's waited-for children (utime + stime of children, /proc/self/stat fields 16–17).</summary>
    private static double ChildrenCpuSeconds()
    {
        var stat = File.ReadAllText("/proc/self/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        // After the command name: field 3 is fields[0]; cutime is field 16, cstime 17.
        var ticks = long.Parse(fields[13], Inv) + long.Parse(fields[14], Inv);
        return ticks / 100.0;
    }

    private static async Task CpuAsync(string dir)
    {
        const int files = 12;
        var paths = new List<string>();
        for (var i = 0; i < files; i++)
        {
            var path = Path.Combine(dir, $"clip{i}.mp4");
            await RunFfmpegAsync("-hide_banner", "-loglevel", "error", "-y",
                "-f", "lavfi", "-i", "testsrc2=size=1280x720:rate=30:duration=10",
                "-f", "lavfi", "-i", SimMelody.Filter(1000 + i, 0, 48000, "10"),
                "-map", "0:v", "-map", "1:a", "-c:v", "libx264", "-preset", "ultrafast", "-crf", "30", "-c:a", "aac", "-b:a", "128k",
                "-movflags", "+faststart", path);
            paths.Add(path);
        }
        var inspector = new MediaInspector();
        var plain = new List<double>();
        var printed = new List<double>();
        for (var round = 0; round < 3; round++)
        {
            foreach (var fingerprint in new[] { false, true })
            {
                var before = ChildrenCpuSeconds();
                foreach (var batch in paths.Chunk(4))
                {
                    var results = await inspector.InspectManyAsync(batch, fingerprint, CancellationToken.None);
                    if (results.Any(r => r.Inspection is null) || (fingerprint && results.Any(r => r.Inspection!.Fingerprint is not { Length: > 40 })))
                        throw new InvalidOperationException("inspection failed");
                }
                (fingerprint ? printed : plain).Add((ChildrenCpuSeconds() - before) / files);
            }
        }
        var basePerClip = plain.Min();
        var withPerClip = printed.Min();
        var added = withPerClip / basePerClip - 1;
        Console.WriteLine(string.Create(Inv,
            $"CPU per clip (ffmpeg analysis, best of 3, 4 files a process): without fingerprint {basePerClip:0.000} s, with {withPerClip:0.000} s: +{100 * added:0.0}% of the analysis alone (target <= 15%)"));
        Console.WriteLine(string.Create(Inv, $"  rounds without: {string.Join(", ", plain.Select(v => v.ToString("0.000", Inv)))}; with: {string.Join(", ", printed.Select(v => v.ToString("0.000", Inv)))}"));
    }

    private static async Task QualityAsync(string dir, int clips, int pairs)
    {
        // clips - pairs distinct melodies, then `pairs` twins of the first `pairs` (0-2 s later).
        var clock = Stopwatch.StartNew();
        var distinct = clips - pairs;
        var specs = new List<(int Seed, double Offset, bool Twin)>();
        for (var i = 0; i < distinct; i++)
            specs.Add((100_000 + (i * 7919), 0, false));
        var random = new Random(3);
        for (var i = 0; i < pairs; i++)
            specs.Add((specs[i].Seed, random.Next(0, 21) / 10.0, true));
        var fingerprints = new uint[specs.Count][];
        const int perProcess = 25;
        for (var start = 0; start < specs.Count; start += perProcess)
        {
            var args = new List<string> { "-hide_banner", "-loglevel", "error", "-y" };
            var count = Math.Min(perProcess, specs.Count - start);
            for (var k = 0; k < count; k++)
                args.AddRange(["-f", "lavfi", "-i", SimMelody.Filter(specs[start + k].Seed, specs[start + k].Offset, 11025, "9")]);
            for (var k = 0; k < count; k++)
            {
                args.AddRange(["-map", $"{k}:a", "-ac", "1", "-f", "chromaprint", "-fp_format", "raw", Path.Combine(dir, $"fp{start + k}.raw")]);
            }
            await RunFfmpegAsync([.. args]);
            for (var k = 0; k < count; k++)
                fingerprints[start + k] = AudioFingerprint.FromBytes(await File.ReadAllBytesAsync(Path.Combine(dir, $"fp{start + k}.raw")));
        }
        var made = clock.Elapsed.TotalSeconds;

        // The downloader's check, in arrival order: index keys -> candidates sharing >= 4 keys -> align the best 16.
        var index = new Dictionary<int, List<int>>();
        var order = Enumerable.Range(0, specs.Count).OrderBy(_ => random.Next()).ToList();
        int truePositive = 0, falsePositive = 0;
        var lookups = new List<double>();
        foreach (var id in order)
        {
            var sw = Stopwatch.StartNew();
            var votes = new Dictionary<int, int>();
            foreach (var key in AudioFingerprint.Keys(fingerprints[id]))
            {
                if (index.TryGetValue(key, out var list))
                    foreach (var other in list)
                        votes[other] = votes.GetValueOrDefault(other) + 1;
            }
            var match = votes.Where(v => v.Value >= ClipFingerprinter.MinSharedKeys).OrderByDescending(v => v.Value).Take(ClipFingerprinter.MaxCandidates)
                .Select(v => (Other: v.Key, Match: AudioFingerprint.Compare(fingerprints[id], fingerprints[v.Key])))
                .Where(m => m.Match is { Seconds: >= 5 }).OrderByDescending(m => m.Match!.Seconds).FirstOrDefault();
            lookups.Add(sw.Elapsed.TotalMilliseconds);
            if (match.Match is not null)
            {
                if (specs[id].Seed == specs[match.Other].Seed)
                    truePositive++;
                else
                    falsePositive++;
            }
            foreach (var key in AudioFingerprint.Keys(fingerprints[id]))
            {
                if (!index.TryGetValue(key, out var list))
                    index[key] = list = [];
                list.Add(id);
            }
        }
        var precision = truePositive + falsePositive == 0 ? 1 : truePositive / (double)(truePositive + falsePositive);
        var recall = truePositive / (double)pairs;
        Console.WriteLine(string.Create(Inv,
            $"Quality on {pairs} planted pairs among {specs.Count} clips: {truePositive} found, {falsePositive} false; precision {precision:0.000} (target 0.95), recall {recall:0.000} (target 0.9)"));
        Console.WriteLine(string.Create(Inv, $"  fingerprints made in {made:0.0} s ({fingerprints.Average(f => f.Length):0} items a clip); in-memory check {lookups.Average():0.000} ms a clip"));
    }

    private static async Task LookupAsync(string dir, int count)
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Tccg:Storage:Root"] = dir }).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(config);
        services.AddLogging();
        services.AddTccgOptions();
        services.AddTccgStorage();
        services.AddTccgMedia();
        services.AddTccgTwitch();
        await using var sp = services.BuildServiceProvider();
        await sp.GetRequiredService<MigrationRunner>().MigrateAsync(CancellationToken.None);
        var clips = sp.GetRequiredService<IClipStore>();
        var store = sp.GetRequiredService<IFingerprintStore>();
        var random = new Random(9);
        var clock = Stopwatch.StartNew();
        var stored = new List<uint[]>(count);
        for (var start = 0; start < count; start += 5000)
        {
            var n = Math.Min(5000, count - start);
            var found = Enumerable.Range(start, n).Select(i => new FoundClip
            {
                TwitchClipId = "bench-" + i.ToString(Inv), Url = "https://clips.twitch.tv/x", BroadcasterId = "1", BroadcasterName = "b", GameId = "g",
                CreatedAt = DateTimeOffset.UnixEpoch.AddSeconds(i), Duration = 30,
            }).ToList();
            await clips.UpsertFoundAsync(found, CancellationToken.None);
            var batch = new List<(long, uint[])>(n);
            for (var i = start; i < start + n; i++)
            {
                // 30 s clips: about 220 items each.
                var items = Enumerable.Range(0, 220).Select(_ => (uint)random.NextInt64(0, 1L << 32)).ToArray();
                stored.Add(items);
                batch.Add((i + 1, items));
            }
            await store.SaveManyAsync(batch, CancellationToken.None);
        }
        // Mark them Downloaded in one statement (the bench needs their status, not files).
        var database = sp.GetRequiredService<TccgDatabase>();
        await using (var connection = await database.OpenAsync(CancellationToken.None))
            await connection.ExecuteAsync("UPDATE clips SET status = 'downloaded'");
        Console.WriteLine(string.Create(Inv, $"Lookup: {count:N0} fingerprints of 220 items stored in {clock.Elapsed.TotalSeconds:0.0} s"));

        var fingerprinter = sp.GetRequiredService<ClipFingerprinter>();
        var times = new List<double>();
        int known = 0, wrong = 0;
        for (var i = 0; i < 200; i++)
        {
            // Half the lookups are a known clip's audio 10 items later with flipped bits, half new audio.
            var probe = i % 2 == 0
                ? stored[random.Next(stored.Count)].Skip(10).Select(v => v ^ (1u << random.Next(32))).ToArray()
                : Enumerable.Range(0, 220).Select(_ => (uint)random.NextInt64(0, 1L << 32)).ToArray();
            var sw = Stopwatch.StartNew();
            var match = await fingerprinter.FindAsync(-1, probe, CancellationToken.None);
            times.Add(sw.Elapsed.TotalMilliseconds);
            if (match is not null)
            {
                if (i % 2 == 0)
                    known++;
                else
                    wrong++;
            }
        }
        times.Sort();
        var scan = Stopwatch.StartNew();
        var scanned = 0;
        await using (var connection = await database.OpenAsync(CancellationToken.None))
        {
            var probe = stored[0];
            foreach (var row in await connection.QueryAsync<byte[]>("SELECT items FROM clip_fingerprints"))
            {
                _ = AudioFingerprint.Compare(probe, AudioFingerprint.FromBytes(row));
                scanned++;
            }
        }
        var p50 = times[times.Count / 2];
        var p95 = times[(int)(times.Count * 0.95)];
        Console.WriteLine(string.Create(Inv,
            $"Lookup of one new clip among {count:N0}: p50 {p50:0.00} ms, p95 {p95:0.00} ms (target < 5 ms); {known} of 100 known clips found, {wrong} of 100 new clips matched wrongly"));
        Console.WriteLine(string.Create(Inv,
            $"  baseline, a scan of every stored fingerprint for one clip: {scan.Elapsed.TotalMilliseconds:0} ms ({scanned:N0} compared): the index is {scan.Elapsed.TotalMilliseconds / p50:0}x faster"));
    }
}
