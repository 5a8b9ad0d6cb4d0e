using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using Tccg.TwitchSim;

// How fast the simulator answers a large world (50,000 clips of one game in one week), so benchmarks of
// the finder measure the finder. Ratios are against the cheapest Helix call measured in the same run.
var anchor = new DateTimeOffset(2026, 11, 20, 0, 0, 0, TimeSpan.Zero);
var watch = Stopwatch.StartNew();
await using var sim = await TwitchSimHost.StartAsync(new TwitchSimOptions
{
    Seed = 1,
    Anchor = anchor,
    Games = [new SimGameSpec("33214", "Fortnite", 50_000, TimeSpan.FromDays(7))],
    RateLimitPoints = 1_000_000,
});
var startup = watch.Elapsed;
using var http = new HttpClient();
var token = await TokenAsync();

var baseline = await TimeAsync(500, () => GetAsync("/games?id=33214"));
var allTime = await TimeAsync(5, () => PagesAsync("game_id=33214"));
var hours = Enumerable.Range(0, 168).Select(h => anchor.AddDays(-7).AddHours(h)).ToList();
var cold = await TimeAsync(1, async () => { foreach (var h in hours) await PagesAsync(Window(h)); }, warmUp: false) / hours.Count;
var warm = await TimeAsync(1, async () => { foreach (var h in hours) await PagesAsync(Window(h)); }, warmUp: false) / hours.Count;
var gql = await TimeAsync(200, async () =>
{
    using var request = new HttpRequestMessage(HttpMethod.Post, sim.GqlUrl)
    {
        Content = new StringContent(JsonSerializer.Serialize(new
        {
            operationName = "ShareClipRenderStatus",
            variables = new { slug = sim.World.Clips[Random.Shared.Next(sim.World.Clips.Count)].Id },
            extensions = new { persistedQuery = new { version = 1, sha256Hash = sim.ClipAccessHash } },
        })),
    };
    request.Headers.Add("Client-ID", sim.GqlClientId);
    using var response = await http.SendAsync(request);
    response.EnsureSuccessStatusCode();
});
var clip = sim.World.Clips[0].Id;
using (var warmUp = await http.GetAsync(sim.SignedMediaUrl(clip)))
    warmUp.EnsureSuccessStatusCode();
var cdn = await TimeAsync(100, () => http.GetByteArrayAsync(sim.SignedMediaUrl(clip)));

Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"world of 50,000 clips generated and served after {startup.TotalMilliseconds:F0} ms"));
Report("GET /helix/games (baseline)", baseline);
Report("all-time query, all 13 pages (cap + repeats)", allTime);
Report("one hourly window, all pages, cold (filters 50k)", cold);
Report("one hourly window, all pages, warm (cached list)", warm);
Report("GQL ShareClipRenderStatus", gql);
Report("CDN signed small MP4 (cached file)", cdn);
Console.WriteLine($"Helix requests {sim.Counters.HelixRequests}, GQL {sim.Counters.GqlOperations}, CDN {sim.Counters.CdnRequests}");

if (args.Contains("--full-media"))
{
    // Cold encode of every full-size format into an empty cache, then one clip-length cut.
    var cache = Path.Combine(Path.GetTempPath(), "tccg-sim-bench-" + Guid.NewGuid().ToString("N"));
    await using var full = await TwitchSimHost.StartAsync(new TwitchSimOptions
    {
        Seed = 1, Anchor = anchor, MediaSize = MediaSize.Full, MediaCacheDir = cache, PortraitRate = 0.3,
        Games = [new SimGameSpec("33214", "Fortnite", 200, TimeSpan.FromDays(7))],
    });
    watch.Restart();
    var files = await full.PrepareMediaAsync();
    var prepare = watch.Elapsed;
    var shortClip = full.World.Clips.First(c => !c.IsLegacy && c.Duration < 20);
    watch.Restart();
    var bytes = (await http.GetByteArrayAsync(full.SignedMediaUrl(shortClip.Id))).Length;
    var cut = watch.Elapsed;
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"full-size media: {files} base files encoded in {prepare.TotalSeconds:F1} s; a {shortClip.Duration} s clip cut and served in {cut.TotalMilliseconds:F0} ms ({bytes / 1e6:F1} MB)"));
    Directory.Delete(cache, recursive: true);
}

void Report(string name, TimeSpan perOp) =>
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"{name,-52} {perOp.TotalMilliseconds,9:F3} ms/op  {perOp / baseline,8:F1}x baseline"));

string Window(DateTimeOffset start) =>
    $"game_id=33214&started_at={Uri.EscapeDataString(start.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture))}" +
    $"&ended_at={Uri.EscapeDataString(start.AddHours(1).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture))}";

async Task<int> PagesAsync(string query)
{
    string? cursor = null;
    var pages = 0;
    do
    {
        using var doc = JsonDocument.Parse(await GetAsync($"/clips?{query}&first=100" + (cursor is null ? "" : "&after=" + cursor)));
        cursor = doc.RootElement.GetProperty("pagination").TryGetProperty("cursor", out var c) ? c.GetString() : null;
        pages++;
    }
    while (cursor is not null);
    return pages;
}

async Task<string> GetAsync(string pathAndQuery)
{
    using var request = new HttpRequestMessage(HttpMethod.Get, sim.HelixBaseUrl + pathAndQuery);
    request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
    request.Headers.Add("Client-Id", sim.ClientId);
    using var response = await http.SendAsync(request);
    response.EnsureSuccessStatusCode();
    return await response.Content.ReadAsStringAsync();
}

async Task<string> TokenAsync()
{
    using var response = await http.PostAsync(
        $"{sim.AuthBaseUrl}/oauth2/token?grant_type=client_credentials&client_id={sim.ClientId}&client_secret={sim.ClientSecret}", null);
    using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
    return doc.RootElement.GetProperty("access_token").GetString()!;
}

static async Task<TimeSpan> TimeAsync(int times, Func<Task> op, bool warmUp = true)
{
    if (warmUp)
        await op();   // JIT, connections
    var watch = Stopwatch.StartNew();
    for (var i = 0; i < times; i++)
        await op();
    return watch.Elapsed / times;
}
