using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Tccg.Core.Configuration;
using Tccg.Storage.Accounts;
using Tccg.Storage.Clips;
using Tccg.Storage.Compilations;
using Tccg.Storage.Database;

// bench/server: a clip bin of N clips (default 1,000,000), a real `tccg server` process on loopback,
// 50 concurrent clients on the review "next clips" and clip-list endpoints, server RSS, and clip media
// streaming throughput against reading the same file raw. Ratios are against baselines measured in this run.
// The clip browser's query (GET /api/v1/clips with the browser's filters, sorts and cursors) is measured too;
// --browser-only measures just that.
//   dotnet run -c Release --project bench/server -- [--clips N] [--clients 50] [--requests 2000] [--browser-only [--only K]] [--data DIR]
var clips = 1_000_000;
var browserOnly = false;
var clients = 50;
var requests = 2000;
string? dataArg = null;
int? only = null; // --only K: just the browser's filter kind K (0-9), e.g. to profile it
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--clips": clips = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
        case "--clients": clients = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
        case "--requests": requests = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
        case "--browser-only": browserOnly = true; break;
        case "--data": dataArg = args[++i]; break;
        case "--only": only = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
        default: Console.Error.WriteLine($"unknown argument {args[i]}"); return 2;
    }
}

const int Games = 50;
// --data DIR keeps the seeded clip bin there and reuses it on the next run with the same --clips (seeding a million
// clips takes minutes).
var data = dataArg ?? Path.Combine(Path.GetTempPath(), $"tccg-bench-server-{Environment.ProcessId}");
var reuse = dataArg is not null && File.Exists(Path.Combine(data, "seeded-" + clips.ToString(CultureInfo.InvariantCulture)));
if (dataArg is not null && !reuse && Directory.Exists(data) && Directory.EnumerateFileSystemEntries(data).Any())
{
    // Seeded for another --clips, not finished, or not a bench folder at all: nothing here is deleted or seeded over.
    Console.Error.WriteLine($"--data {data}: not a clip bin this bench seeded with {clips} clips; give an empty or new folder");
    return 2;
}
Directory.CreateDirectory(Path.Combine(data, "clips"));
if (only is < 0 or > 9)
{
    Console.Error.WriteLine("--only takes a filter kind from 0 to 9");
    return 2;
}
var ct = CancellationToken.None;
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"server benchmark: {clips:N0} clips over {Games} games, {clients} clients"));
try
{
    // 1. The clip bin, filled through the store (bulk upsert), 40% marked downloaded.
    var db = new TccgDatabase(DatabaseProvider.Sqlite, $"Data Source={Path.Combine(data, "tccg.db")}");
    await new MigrationRunner(db).MigrateAsync(ct);
    var store = new ClipStore(db, TimeProvider.System);
    var seed = Stopwatch.StartNew();
    var media = Path.Combine(data, "clips", "bench.mp4");
    const int payloadMb = 256;
    if (!reuse)
    {
        for (var start = 0; start < clips; start += 100_000)
            await store.UpsertFoundAsync(Enumerable.Range(start, Math.Min(100_000, clips - start)).Select(Clip).ToList(), ct);
        var payload = new byte[payloadMb << 20];
        new Random(7).NextBytes(payload);
        await using (var written = new FileStream(media, FileMode.Create, FileAccess.Write))
        {
            await written.WriteAsync(payload, ct);
            written.Flush(flushToDisk: true); // clean pages, so they can be dropped from the page cache later
        }
        payload = null;
        await using (var c = await db.OpenAsync(ct))
        {
            await c.ExecuteAsync("UPDATE clips SET status = 'downloaded', file_path = 'clips/bench.mp4', downloaded_at = found_at WHERE view_count % 10 < 4", commandTimeout: 600);
            await c.ExecuteAsync("ANALYZE", commandTimeout: 600, commandType: System.Data.CommandType.Text);
            // A running server's log is checkpointed as it goes (SQLite's auto-checkpoint); the bulk seed leaves a large one.
            await c.ExecuteAsync("PRAGMA wal_checkpoint(TRUNCATE)", commandTimeout: 600, commandType: System.Data.CommandType.Text);
        }

        await new UserStore(db, TimeProvider.System).AddAsync("bench", "bench-password", UserRole.Editor, ct);
        await File.WriteAllTextAsync(Path.Combine(data, "seeded-" + clips.ToString(CultureInfo.InvariantCulture)), "", ct);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  seeded in {seed.Elapsed.TotalSeconds:0.0} s"));
    }
    else
    {
        Console.WriteLine($"  reusing the clip bin in {data}");
    }

    // 2. A real server process.
    var port = FreePort();
    var tccg = Path.Combine(AppContext.BaseDirectory, "tccg.dll");
    using var server = Process.Start(new ProcessStartInfo("dotnet", [tccg, "server", "--data", data, "--urls", $"http://127.0.0.1:{port}",
        "--set", "Tccg:Server:Automation=false", "--set", "Tccg:Server:InProcessGenerator=false"])
    { RedirectStandardOutput = true, RedirectStandardError = true })!;
    _ = server.StandardOutput.ReadToEndAsync(ct);
    _ = server.StandardError.ReadToEndAsync(ct);
    try
    {
        using var http = new HttpClient(new SocketsHttpHandler { UseCookies = true, MaxConnectionsPerServer = clients })
        { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        await WaitForAsync(http);
        var login = await http.PostAsJsonAsync("/api/v1/auth/login", new { name = "bench", password = "bench-password" }, ct);
        login.EnsureSuccessStatusCode();
        var csrf = (await login.Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("csrfToken").GetString();
        http.DefaultRequestHeaders.Add("X-CSRF-TOKEN", csrf);
        if (browserOnly)
        {
            var storeBaseline = await MeasureAsync(0, 1, 200, async i => await store.QueryAsync(new ClipQuery { GameId = GameId(i % Games), Limit = 50, ListingOnly = true }, ct));
            await MeasureBrowserAsync(http, store, server.Id, clients, requests, storeBaseline, ct, only);
            return 0;
        }
        var compilation = await (await http.PostAsJsonAsync("/api/v1/compilations", new { name = "bench", gameId = GameId(0) }, ct))
            .EnsureSuccessStatusCode().Content.ReadFromJsonAsync<JsonElement>(ct);
        var compilationId = compilation.GetProperty("id").GetInt64();
        var rssIdle = Rss(server.Id);

        // Baseline: the same "next clips" query straight on the store, one at a time, no HTTP.
        var baseline = await MeasureAsync(0, 1, 200, async i => await store.NextToReviewAsync(GameId(i % Games), compilationId, 20, ct));
        var health = await MeasureAsync(server.Id, clients, requests, async _ => (await http.GetAsync("/healthz", ct)).EnsureSuccessStatusCode());
        var rssAfterHealth = PeakRss(server.Id);
        var version = await MeasureAsync(server.Id, clients, requests, async _ => (await http.GetAsync("/api/v1/version", ct)).EnsureSuccessStatusCode());
        var one = await MeasureAsync(server.Id, clients, requests, async _ => (await http.GetAsync($"/api/v1/compilations/{compilationId}", ct)).EnsureSuccessStatusCode());
        var next = await MeasureAsync(server.Id, clients, requests, async i =>
            (await http.GetAsync($"/api/v1/compilations/{compilationId}/next?count=20", ct)).EnsureSuccessStatusCode());
        var rssAfterNext = PeakRss(server.Id);
        var list = await MeasureAsync(server.Id, clients, requests, async i =>
            (await http.GetAsync($"/api/v1/clips?game={GameId(i % Games)}&status=Downloaded&limit=50", ct)).EnsureSuccessStatusCode());
        var browse = await MeasureBrowserAsync(http, store, server.Id, clients, requests, baseline, ct);
        var rssPeak = PeakRss(server.Id);
        var (anon, file) = (StatusKb(server.Id, "RssAnon:") * 1024, StatusKb(server.Id, "RssFile:") * 1024);

        // Streaming: the media endpoint against reading the file raw. The baseline is the file read from disk (its pages
        // dropped from the page cache first), the way a clip bin far larger than memory is served; the same comparison
        // from the page cache is printed too (there the baseline is a memory copy, which no socket can match).
        var clipId = (await store.QueryAsync(new ClipQuery { Status = Tccg.Core.Clips.ClipStatus.Downloaded, Limit = 1 }, ct)).Items[0].Id;
        Func<Task<long>> readRaw = async () =>
        {
            await using var f = File.OpenRead(media);
            return await DrainAsync(f);
        };
        Func<Task<long>> readHttp = async () =>
        {
            using var response = await http.GetAsync($"/api/v1/clips/{clipId}/media", HttpCompletionOption.ResponseHeadersRead, ct);
            await using var body = await response.EnsureSuccessStatusCode().Content.ReadAsStreamAsync(ct);
            return await DrainAsync(body);
        };
        var coldOk = DropFromPageCache(media);
        var rawCold = await ThroughputAsync(readRaw, () => DropFromPageCache(media));
        var streamedCold = await ThroughputAsync(readHttp, () => DropFromPageCache(media));
        var rawWarm = await ThroughputAsync(readRaw, null);
        var streamedWarm = await ThroughputAsync(readHttp, null);

        Console.WriteLine();
        Console.WriteLine($"{"",-46}{"p50 ms",10}{"p95 ms",10}{"p95/baseline",14}{"server CPU",12}{"client CPU",12}{"warm-up s",10}");
        Console.WriteLine($"{"",-80}{"(ms of CPU a request)",-24}");
        Row("store NextToReview, 1 caller (baseline)", baseline, baseline);
        Row($"GET /healthz, {clients} clients", health, baseline);
        Row($"GET /version (auth only), {clients} clients", version, baseline);
        Row($"GET /compilations/{{id}}, {clients} clients", one, baseline);
        Row($"GET /compilations/{{id}}/next, {clients} clients", next, baseline);
        Row($"GET /clips?game&status, {clients} clients", list, baseline);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  target: p95 of both endpoints <= 30 ms -> {(next.P95 <= 30 && list.P95 <= 30 ? "met" : "MISSED")}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"server RSS: idle {rssIdle / 1048576.0:0} MB, peak after /healthz {rssAfterHealth / 1048576.0:0} MB, after next {rssAfterNext / 1048576.0:0} MB, peak {rssPeak / 1048576.0:0} MB (target <= 250 MB) -> {(rssPeak <= 250L << 20 ? "met" : "MISSED")}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  now: {anon / 1048576.0:0} MB private memory + {file / 1048576.0:0} MB file pages (mapped program files: the runtime and assemblies)"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"media streaming ({payloadMb} MB file, {(coldOk ? "read from disk" : "page cache could NOT be dropped: figures are warm")}): {streamedCold:0} MB/s over HTTP vs {rawCold:0} MB/s raw file read = {streamedCold / rawCold:0.00} (target >= 0.8) -> {(streamedCold / rawCold >= 0.8 ? "met" : "MISSED")}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  from the page cache: {streamedWarm:0} MB/s over HTTP vs {rawWarm:0} MB/s memory copy = {streamedWarm / rawWarm:0.00}"));
    }
    finally
    {
        server.Kill(entireProcessTree: true);
        await server.WaitForExitAsync(ct);
    }
}
finally
{
    if (dataArg is not null || Environment.GetEnvironmentVariable("TCCG_BENCH_KEEP") == "1")
        Console.WriteLine("kept " + data);
    else
        Directory.Delete(data, recursive: true);
}

return 0;

// The clip browser: filtered pages at this many clips, each filter kind in turn (one request each), a second page by cursor too.
static async Task<Percentiles> MeasureBrowserAsync(HttpClient http, ClipStore store, int serverPid, int clients, int requests, Percentiles baseline, CancellationToken ct, int? only = null)
{
    var cursors = new string[Games];
    for (var g = 0; g < Games; g++)
        cursors[g] = (await store.QueryAsync(new ClipQuery { GameId = GameId(g), Order = ClipOrder.NewestFirst, MinViews = 100_000, Limit = 50 }, ct)).NextCursor!;
    // Every filter kind of the browser, one at a time, then all mixed; at most a few thousand clips match most of them,
    // some match nothing (a whole game walked), and "all clips" is the page the browser opens with.
    var filters = new Func<int, string>[]
    {
        _ => "sort=views",
        i => $"game={GameId(i % Games)}&sort=views",
        i => $"game={GameId(i % Games)}&language=ja&sort=views",
        i => $"game={GameId(i % Games)}&minViews=100000&sort=date",
        i => $"game={GameId(i % Games)}&minViews=100000&sort=date&after={Uri.EscapeDataString(cursors[i % Games])}",
        i => $"game={GameId(i % Games)}&q=clip+{10 + (i % 89)}&sort=views",
        i => $"q={WordList.Items[i % WordList.Items.Length]}+{WordList.Items[(i / 3) % WordList.Items.Length]}&sort=date",
        i => $"streamer=streamer{(i * 7) % 5000}&sort=views",
        i => $"game={GameId(i % Games)}&from=2024-09-01T00:00:00Z&before=2024-09-20T00:00:00Z&status=Found&sort=date",
        i => $"game={GameId(i % Games)}&status=Downloaded&language=en&minViews=200000&minDuration=20&maxDuration=40&sort=views",
    };
    string[] names = ["all clips (the opening page)", "game only", "game+language (5%)", "game+min views, by date", "…its second page (cursor)",
        "game+title text", "title text, any game", "streamer (any game)", "game+date range+status, by date", "game+status+language+views+duration"];
    var all = new List<Percentiles>();
    foreach (var (filter, name, kind) in filters.Zip(names, Enumerable.Range(0, filters.Length)))
    {
        if (only is { } k && kind != k)
            continue;
        var p = await MeasureAsync(serverPid, clients, requests / 2, async i =>
            (await http.GetAsync("/api/v1/clips?limit=50&" + filter(i), ct)).EnsureSuccessStatusCode());
        Row($"clip browser: {name}", p, baseline);
        all.Add(p);
    }
    if (only is not null)
        return all[0];
    var mixed = await MeasureAsync(serverPid, clients, requests, async i =>
        (await http.GetAsync("/api/v1/clips?limit=50&" + filters[i % filters.Length](i / filters.Length), ct)).EnsureSuccessStatusCode());
    Row($"clip browser, all kinds mixed, {clients} clients", mixed, baseline);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"  target: clip browser p95 <= 50 ms -> {(mixed.P95 <= 50 && all.All(p => p.P95 <= 50) ? "met" : "MISSED")} (worst kind p95 {all.Max(p => p.P95):0.0} ms)"));
    return mixed;
}

static string GameId(int g) => (10_000 + g).ToString(CultureInfo.InvariantCulture);

static FoundClip Clip(int n) => new()
{
    TwitchClipId = $"BenchClip{n:D8}",
    Url = $"https://clips.twitch.tv/BenchClip{n:D8}",
    BroadcasterId = (n % 5000).ToString(CultureInfo.InvariantCulture),
    BroadcasterName = $"streamer{n % 5000}",
    GameId = GameId(n % Games),
    Language = n % 20 == 0 ? "ja" : n % 5 == 1 ? "de" : "en",
    Title = $"{WordList.Items[n % WordList.Items.Length]} {WordList.Items[n / WordList.Items.Length % WordList.Items.Length]} clip {n}",
    ViewCount = (int)((uint)(n * 2654435761u) % 1_000_000),
    CreatedAt = DateTimeOffset.UnixEpoch.AddDays(20_000).AddMinutes(-(n % 40_000)),
    Duration = 10 + n % 50,
    VideoId = "",
};

static int FreePort()
{
    using var l = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
    l.Start();
    return ((System.Net.IPEndPoint)l.LocalEndpoint).Port;
}

static async Task WaitForAsync(HttpClient http)
{
    for (var i = 0; i < 300; i++)
    {
        try
        {
            if ((await http.GetAsync("/healthz")).IsSuccessStatusCode)
                return;
        }
        catch (HttpRequestException)
        {
        }

        await Task.Delay(200);
    }

    throw new InvalidOperationException("the server did not start");
}

// serverPid: the process whose CPU is counted per request (0: none, for the in-process baseline).
static async Task<Percentiles> MeasureAsync(int serverPid, int parallel, int total, Func<int, Task> run)
{
    // Warm-up (not timed), as in a server that has been up a while: the runtime compiles hot code twice (a quick first
    // tier, then optimised code once calls have been counted), so rounds of the same load run until two in a row
    // agree within 5% and, for the server process, its tiered-compilation thread did no work in the last round (it
    // recompiles hot methods in the background for tens of seconds under load; measured before it finishes, its CPU
    // time counts against every request). At most 20 s in process, 60 s against the server.
    var warm = Stopwatch.StartNew();
    double previous = 0;
    var compiler = serverPid == 0 ? 0 : CompilerTicks(serverPid);
    var longest = TimeSpan.FromSeconds(serverPid == 0 ? 20 : 60);
    for (var round = 0; warm.Elapsed < longest; round++)
    {
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, parallel).Select(async p => { for (var k = 0; k < 20; k++) await run(p * 20 + k); }));
        var rate = parallel * 20 / clock.Elapsed.TotalSeconds;
        var compiled = serverPid == 0 ? 0 : CompilerTicks(serverPid);
        if (round >= 3 && Math.Abs(rate - previous) <= 0.05 * previous && compiled == compiler)
            break;
        previous = rate;
        compiler = compiled;
        await Task.Delay(150); // lets the runtime's background compiler catch up, as idle moments do in a real server
    }
    var warmUp = warm.Elapsed;
    var times = new double[total];
    var next = -1;
    var cpuBefore = serverPid == 0 ? 0 : CpuTicks(serverPid);
    var selfBefore = Process.GetCurrentProcess().TotalProcessorTime;
    await Task.WhenAll(Enumerable.Range(0, parallel).Select(async _ =>
    {
        int i;
        while ((i = Interlocked.Increment(ref next)) < total)
        {
            var watch = Stopwatch.StartNew();
            await run(i);
            times[i] = watch.Elapsed.TotalMilliseconds;
        }
    }));
    var serverCpuMs = serverPid == 0 ? 0 : (CpuTicks(serverPid) - cpuBefore) * 10.0 / total;
    var clientCpuMs = (Process.GetCurrentProcess().TotalProcessorTime - selfBefore).TotalMilliseconds / total;
    Array.Sort(times);
    return new Percentiles(times[total / 2], times[(int)(total * 0.95)], serverCpuMs, clientCpuMs, warmUp.TotalSeconds);
}

static async Task<double> ThroughputAsync(Func<Task<long>> read, Func<bool>? beforeEach)
{
    await read(); // warm the code paths
    var elapsed = TimeSpan.Zero;
    long bytes = 0;
    for (var i = 0; i < 5; i++)
    {
        beforeEach?.Invoke();
        var watch = Stopwatch.StartNew();
        bytes += await read();
        elapsed += watch.Elapsed;
    }
    return bytes / 1048576.0 / elapsed.TotalSeconds;
}

// posix_fadvise(POSIX_FADV_DONTNEED) drops a file's clean pages from the page cache (no root needed).
static bool DropFromPageCache(string path)
{
    using var handle = File.OpenHandle(path);
    return Native.posix_fadvise((int)handle.DangerousGetHandle(), 0, 0, 4) == 0;
}

static async Task<long> DrainAsync(Stream s)
{
    var buffer = new byte[81920];
    long total = 0;
    int n;
    while ((n = await s.ReadAsync(buffer)) > 0)
        total += n;
    return total;
}

static long Rss(int pid) => StatusKb(pid, "VmRSS:") * 1024;

static long PeakRss(int pid) => StatusKb(pid, "VmHWM:") * 1024;

static long StatusKb(int pid, string key) =>
    long.Parse(File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith(key, StringComparison.Ordinal))[key.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);

static void Row(string name, Percentiles p, Percentiles baseline) =>
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name,-46}{p.P50,10:0.00}{p.P95,10:0.00}{p.P95 / baseline.P95,14:0.0}{p.ServerCpuMs,12:0.000}{p.ClientCpuMs,12:0.000}{p.WarmUpSeconds,10:0.0}"));

// CPU ticks of the runtime's tiered-compilation thread (named ".NET Tiered Com" in /proc, the name cut to 15 characters).
static long CompilerTicks(int pid)
{
    long ticks = 0;
    foreach (var task in Directory.EnumerateDirectories($"/proc/{pid}/task"))
    {
        try
        {
            if (File.ReadAllText(Path.Combine(task, "comm")).StartsWith(".NET Tiered Com", StringComparison.Ordinal))
                ticks += StatTicks(File.ReadAllText(Path.Combine(task, "stat")));
        }
        catch (IOException)
        {
            // the thread ended
        }
    }
    return ticks;
}

static long StatTicks(string stat)
{
    var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
    return long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
}

// Server CPU per request: utime + stime (clock ticks of 10 ms) from /proc/PID/stat, over the timed requests.
static long CpuTicks(int pid) => StatTicks(File.ReadAllText($"/proc/{pid}/stat"));

// Title words: "word word clip N"; two given words in a row match about one clip in 1,200.
internal static class WordList
{
    public static readonly string[] Items =
    [
        "insane", "clutch", "fail", "funny", "rage", "ace", "pog", "wholesome", "scary", "glitch", "speedrun", "boss",
        "headshot", "comeback", "troll", "chat", "donation", "raid", "dance", "song", "noscope", "throw", "win", "loss",
        "jumpscare", "bug", "record", "duo", "squad", "final", "lucky", "unlucky", "epic", "cringe", "moment",
    ];
}

internal sealed record Percentiles(double P50, double P95, double ServerCpuMs, double ClientCpuMs, double WarmUpSeconds);

internal static class Native
{
    [System.Runtime.InteropServices.DllImport("libc", SetLastError = true)]
#pragma warning disable SYSLIB1054, CA5392 // a bench: the plain DllImport is fine
    public static extern int posix_fadvise(int fd, long offset, long len, int advice);
#pragma warning restore SYSLIB1054, CA5392
}
