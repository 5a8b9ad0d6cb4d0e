// Finder benchmark: one game with 50,000 clips in one week on the simulator. The sliced finder's haul is compared
// with a naive paginated query over the same week (the baseline, capped near 1,000), and its use of the Helix rate
// budget is measured. The simulator's rate window is shortened (800 points per RATE_WINDOW seconds instead of 60)
// so the run takes about a minute; the pacing logic is the same for any window length.
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
using Tccg.Twitch.Finder;
using Tccg.Twitch.Helix;
using Tccg.TwitchSim;

if (args.Length > 0 && args[0] == "channel")
{
    // `channel [clips] [rate window seconds]`: one channel with 20,000 clips in a month, by broadcaster_id.
    await ChannelBenchAsync(Arg(args, 1, 20_000), Arg(args, 2, 6));
    return;
}

var clipCount = Arg(args, 0, 50_000);
var windowSeconds = Arg(args, 1, 6);
var points = 800;
var anchor = DateTimeOffset.UtcNow.AddMinutes(-1);
await using var sim = await TwitchSimHost.StartAsync(new TwitchSimOptions
{
    Seed = 11,
    Games = [new SimGameSpec("509658", "Just Chatting", clipCount, TimeSpan.FromDays(7))],
    LegacyClipsPerGame = 0,
    BroadcasterCount = 400,
    Anchor = anchor,
    RateLimitPoints = points,
    RateLimitWindow = TimeSpan.FromSeconds(windowSeconds),
});
Console.WriteLine($"Simulator: {clipCount:N0} clips of one game in one week; rate limit {points} points per {windowSeconds} s (Twitch: per 60 s).");

var week = ClipWindows.ForPeriod(ClipPeriod.Week, DateTimeOffset.UtcNow);
var inWeek = sim.World.Clips.Count(c => week.Contains(c.CreatedAt));

// Baseline: one query for the whole week, paged until the cursor ends or pages repeat.
await using (var naive = Services(sim))
{
    var helix = naive.GetRequiredService<HelixClient>();
    var seen = new HashSet<string>(StringComparer.Ordinal);
    string? cursor = null;
    var pages = 0;
    do
    {
        var page = await helix.GetClipsAsync("509658", week.Start, week.End, cursor, CancellationToken.None);
        pages++;
        var fresh = page.Data.Count(c => seen.Add(c.Id));
        if (fresh == 0)
            break;
        cursor = page.Cursor;
    }
    while (cursor is not null && pages < 50);
    var naiveInWeek = sim.World.Clips.Count(c => seen.Contains(c.Id) && week.Contains(c.CreatedAt));
    Console.WriteLine($"Naive paginated query: {naiveInWeek:N0} clips ({100.0 * naiveInWeek / inWeek:0.0}% of {inWeek:N0}) in {pages} pages");
    sim.ResetRateLimits();

    await using var sliced = Services(sim);
    var collector = sliced.GetRequiredService<ClipCollector>();
    var limiter = sliced.GetRequiredService<HelixRateLimiter>();
    var before = sim.Counters.HelixRequests;
    var throttledBefore = sim.Counters.RateLimited;
    // Window boundaries as the client sees them (Ratelimit-Reset changes), with the calls made by then.
    var boundaries = new List<long>();
    using var sampling = new CancellationTokenSource();
    var sampler = Task.Run(async () =>
    {
        DateTimeOffset? lastReset = null;
        while (!sampling.IsCancellationRequested)
        {
            var reset = limiter.Snapshot().Reset;
            if (reset is not null && lastReset is not null && reset != lastReset)
                boundaries.Add(sim.Counters.HelixRequests - before - 1);
            lastReset = reset ?? lastReset;
            await Task.Delay(5);
        }
    });
    var clock = Stopwatch.StartNew();
    var result = await collector.CollectAsync("509658", "Just Chatting", week, null, CancellationToken.None);
    clock.Stop();
    await sampling.CancelAsync();
    await sampler;
    var calls = sim.Counters.HelixRequests - before;
    var windows = Math.Ceiling(clock.Elapsed.TotalSeconds / windowSeconds);
    var perWindow = new List<long>();
    var previous = 0L;
    foreach (var boundary in boundaries)
    {
        perWindow.Add(boundary - previous);
        previous = boundary;
    }
    var lastWindow = calls - previous;
    // Windows that ended while work remained; the last one is where the work ran out.
    var budgetUse = perWindow.Count == 0 ? calls / (double)points : perWindow.Sum() / (double)(perWindow.Count * points);
    Console.WriteLine("Calls per rate window: " + string.Join(", ", perWindow.Select(w => $"{w}/{points}")) + $", then {lastWindow} in the window where the work ended");
    var collectedPct = 100.0 * result.Clips.Count / inWeek;
    Console.WriteLine($"Sliced finder: {result.Clips.Count:N0} clips ({collectedPct:0.0}% of {inWeek:N0}) in {result.Windows} windows "
        + $"({result.Splits} splits, {result.CappedLeaves} capped leaves), {calls:N0} Helix calls in {clock.Elapsed.TotalSeconds:0.0} s");
    Console.WriteLine($"Ratio sliced / naive: {(double)result.Clips.Count / Math.Max(1, naiveInWeek):0.0}x");
    Console.WriteLine($"Rate budget used while work remained: {100 * budgetUse:0.0}% of each full window; over the whole run {100.0 * calls / (windows * points):0.0}% ({calls:N0} of {windows * points:N0} points in {windows} windows)");
    Console.WriteLine($"429s seen: {sim.Counters.RateLimited - throttledBefore}; budget waits summed over workers {limiter.Snapshot().Waited.TotalSeconds:0.0} s");
    var pass = collectedPct >= 95 && sim.Counters.RateLimited - throttledBefore == 0 && budgetUse >= 0.8;
    Console.WriteLine(pass ? "Targets met (>= 95% collected, 0 429s, >= 80% budget)." : "Targets NOT met.");
}

// The whole find into a SQLite clip bin: collection, logins, filters, upsert, duplicate marking.
sim.ResetRateLimits();
var root = Path.Combine(Path.GetTempPath(), "tccg-bench-finder-" + Guid.NewGuid().ToString("N"));
try
{
    var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
    {
        ["Tccg:Storage:Root"] = root,
        ["Tccg:Twitch:ClientId"] = sim.ClientId,
        ["Tccg:Twitch:ClientSecret"] = sim.ClientSecret,
        ["Tccg:Twitch:AuthBaseUrl"] = sim.AuthBaseUrl,
        ["Tccg:Twitch:HelixBaseUrl"] = sim.HelixBaseUrl,
        ["Tccg:Twitch:GqlUrl"] = sim.GqlUrl,
    }).Build();
    var services = new ServiceCollection();
    services.AddSingleton<IConfiguration>(config);
    services.AddLogging(l => l.SetMinimumLevel(LogLevel.Warning).AddSimpleConsole());
    services.AddTccgOptions();
    services.AddTccgStorage();
    services.AddTccgMedia();
    services.AddTccgTwitch();
    await using var sp = services.BuildServiceProvider();
    Directory.CreateDirectory(root);
    await sp.GetRequiredService<MigrationRunner>().MigrateAsync(CancellationToken.None);
    var game = await sp.GetRequiredService<IGameStore>().AddAsync(new Game { TwitchGameId = "509658", Name = "Just Chatting" }, CancellationToken.None);
    var clock = Stopwatch.StartNew();
    var found = await sp.GetRequiredService<ClipFinder>().FindAsync(game, ClipPeriod.Week, null, CancellationToken.None);
    Console.WriteLine($"Whole find into SQLite: {found.Accepted:N0} clips stored, {found.Duplicates:N0} marked duplicate, in {clock.Elapsed.TotalSeconds:0.0} s "
        + $"(rate waits included); a second run over the same week: ");
    clock.Restart();
    sim.ResetRateLimits();
    await sp.GetRequiredService<ClipFinder>().FindAsync(game, ClipPeriod.Week, null, CancellationToken.None);
    Console.WriteLine($"  {clock.Elapsed.TotalSeconds:0.0} s (every clip already in the bin)");
}
finally
{
    Directory.Delete(root, true);
}

static ServiceProvider Services(TwitchSimHost sim)
{
    var services = new ServiceCollection();
    services.AddLogging(l => l.SetMinimumLevel(LogLevel.Warning).AddSimpleConsole());
    services.AddOptions<TwitchOptions>().Configure(o =>
    {
        o.ClientId = sim.ClientId;
        o.ClientSecret = sim.ClientSecret;
        o.AuthBaseUrl = sim.AuthBaseUrl;
        o.HelixBaseUrl = sim.HelixBaseUrl;
        o.GqlUrl = sim.GqlUrl;
    });
    services.AddTccgTwitch();
    return services.BuildServiceProvider();
}

// A channel followed as a source: all its clips come back for broadcaster_id, with the same ~1,000 cap, so the same
// slicing must collect a busy channel's month. Baseline: one paginated query over the month.
static async Task ChannelBenchAsync(int clipCount, int windowSeconds)
{
    const int points = 800;
    await using var sim = await TwitchSimHost.StartAsync(new TwitchSimOptions
    {
        Seed = 12,
        Games = [new SimGameSpec("509658", "Just Chatting", clipCount, TimeSpan.FromDays(30))],
        LegacyClipsPerGame = 0,
        BroadcasterCount = 1,
        Anchor = DateTimeOffset.UtcNow.AddMinutes(-1),
        RateLimitPoints = points,
        RateLimitWindow = TimeSpan.FromSeconds(windowSeconds),
    });
    var channel = sim.World.Broadcasters[0];
    var month = ClipWindows.ForPeriod(ClipPeriod.Month, DateTimeOffset.UtcNow);
    var inMonth = sim.World.Clips.Count(c => c.Broadcaster.Id == channel.Id && month.Contains(c.CreatedAt));
    Console.WriteLine($"Simulator: channel {channel.Login} with {inMonth:N0} clips in the last 30 days; rate limit {points} points per {windowSeconds} s (Twitch: per 60 s).");
    await using var naive = Services(sim);
    var helix = naive.GetRequiredService<HelixClient>();
    var scope = ClipScope.Channel(channel.Id);
    var seen = new HashSet<string>(StringComparer.Ordinal);
    string? cursor = null;
    var pages = 0;
    do
    {
        var page = await helix.GetClipsAsync(scope, month.Start, month.End, cursor, CancellationToken.None);
        pages++;
        var fresh = page.Data.Count(c => seen.Add(c.Id));
        if (fresh == 0)
            break;
        cursor = page.Cursor;
    }
    while (cursor is not null && pages < 50);
    var naiveCount = sim.World.Clips.Count(c => seen.Contains(c.Id) && month.Contains(c.CreatedAt));
    Console.WriteLine($"Naive paginated query (broadcaster_id): {naiveCount:N0} clips ({100.0 * naiveCount / inMonth:0.0}%) in {pages} pages");
    sim.ResetRateLimits();

    await using var sliced = Services(sim);
    var throttledBefore = sim.Counters.RateLimited;
    var before = sim.Counters.HelixRequests;
    var clock = Stopwatch.StartNew();
    var result = await sliced.GetRequiredService<ClipCollector>().CollectAsync(scope, channel.Login, month, null, CancellationToken.None);
    clock.Stop();
    var collected = result.Clips.Count(c => month.Contains(c.CreatedAt));
    var pct = 100.0 * collected / inMonth;
    var throttled = sim.Counters.RateLimited - throttledBefore;
    Console.WriteLine($"Sliced finder (broadcaster_id): {collected:N0} clips ({pct:0.0}% of {inMonth:N0}) in {result.Windows} windows "
        + $"({result.Splits} splits), {sim.Counters.HelixRequests - before:N0} Helix calls in {clock.Elapsed.TotalSeconds:0.0} s; "
        + $"ratio to naive {(double)collected / Math.Max(1, naiveCount):0.0}x; 429s: {throttled}");
    Console.WriteLine(pct >= 95 && throttled == 0 ? "Targets met (>= 95% collected, 0 429s)." : "Targets NOT met.");
}

static int Arg(string[] args, int index, int fallback) =>
    args.Length > index && int.TryParse(args[index], NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v : fallback;
