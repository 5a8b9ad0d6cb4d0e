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
//   dotnet run -c Release --project bench/server -- [--clips N] [--clients 50] [--requests 2000]
var clips = 1_000_000;
var clients = 50;
var requests = 2000;
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--clips": clips = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
        case "--clients": clients = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
        case "--requests": requests = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
        default: Console.Error.WriteLine($"unknown argument {args[i]}"); return 2;
    }
}

const int Games = 50;
var data = Path.Combine(Path.GetTempPath(), $"tccg-bench-server-{Environment.ProcessId}");
Directory.CreateDirectory(Path.Combine(data, "clips"));
var ct = CancellationToken.None;
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"server benchmark: {clips:N0} clips over {Games} games, {clients} clients"));
try
{
    // 1. The clip bin, filled through the store (bulk upsert), 40% marked downloaded.
    var db = new TccgDatabase(DatabaseProvider.Sqlite, $"Data Source={Path.Combine(data, "tccg.db")}");
    await new MigrationRunner(db).MigrateAsync(ct);
    var store = new ClipStore(db, TimeProvider.System);
    var seed = Stopwatch.StartNew();
    for (var start = 0; start < clips; start += 100_000)
        await store.UpsertFoundAsync(Enumerable.Range(start, Math.Min(100_000, clips - start)).Select(Clip).ToList(), ct);
    var media = Path.Combine(data, "clips", "bench.mp4");
    var payload = new byte[64 << 20];
    new Random(7).NextBytes(payload);
    await File.WriteAllBytesAsync(media, payload, ct);
    await using (var c = await db.OpenAsync(ct))
    {
        await c.ExecuteAsync("UPDATE clips SET status = 'downloaded', file_path = 'clips/bench.mp4', downloaded_at = found_at WHERE view_count % 10 < 4", commandTimeout: 600);
        await c.ExecuteAsync("ANALYZE", commandTimeout: 600, commandType: System.Data.CommandType.Text);
    }

    await new UserStore(db, TimeProvider.System).AddAsync("bench", "bench-password", UserRole.Editor, ct);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  seeded in {seed.Elapsed.TotalSeconds:0.0} s"));

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
        var compilation = await (await http.PostAsJsonAsync("/api/v1/compilations", new { name = "bench", gameId = GameId(0) }, ct))
            .EnsureSuccessStatusCode().Content.ReadFromJsonAsync<JsonElement>(ct);
        var compilationId = compilation.GetProperty("id").GetInt64();
        var rssIdle = Rss(server.Id);

        // Baseline: the same "next clips" query straight on the store, one at a time, no HTTP.
        var baseline = await MeasureAsync(1, 200, async i => await store.NextToReviewAsync(GameId(i % Games), compilationId, 20, ct));
        var health = await MeasureAsync(clients, requests, async _ => (await http.GetAsync("/healthz", ct)).EnsureSuccessStatusCode());
        var rssAfterHealth = PeakRss(server.Id);
        var next = await MeasureAsync(clients, requests, async i =>
            (await http.GetAsync($"/api/v1/compilations/{compilationId}/next?count=20", ct)).EnsureSuccessStatusCode());
        var rssAfterNext = PeakRss(server.Id);
        var list = await MeasureAsync(clients, requests, async i =>
            (await http.GetAsync($"/api/v1/clips?game={GameId(i % Games)}&status=Downloaded&limit=50", ct)).EnsureSuccessStatusCode());
        var rssPeak = PeakRss(server.Id);
        var (anon, file) = (StatusKb(server.Id, "RssAnon:") * 1024, StatusKb(server.Id, "RssFile:") * 1024);

        // Streaming: the media endpoint against reading the file raw, both from the page cache.
        var clipId = (await store.QueryAsync(new ClipQuery { Status = Tccg.Core.Clips.ClipStatus.Downloaded, Limit = 1 }, ct)).Items[0].Id;
        var raw = await ThroughputAsync(async () =>
        {
            await using var f = File.OpenRead(media);
            return await DrainAsync(f);
        });
        var streamed = await ThroughputAsync(async () =>
        {
            using var response = await http.GetAsync($"/api/v1/clips/{clipId}/media", HttpCompletionOption.ResponseHeadersRead, ct);
            await using var body = await response.EnsureSuccessStatusCode().Content.ReadAsStreamAsync(ct);
            return await DrainAsync(body);
        });

        Console.WriteLine();
        Console.WriteLine($"{"",-46}{"p50 ms",10}{"p95 ms",10}{"p95/baseline",14}");
        Row("store NextToReview, 1 caller (baseline)", baseline, baseline);
        Row($"GET /healthz, {clients} clients", health, baseline);
        Row($"GET /compilations/{{id}}/next, {clients} clients", next, baseline);
        Row($"GET /clips?game&status, {clients} clients", list, baseline);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  target: p95 of both endpoints <= 30 ms -> {(next.P95 <= 30 && list.P95 <= 30 ? "met" : "MISSED")}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"server RSS: idle {rssIdle / 1048576.0:0} MB, peak after /healthz {rssAfterHealth / 1048576.0:0} MB, after next {rssAfterNext / 1048576.0:0} MB, peak {rssPeak / 1048576.0:0} MB (target <= 250 MB) -> {(rssPeak <= 250L << 20 ? "met" : "MISSED")}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  now: {anon / 1048576.0:0} MB private memory + {file / 1048576.0:0} MB file pages (the SQLite file mapped into memory, shared with the page cache)"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"media streaming: {streamed:0} MB/s vs raw file read {raw:0} MB/s = {streamed / raw:0.00} (target >= 0.8) -> {(streamed / raw >= 0.8 ? "met" : "MISSED")}"));
    }
    finally
    {
        server.Kill(entireProcessTree: true);
        await server.WaitForExitAsync(ct);
    }
}
finally
{
    Directory.Delete(data, recursive: true);
}

return 0;

static string GameId(int g) => (10_000 + g).ToString(CultureInfo.InvariantCulture);

static FoundClip Clip(int n) => new()
{
    TwitchClipId = $"BenchClip{n:D8}",
    Url = $"https://clips.twitch.tv/BenchClip{n:D8}",
    BroadcasterId = (n % 5000).ToString(CultureInfo.InvariantCulture),
    BroadcasterName = $"streamer{n % 5000}",
    GameId = GameId(n % Games),
    Language = "en",
    Title = $"clip {n}",
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

static async Task<Percentiles> MeasureAsync(int parallel, int total, Func<int, Task> run)
{
    var times = new double[total];
    var next = -1;
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
    Array.Sort(times);
    return new Percentiles(times[total / 2], times[(int)(total * 0.95)]);
}

static async Task<double> ThroughputAsync(Func<Task<long>> read)
{
    await read(); // warm
    var watch = Stopwatch.StartNew();
    long bytes = 0;
    for (var i = 0; i < 5; i++)
        bytes += await read();
    return bytes / 1048576.0 / watch.Elapsed.TotalSeconds;
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
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name,-46}{p.P50,10:0.00}{p.P95,10:0.00}{p.P95 / baseline.P95,14:0.0}"));

internal sealed record Percentiles(double P50, double P95);
