using System.Diagnostics;
using System.Globalization;
using Dapper;
using MySqlConnector;
using Tccg.Core.Clips;
using Tccg.Core.Configuration;
using Tccg.Storage;
using Tccg.Storage.Clips;
using Tccg.Storage.Compilations;
using Tccg.Storage.Database;

// Fills a clip bin with N clips over 50 games on SQLite and on MariaDB and prints the bulk upsert rate
// and p50/p95 of the editor's and dashboard's hot queries, side by side.
//   dotnet run -c Release --project bench/clipbin -- [--clips N] [--mysql CONNECTION] [--sqlite-only]
var clips = 1_000_000;
var mysql = Environment.GetEnvironmentVariable("TCCG_TEST_MYSQL") is { Length: > 0 } env ? env
    : "Server=127.0.0.1;Port=33071;User ID=tccg;Password=tccg;Database=tccg_test";
var sqliteOnly = false;
var upsertOnly = false;
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--clips": clips = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
        case "--mysql": mysql = args[++i]; break;
        case "--sqlite-only": sqliteOnly = true; break;
        case "--upsert-only": upsertOnly = true; break;
        default: Console.Error.WriteLine($"unknown argument {args[i]}"); return 2;
    }
}

const int Games = 50;
const int BatchSize = 100_000; // clips per UpsertFoundAsync call (one transaction)
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"clip bin benchmark: {clips:N0} clips over {Games} games"));
var results = new List<Result>();

var sqliteFile = Path.Combine(Path.GetTempPath(), $"tccg-clipbin-{Environment.ProcessId}.db");
results.Add(await RunAsync("SQLite", new TccgDatabase(DatabaseProvider.Sqlite, $"Data Source={sqliteFile}")));
foreach (var suffix in new[] { "", "-wal", "-shm" })
    File.Delete(sqliteFile + suffix);

if (!sqliteOnly)
{
    var name = "tccg_bench_" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture);
    var server = new MySqlConnectionStringBuilder(mysql) { Database = "" };
    await using (var c = new MySqlConnection(server.ConnectionString))
        await c.ExecuteAsync($"CREATE DATABASE `{name}` CHARACTER SET utf8mb4");
    try
    {
        results.Add(await RunAsync("MariaDB", new TccgDatabase(DatabaseProvider.MySql, new MySqlConnectionStringBuilder(mysql) { Database = name }.ConnectionString)));
    }
    finally
    {
        await using var c = new MySqlConnection(server.ConnectionString);
        await c.ExecuteAsync($"DROP DATABASE IF EXISTS `{name}`");
    }
}

Console.WriteLine();
Console.WriteLine($"{"",-40}" + string.Concat(results.Select(r => $"{r.Provider,14}")) + (results.Count == 2 ? $"{"MariaDB/SQLite",16}" : ""));
Row("bulk upsert, new clips (clips/s)", r => r.InsertRate, "N0");
Row("bulk upsert, re-found clips (clips/s)", r => r.RefreshRate, "N0");
Row("next 20 to review p50 (ms)", r => r.Review.P50, "F2");
Row("next 20 to review p95 (ms)", r => r.Review.P95, "F2");
Row("counts per game and status p50 (ms)", r => r.Counts.P50, "F2");
Row("counts per game and status p95 (ms)", r => r.Counts.P95, "F2");
Row("one clip by Twitch id p50 (ms)", r => r.ById.P50, "F2");
Row("one clip by Twitch id p95 (ms)", r => r.ById.P95, "F2");
Row("page 3 by views p95 (ms)", r => r.Page.P95, "F2");
Row("page 2 newest first p95 (ms)", r => r.Newest.P95, "F2");
Row("10 clips due for download p95 (ms)", r => r.Due.P95, "F2");
Console.WriteLine();
Console.WriteLine("targets: upsert >= 20,000 clips/s on SQLite; every hot query p95 <= 20 ms on both");
var sqlite = results[0];
var ok = sqlite.InsertRate >= 20_000 && results.All(r => r.Review.P95 <= 20 && r.Counts.P95 <= 20 && r.ById.P95 <= 20);
Console.WriteLine(ok ? "all targets met" : "TARGET MISSED");
return ok ? 0 : 1;

void Row(string label, Func<Result, double> value, string format)
{
    var values = results.Select(value).ToList();
    Console.WriteLine($"{label,-40}" + string.Concat(values.Select(v => v.ToString(format, CultureInfo.InvariantCulture).PadLeft(14)))
        + (values.Count == 2 ? (values[1] / values[0]).ToString("F2", CultureInfo.InvariantCulture).PadLeft(16) : ""));
}

async Task<Result> RunAsync(string provider, TccgDatabase database)
{
    var ct = CancellationToken.None;
    await new MigrationRunner(database).MigrateAsync(ct);
    var store = new ClipStore(database, TimeProvider.System);
    var compilations = new CompilationStore(database, TimeProvider.System);
    var random = new Random(42);
    var all = Enumerable.Range(0, clips).Select(i => MakeClip(i, random)).ToList();

    Console.Write($"{provider}: inserting… ");
    var cpu = Process.GetCurrentProcess().TotalProcessorTime;
    var watch = Stopwatch.StartNew();
    foreach (var batch in all.Chunk(BatchSize))
        await store.UpsertFoundAsync(batch, ct);
    var insertRate = clips / watch.Elapsed.TotalSeconds;
    var insertCpu = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
    Console.Write(string.Create(CultureInfo.InvariantCulture, $"{insertRate:N0}/s ({clips / insertCpu:N0} per CPU second of this process); re-finding… "));
    if (upsertOnly)
    {
        Console.WriteLine();
        return new Result(provider, insertRate, 0, new(0, 0), new(0, 0), new(0, 0), new(0, 0), new(0, 0), new(0, 0));
    }

    var refresh = all.Take(Math.Min(clips, 100_000)).Select(c => c with { ViewCount = c.ViewCount + 1 }).ToList();
    watch.Restart();
    foreach (var batch in refresh.Chunk(BatchSize))
        await store.UpsertFoundAsync(batch, ct);
    var refreshRate = refresh.Count / watch.Elapsed.TotalSeconds;
    Console.Write(string.Create(CultureInfo.InvariantCulture, $"{refreshRate:N0}/s; marking 40% downloaded… "));

    // 40% downloaded, 10% used, 5% failed, the rest found: set in bulk (the per-clip path is tested elsewhere).
    await using (var connection = await database.OpenAsync(ct))
    {
        await connection.ExecuteAsync("UPDATE clips SET status = 'downloaded', file_path = 'clips/x.mp4', downloaded_at = found_at WHERE view_count % 20 < 8", commandTimeout: 600);
        await connection.ExecuteAsync("UPDATE clips SET status = 'used' WHERE view_count % 20 IN (8, 9)", commandTimeout: 600);
        await connection.ExecuteAsync("UPDATE clips SET status = 'failed', next_retry_at = found_at WHERE view_count % 20 = 10", commandTimeout: 600);
        if (database.Provider == DatabaseProvider.Sqlite)
            await connection.ExecuteAsync("ANALYZE", commandTimeout: 600, commandType: System.Data.CommandType.Text);
        else
            await connection.ExecuteAsync("ANALYZE TABLE clips, review_decisions, clip_counts", commandTimeout: 600);
    }

    // A compilation per game that already decided its 200 most viewed downloaded clips.
    var compilationIds = new long[Games];
    for (var g = 0; g < Games; g++)
    {
        var compilation = await compilations.CreateAsync(new Compilation { Name = $"bench {g}", GameId = GameId(g) }, ct);
        compilationIds[g] = compilation.Id;
        foreach (var clip in await store.NextToReviewAsync(GameId(g), compilation.Id, 200, ct))
            await compilations.DecideAsync(compilation.Id, clip.Id, null, clip.Id % 3 == 0 ? ReviewDecision.Keep : ReviewDecision.Skip, ct);
    }
    Console.WriteLine("measuring.");

    var review = await MeasureAsync(async i =>
    {
        var g = i % Games;
        var next = await store.NextToReviewAsync(GameId(g), compilationIds[g], 20, ct);
        if (next.Count != 20)
            throw new InvalidOperationException("the review query returned too few clips");
    });
    var counts = await MeasureAsync(async _ =>
    {
        if ((await store.CountsAsync(null, ct)).Count < Games)
            throw new InvalidOperationException("counts are missing games");
    });
    var byId = await MeasureAsync(async i =>
    {
        if (await store.GetByTwitchIdAsync(all[random.Next(all.Count)].TwitchClipId, ct) is null)
            throw new InvalidOperationException("clip not found");
    });
    var page = await MeasureTimedAsync(async i =>
    {
        var query = new ClipQuery { GameId = GameId(i % Games), Status = ClipStatus.Downloaded, Limit = 50 };
        var p1 = await store.QueryAsync(query, ct);
        var p2 = await store.QueryAsync(query with { After = p1.NextCursor }, ct);
        var watch = Stopwatch.StartNew();
        await store.QueryAsync(query with { After = p2.NextCursor }, ct);
        return watch.Elapsed.TotalMilliseconds;
    });
    var newest = await MeasureTimedAsync(async i =>
    {
        var query = new ClipQuery { GameId = GameId(i % Games), Status = ClipStatus.Downloaded, Order = ClipOrder.NewestFirst, Limit = 50 };
        var p1 = await store.QueryAsync(query, ct);
        var watch = Stopwatch.StartNew();
        await store.QueryAsync(query with { After = p1.NextCursor }, ct);
        return watch.Elapsed.TotalMilliseconds;
    });
    var due = await MeasureAsync(async _ => await store.DueForDownloadAsync(10, ct));
    return new Result(provider, insertRate, refreshRate, review, counts, byId, page, newest, due);
}

static async Task<Percentiles> MeasureAsync(Func<int, Task> run) => await MeasureTimedAsync(async i =>
{
    var watch = Stopwatch.StartNew();
    await run(i);
    return watch.Elapsed.TotalMilliseconds;
});

static async Task<Percentiles> MeasureTimedAsync(Func<int, Task<double>> run)
{
    for (var i = 0; i < 20; i++)
        await run(i);
    var times = new List<double>();
    for (var i = 0; i < 300; i++)
        times.Add(await run(i));
    times.Sort();
    return new Percentiles(times[times.Count / 2], times[(int)(times.Count * 0.95)]);
}

static string GameId(int g) => (500_000 + g).ToString(CultureInfo.InvariantCulture);

static FoundClip MakeClip(int i, Random random) => new()
{
    // Real clip slugs and VOD ids arrive in no particular order: random keys, as in the unique and video indexes.
    TwitchClipId = $"{random.Next():x8}{random.Next():x8}-Bench{i}",
    Url = $"https://clips.twitch.tv/BenchClip{i}",
    EmbedUrl = $"https://clips.twitch.tv/embed?clip=BenchClip{i}",
    BroadcasterId = (1000 + (i % 5000)).ToString(CultureInfo.InvariantCulture),
    BroadcasterName = $"Streamer {(i % 5000)}",
    CreatorId = (2000 + (i % 20000)).ToString(CultureInfo.InvariantCulture),
    CreatorName = $"Clipper {i % 20000}",
    VideoId = random.Next(1_000_000_000, 2_000_000_000).ToString(CultureInfo.InvariantCulture),
    GameId = GameId(i % Games),
    Language = i % 4 == 0 ? "de" : "en",
    Title = $"Clip number {i} — insane play",
    ViewCount = random.Next(1, 500_000),
    CreatedAt = DateTimeOffset.UnixEpoch.AddSeconds(1_760_000_000 + random.Next(0, 10_000_000)),
    ThumbnailUrl = $"https://clips-media-assets2.twitch.tv/{i}-preview-480x272.jpg",
    Duration = 5 + random.NextDouble() * 55,
    VodOffset = random.Next(0, 20_000),
    IsFeatured = i % 7 == 0,
};

internal sealed record Percentiles(double P50, double P95);

internal sealed record Result(string Provider, double InsertRate, double RefreshRate, Percentiles Review, Percentiles Counts,
    Percentiles ById, Percentiles Page, Percentiles Newest, Percentiles Due);
