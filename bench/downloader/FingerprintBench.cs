// Audio-fingerprint duplicates, three figures (each mode alone, or all by default):
//  cpu      the CPU ffmpeg spends per clip in the downloader's analysis pass without the fingerprint output (the baseline),
//           with the output as first built (-ac 1) and with MediaInspector.FingerprintFilter, for 10 s and 30 s clips
//           (720p30, distinct audio, 4 files a process as the pipeline does; children's CPU from /proc/self/stat; median of
//           5 interleaved rounds), target: fingerprinting adds <= 15 %;
//  quality  precision and recall of audio duplicates on PAIRS planted pairs among CLIPS clips (default 200 among 2,000):
//           8 s clips of the simulator's melodies as 48 kHz stereo WAVs (what a Twitch clip's AAC decodes to; encoding 2,000
//           MP4s would cost more than the rest on 2 shared cores), a twin being the same melody 0-2 s later, 4 dB quieter
//           with a faint noise of its own, on another channel without a VOD; every clip goes through the real steps
//           (MediaInspector's analysis pass with the fingerprint output, 4 files a process, MarkDownloaded, ClipFingerprinter
//           against a SQLite clip bin, two analysts at once, shuffled arrival), targets 0.95 / 0.9;
//  lookup   the duplicate lookup for one new clip (index keys -> candidates -> align) in a SQLite clip bin holding
//           N fingerprints (default 100,000), p50/p95 over 200 lookups; baseline: a scan of every stored fingerprint,
//           target < 5 ms. With TCCG_BENCH_MYSQL set to a connection string, the same on MariaDB.
// Usage: dotnet run -c Release --project bench/downloader -- fingerprint [cpu|quality|lookup|all] [CLIPS PAIRS | N]
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
        // The analysis pass as the downloader runs it (MediaInspector.Arguments, 4 files a process), without the fingerprint
        // output (the baseline), with the output as first built (`-ac 1`: chromaprint resamples 48 kHz to 11,025 Hz itself),
        // and with MediaInspector.FingerprintFilter (downmix, then a short resampler to 11,025 Hz in ffmpeg). 12 clips of 10 s
        // and 8 of 30 s (Twitch's default clip length), 720p30 H.264 + AAC 48 kHz stereo with distinct audio; rounds
        // interleave the variants so load from other processes hits them alike; the median round counts.
        const string previous = "aformat=channel_layouts=mono,aformat=sample_fmts=s16";
        foreach (var (files, seconds) in new[] { (12, 10), (8, 30) })
        {
            var paths = new List<string>();
            for (var i = 0; i < files; i++)
            {
                var path = Path.Combine(dir, string.Create(Inv, $"clip{seconds}-{i}.mp4"));
                await RunFfmpegAsync("-hide_banner", "-loglevel", "error", "-y",
                    "-f", "lavfi", "-i", string.Create(Inv, $"testsrc2=size=1280x720:rate=30:duration={seconds}"),
                    "-f", "lavfi", "-i", SimMelody.Filter(1000 + i, 0, 48000, seconds.ToString(Inv)),
                    "-map", "0:v", "-map", "1:a", "-c:v", "libx264", "-preset", "ultrafast", "-crf", "30", "-c:a", "aac", "-b:a", "128k", "-ac", "2",
                    "-movflags", "+faststart", path);
                paths.Add(path);
            }
            var variants = new (string Name, string? Filter)[] { ("without fingerprint", null), ("-ac 1 (before)", previous), ("FingerprintFilter", MediaInspector.FingerprintFilter) };
            var rounds = variants.ToDictionary(v => v.Name, _ => new List<double>());
            for (var round = 0; round < 5; round++)
            {
                foreach (var (name, filter) in variants)
                {
                    var before = ChildrenCpuSeconds();
                    foreach (var batch in paths.Chunk(4))
                    {
                        var outputs = filter is null ? null : batch.Select(p => p + ".fp").ToList();
                        var args = outputs is null ? MediaInspector.Arguments(batch) : MediaInspector.Arguments(batch, outputs, filter!);
                        await RunFfmpegAsync([.. args]);
                        foreach (var fp in outputs ?? [])
                        {
                            if (new FileInfo(fp).Length < 160)
                                throw new InvalidOperationException("no fingerprint from " + fp);
                            File.Delete(fp);
                        }
                    }
                    rounds[name].Add((ChildrenCpuSeconds() - before) / files);
                }
            }
            static double Median(List<double> v) => v.Order().ElementAt(v.Count / 2);
            var baseline = Median(rounds[variants[0].Name]);
            Console.WriteLine(string.Create(Inv, $"CPU per {seconds} s clip, ffmpeg analysis pass ({files} clips, 4 a process, median of 5 rounds):"));
            foreach (var (name, _) in variants)
            {
                var perClip = Median(rounds[name]);
                Console.WriteLine(string.Create(Inv,
                    $"  {name,-20} {perClip:0.000} s  ratio {perClip / baseline:0.000}{(name == variants[0].Name ? " (baseline)" : $" (+{100 * ((perClip / baseline) - 1):0.0}%, target <= 15%)")}"
                    + $"   rounds: {string.Join(", ", rounds[name].Select(v => v.ToString("0.000", Inv)))}"));
            }
            foreach (var path in paths)
                File.Delete(path);
        }
    }

    /// <summary>Seconds of audio per clip in the quality run (short clips keep 2,000 of them affordable; twins share 6–8 s).</summary>
    private const int QualitySeconds = 8;

    private const int QualityRate = 48000;

    private static async Task QualityAsync(string dir, int clips, int pairs)
    {
        // clips - pairs distinct melodies (the simulator's SimMelody, one seed each), then `pairs` twins of the first `pairs`:
        // the same melody from 0.0-2.0 s later (so its items fall between the original's), 4 dB quieter with its own faint
        // noise, on another channel, without a VOD. Every clip goes through the downloader's own steps from a landed file on:
        // MediaInspector's analysis pass (4 files to an ffmpeg process, the fingerprint a second output of the same decode),
        // MarkDownloaded, then ClipFingerprinter (SQLite store, inverted index, alignment, Duplicate marks), in a shuffled
        // arrival order, two analysts at once.
        var clock = Stopwatch.StartNew();
        var distinct = clips - pairs;
        var random = new Random(3);
        var specs = new List<(int Seed, double Offset, bool Twin, string Id)>();
        for (var i = 0; i < distinct; i++)
            specs.Add((100_000 + (i * 7919), 0, false, "orig-" + i.ToString(Inv)));
        for (var i = 0; i < pairs; i++)
            specs.Add((specs[i].Seed, random.Next(0, 21) / 10.0, true, "twin-" + i.ToString(Inv)));
        var order = Enumerable.Range(0, specs.Count).OrderBy(_ => random.Next()).ToList();

        await using var sp = await ClipBinAsync(dir);
        var clipStore = sp.GetRequiredService<IClipStore>();
        await clipStore.UpsertFoundAsync([.. specs.Select((spec, i) => new FoundClip
        {
            TwitchClipId = spec.Id, Url = "https://clips.twitch.tv/" + spec.Id, BroadcasterId = (10_000 + i).ToString(Inv), BroadcasterName = "channel" + i.ToString(Inv),
            GameId = "g", CreatedAt = DateTimeOffset.UnixEpoch.AddSeconds(i), Duration = QualitySeconds, VideoId = "",
        })], CancellationToken.None);
        var inspector = sp.GetRequiredService<MediaInspector>();
        var fingerprinter = sp.GetRequiredService<ClipFingerprinter>();
        var media = Path.Combine(dir, "quality");
        Directory.CreateDirectory(media);
        double makeSeconds = 0, analysisSeconds = 0;
        var recordMs = new List<double>();
        var done = 0;
        var printed = Stopwatch.StartNew();
        await Parallel.ForEachAsync(order.Chunk(20), new ParallelOptions { MaxDegreeOfParallelism = 2 }, async (chunk, ct) =>
        {
            var made = Stopwatch.StartNew();
            var paths = await MakeClipsAsync(media, [.. chunk.Select(i => specs[i])], ct);
            lock (recordMs)
                makeSeconds += made.Elapsed.TotalSeconds;
            for (var at = 0; at < chunk.Length; at += 4)
            {
                var batch = Enumerable.Range(at, Math.Min(4, chunk.Length - at)).ToList();
                var analysed = Stopwatch.StartNew();
                var inspected = await inspector.InspectManyAsync([.. batch.Select(k => paths[k])], fingerprint: true, ct);
                lock (recordMs)
                    analysisSeconds += analysed.Elapsed.TotalSeconds;
                foreach (var k in batch)
                {
                    var inspection = inspected[k - at].Get();
                    var clip = (await clipStore.GetByTwitchIdAsync(specs[chunk[k]].Id, ct))!;
                    var landed = await clipStore.MarkDownloadedAsync(clip.Id,
                        new DownloadedClipFile("clips/g/" + clip.TwitchClipId + ".wav", new FileInfo(paths[k]).Length, inspection.Facts, inspection.Loudness.IntegratedLufs), ct);
                    var sw = Stopwatch.StartNew();
                    await fingerprinter.RecordAsync(landed, inspection.Fingerprint, ct);
                    lock (recordMs)
                        recordMs.Add(sw.Elapsed.TotalMilliseconds);
                }
            }
            foreach (var path in paths)
                File.Delete(path);
            if (Interlocked.Add(ref done, chunk.Length) is var n && printed.Elapsed.TotalSeconds > 30)
            {
                printed.Restart();
                Console.WriteLine(string.Create(Inv, $"  {n} of {specs.Count} clips through the pipeline ({clock.Elapsed.TotalSeconds:0} s)"));
            }
        });

        // Score: a planted pair is found when one of its two clips is Duplicate of the other; any other Duplicate is false.
        var all = new Dictionary<string, ClipRecord>(StringComparer.Ordinal);
        string? after = null;
        do
        {
            var page = await clipStore.QueryAsync(new ClipQuery { Limit = 1000, After = after }, CancellationToken.None);
            foreach (var c in page.Items)
                all[c.TwitchClipId] = c;
            after = page.NextCursor;
        }
        while (after is not null);
        var byId = all.Values.ToDictionary(c => c.Id);
        var seedOf = specs.ToDictionary(s => s.Id, s => s.Seed, StringComparer.Ordinal);
        int truePositive = 0, falsePositive = 0;
        foreach (var c in all.Values.Where(c => c.Status == ClipStatus.Duplicate && c.DuplicateOf is not null))
        {
            if (byId.TryGetValue(c.DuplicateOf!.Value, out var other) && seedOf[other.TwitchClipId] == seedOf[c.TwitchClipId])
                truePositive++;
            else
                falsePositive++;
        }
        var noFingerprint = specs.Count - (int)await sp.GetRequiredService<IFingerprintStore>().CountAsync(CancellationToken.None);
        var precision = truePositive + falsePositive == 0 ? 1 : truePositive / (double)(truePositive + falsePositive);
        var recall = truePositive / (double)pairs;
        recordMs.Sort();
        Console.WriteLine(string.Create(Inv,
            $"Quality on {pairs} planted pairs among {specs.Count} clips ({QualitySeconds} s each, through the analysis pass and ClipFingerprinter): {truePositive} found, {falsePositive} false; "
            + $"precision {precision:0.000} (target 0.95), recall {recall:0.000} (target 0.9){(noFingerprint > 0 ? $"; {noFingerprint} clips without a fingerprint" : "")}"));
        Console.WriteLine(string.Create(Inv,
            $"  {clock.Elapsed.TotalSeconds:0} s in all: writing the WAVs {makeSeconds:0} s, the analysis pass {analysisSeconds:0} s (worker-seconds); "
            + $"store + look up + mark per clip p50 {recordMs[recordMs.Count / 2]:0.0} ms, p95 {recordMs[(int)(recordMs.Count * 0.95)]:0.0} ms"));
    }

    /// <summary>
    /// One WAV per spec (48 kHz stereo 16-bit, what ffmpeg decodes a Twitch clip's AAC to), written here: encoding 2,000
    /// MP4s takes longer than everything else on a shared 2-core machine, and the fingerprint only ever sees decoded audio.
    /// A twin is 4 dB quieter with a faint noise of its own (another encode, another mix).
    /// </summary>
    private static async Task<List<string>> MakeClipsAsync(string dir, IReadOnlyList<(int Seed, double Offset, bool Twin, string Id)> specs, CancellationToken ct)
    {
        var paths = new List<string>();
        foreach (var spec in specs)
        {
            var wav = Path.Combine(dir, spec.Id + ".wav");
            await File.WriteAllBytesAsync(wav, MelodyWav(spec.Seed, spec.Offset, spec.Twin ? 0.63 : 1.0, spec.Twin ? spec.Seed ^ 0x5EED : 0), ct);
            paths.Add(wav);
        }
        return paths;
    }

    /// <summary>
    /// <see cref="SimMelody.Filter"/>'s melody computed here (the same formula; ffmpeg's aevalsrc evaluates it per sample and
    /// costs about 0.3 CPU-s a clip): 16-bit stereo WAV at 48 kHz, <see cref="QualitySeconds"/> long, from <paramref name="offset"/> s in.
    /// </summary>
    private static byte[] MelodyWav(int seed, double offset, double gain, int noiseSeed)
    {
        var noise = noiseSeed == 0 ? null : new Random(noiseSeed);
        var a = 12.9898 + (seed % 1000 * 0.0137);
        var c = seed * 78.233 % 1000;
        var samples = QualitySeconds * QualityRate;
        var bytes = new byte[44 + (samples * 4)];
        var header = bytes.AsSpan();
        "RIFF"u8.CopyTo(header);
        System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(header[4..], 36 + (samples * 4));
        "WAVEfmt "u8.CopyTo(header[8..]);
        System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(header[16..], 16);
        System.Buffers.Binary.BinaryPrimitives.WriteInt16LittleEndian(header[20..], 1);
        System.Buffers.Binary.BinaryPrimitives.WriteInt16LittleEndian(header[22..], 2);
        System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(header[24..], QualityRate);
        System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(header[28..], QualityRate * 4);
        System.Buffers.Binary.BinaryPrimitives.WriteInt16LittleEndian(header[32..], 4);
        System.Buffers.Binary.BinaryPrimitives.WriteInt16LittleEndian(header[34..], 16);
        "data"u8.CopyTo(header[36..]);
        System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(header[40..], samples * 4);
        long note1 = long.MinValue, note2 = long.MinValue;
        double f1 = 0, f2 = 0;
        for (var i = 0; i < samples; i++)
        {
            var t = offset + (i / (double)QualityRate);
            var n1 = (long)Math.Floor(t * 5);
            if (n1 != note1)
            {
                note1 = n1;
                f1 = 110 * Math.Pow(2, Math.Floor(36 * Frac(Math.Abs(Math.Sin((n1 * a) + c) * 43758.5453))) / 12);
            }
            var n2 = (long)Math.Floor(t * 3);
            if (n2 != note2)
            {
                note2 = n2;
                f2 = 220 * Math.Pow(2, Math.Floor(24 * Frac(Math.Abs(Math.Sin((n2 * a * 1.7) + (c * 1.3)) * 24634.6345))) / 12);
            }
            var v = gain * ((0.45 * Math.Sin(2 * Math.PI * t * f1)) + (0.3 * Math.Sin(2 * Math.PI * t * f2)));
            for (var channel = 0; channel < 2; channel++)
            {
                var sample = v + (noise is null ? 0 : (noise.NextDouble() - 0.5) * 0.02);
                System.Buffers.Binary.BinaryPrimitives.WriteInt16LittleEndian(header[(44 + (4 * i) + (2 * channel))..], (short)Math.Clamp(sample * 32767, -32768, 32767));
            }
        }
        return bytes;

        static double Frac(double x) => x - Math.Floor(x);
    }

    /// <summary>A migrated SQLite clip bin in <paramref name="dir"/> with tccg's storage, media and Twitch services.</summary>
    private static async Task<ServiceProvider> ClipBinAsync(string dir, string? mysql = null)
    {
        var values = new Dictionary<string, string?> { ["Tccg:Storage:Root"] = dir };
        if (mysql is not null)
        {
            values["Tccg:Database:Provider"] = "MySql";
            values["Tccg:Database:ConnectionString"] = mysql;
        }
        var config = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(config);
        services.AddLogging();
        services.AddTccgOptions();
        services.AddTccgStorage();
        services.AddTccgMedia();
        services.AddTccgTwitch();
        var sp = services.BuildServiceProvider();
        await sp.GetRequiredService<MigrationRunner>().MigrateAsync(CancellationToken.None);
        return sp;
    }

    private static async Task LookupAsync(string dir, int count)
    {
        await LookupOnAsync(dir, count, null);
        if (Environment.GetEnvironmentVariable("TCCG_BENCH_MYSQL") is { Length: > 0 } server)
        {
            // A database of its own on that server (the user must be allowed to create one), dropped at the end.
            var name = "tccg_bench_" + Guid.NewGuid().ToString("N")[..10];
            var admin = new MySqlConnector.MySqlConnectionStringBuilder(server) { Database = "" }.ConnectionString;
            await using (var connection = new MySqlConnector.MySqlConnection(admin))
                await connection.ExecuteAsync($"CREATE DATABASE `{name}` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin");
            try
            {
                await LookupOnAsync(dir, count, new MySqlConnector.MySqlConnectionStringBuilder(server) { Database = name }.ConnectionString);
            }
            finally
            {
                await using var connection = new MySqlConnector.MySqlConnection(admin);
                await connection.ExecuteAsync($"DROP DATABASE IF EXISTS `{name}`");
            }
        }
    }

    private static async Task LookupOnAsync(string dir, int count, string? mysql)
    {
        var engine = mysql is null ? "SQLite" : "MariaDB";
        await using var sp = await ClipBinAsync(dir, mysql);
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
        Console.WriteLine(string.Create(Inv, $"Lookup ({engine}): {count:N0} fingerprints of 220 items stored in {clock.Elapsed.TotalSeconds:0.0} s"));

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
            $"Lookup ({engine}) of one new clip among {count:N0}: p50 {p50:0.00} ms, p95 {p95:0.00} ms (target < 5 ms); {known} of 100 known clips found, {wrong} of 100 new clips matched wrongly"));
        Console.WriteLine(string.Create(Inv,
            $"  baseline, a scan of every stored fingerprint for one clip: {scan.Elapsed.TotalMilliseconds:0} ms ({scanned:N0} compared): the index is {scan.Elapsed.TotalMilliseconds / p50:0}x faster"));
    }
}
