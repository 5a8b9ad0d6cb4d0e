using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Tccg.Storage.Accounts;

namespace Tccg.Editor.Tests;

/// <summary>The waveform / filmstrip / scrub proxy endpoints and the clip browser query, over real HTTP.</summary>
public sealed class ClipMediaAndBrowserApiTests
{
    [Fact]
    public async Task Waveform_Filmstrip_Proxy_AreSmall_CachedOnDisk_AndServedWithCachingHeaders()
    {
        await using var server = await EditorServer.StartAsync();
        var clip = await ScrubBarTests.SeedLongClipAsync(server);
        await server.AddUserAsync("viewer");
        using var http = await LoginAsync(server, "viewer");

        // Waveform: JSON peaks over the whole clip; the loud and quiet halves of the tone show.
        var wave = await http.GetAsync($"/api/v1/clips/{clip.Id}/waveform");
        Assert.Equal(HttpStatusCode.OK, wave.StatusCode);
        Assert.Equal("application/json", wave.Content.Headers.ContentType?.MediaType);
        Assert.NotNull(wave.Headers.ETag);
        Assert.Contains("max-age=", wave.Headers.CacheControl?.ToString() ?? "", StringComparison.Ordinal);
        Assert.NotNull(wave.Content.Headers.LastModified);
        var body = await wave.Content.ReadAsByteArrayAsync();
        Assert.InRange(body.Length, 200, 8 * 1024);
        var json = JsonDocument.Parse(body).RootElement;
        Assert.Equal(ScrubBarTests.LongClipSeconds, json.GetProperty("duration").GetDouble(), 1);
        Assert.Equal(30, json.GetProperty("fps").GetDouble(), 1);
        var peaks = json.GetProperty("peaks").EnumerateArray().Select(p => p.GetInt32()).ToArray();
        Assert.Equal(json.GetProperty("count").GetInt32(), peaks.Length);
        Assert.InRange(peaks.Length, 100, 1000);
        var loud = peaks[(int)(peaks.Length * 0.5 / 12)..(int)(peaks.Length * 1.5 / 12)].Average();
        var quiet = peaks[(int)(peaks.Length * 2.5 / 12)..(int)(peaks.Length * 3.5 / 12)].Average();
        Assert.True(loud > quiet * 4, $"loud {loud} vs quiet {quiet}");

        // Made once, beside the clip; a second request is the same file (same ETag) and revalidates to 304.
        var clipFile = Path.Combine(server.DataDir, clip.FilePath!);
        foreach (var suffix in new[] { ".waveform.json", ".filmstrip.jpg", ".scrub.mp4" })
            Assert.True(File.Exists(clipFile + suffix), suffix);
        var written = File.GetLastWriteTimeUtc(clipFile + ".waveform.json");
        using (var again = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/clips/{clip.Id}/waveform"))
        {
            again.Headers.IfNoneMatch.Add(wave.Headers.ETag!);
            var notModified = await http.SendAsync(again);
            Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
        }
        Assert.Equal(written, File.GetLastWriteTimeUtc(clipFile + ".waveform.json"));

        // HEAD answers the headers without a body.
        using (var head = new HttpRequestMessage(HttpMethod.Head, $"/api/v1/clips/{clip.Id}/filmstrip"))
        {
            var response = await http.SendAsync(head);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("image/jpeg", response.Content.Headers.ContentType?.MediaType);
            Assert.Equal(new FileInfo(clipFile + ".filmstrip.jpg").Length, response.Content.Headers.ContentLength);
            Assert.Empty(await response.Content.ReadAsByteArrayAsync());
        }

        // Filmstrip: one JPEG sprite, 16 thumbnails of 72 px high side by side.
        var strip = await http.GetByteArrayAsync($"/api/v1/clips/{clip.Id}/filmstrip");
        Assert.InRange(strip.Length, 1000, 200 * 1024);
        var size = await TestMedia.RunAsync("ffprobe", "-v", "error", "-show_entries", "stream=width,height", "-of", "csv=p=0", clipFile + ".filmstrip.jpg");
        Assert.Equal("2048,72", size.Trim());

        // Proxy: short GOP (a keyframe at least every 6 frames), no larger than the clip, no sound, with Range.
        using (var range = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/clips/{clip.Id}/proxy"))
        {
            range.Headers.Range = new RangeHeaderValue(0, 99);
            var partial = await http.SendAsync(range);
            Assert.Equal(HttpStatusCode.PartialContent, partial.StatusCode);
            Assert.Equal("video/mp4", partial.Content.Headers.ContentType?.MediaType);
        }
        var keyframes = await TestMedia.RunAsync("ffprobe", "-v", "error", "-select_streams", "v:0", "-skip_frame", "nokey",
            "-show_entries", "frame=pts_time", "-of", "csv=p=0", clipFile + ".scrub.mp4");
        Assert.True(keyframes.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length >= 12 * 30 / 6, keyframes);
        var streams = await TestMedia.RunAsync("ffprobe", "-v", "error", "-show_entries", "stream=codec_type", "-of", "csv=p=0", clipFile + ".scrub.mp4");
        Assert.Equal("video", streams.Trim());
    }

    [Fact]
    public async Task ClipMedia_RefusesWorkerTokens_Anonymous_AndUnknownClips()
    {
        await using var server = await EditorServer.StartAsync();
        var clip = await ScrubBarTests.SeedLongClipAsync(server);
        var worker = await server.Service<ITokenStore>().CreateAsync("render box", TokenKind.Worker, null, CancellationToken.None);
        using var anonymous = new HttpClient { BaseAddress = server.BaseUrl };
        using var bearer = new HttpClient { BaseAddress = server.BaseUrl };
        bearer.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", worker.Secret);
        foreach (var kind in new[] { "waveform", "filmstrip", "proxy" })
        {
            var refused = await bearer.GetAsync($"/api/v1/clips/{clip.Id}/{kind}");
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
            Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync($"/api/v1/clips/{clip.Id}/{kind}")).StatusCode);
        }
        Assert.False(File.Exists(Path.Combine(server.DataDir, clip.FilePath!) + ".waveform.json"));

        await server.AddUserAsync("ed");
        using var editor = await LoginAsync(server, "ed");
        var missing = await editor.GetAsync("/api/v1/clips/999999/waveform");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal("application/problem+json", missing.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task ClipBrowser_FiltersSortsAndPages()
    {
        await using var server = await EditorServer.StartAsync(clips: 12);
        await server.AddUserAsync("browser");
        using var http = await LoginAsync(server, "browser");

        async Task<(long[] Ids, string? Next)> PageAsync(string query)
        {
            var response = await http.GetAsync("/api/v1/clips?" + query);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{query}: {response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            var page = await response.Content.ReadFromJsonAsync<JsonElement>();
            var next = page.GetProperty("nextCursor");
            return ([.. page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetInt64())],
                next.ValueKind == JsonValueKind.Null ? null : next.GetString());
        }

        long[] Seeded(Func<int, bool> which) => [.. Enumerable.Range(0, 12).Where(which).Select(i => server.Clips[i].Id)];

        // Streamer by display name (exact) — every 4th seeded clip is zoë's, most viewed first.
        Assert.Equal(Seeded(i => i % 4 == 3), (await PageAsync("streamer=" + Uri.EscapeDataString("zoë"))).Ids);
        // Title text, case-insensitive, CJK too; % is literal.
        Assert.Equal(Seeded(i => i % 3 == 0), (await PageAsync("q=" + Uri.EscapeDataString("信じられない"))).Ids);
        Assert.Equal(Seeded(i => i % 3 == 0), (await PageAsync("q=LONG+TITLE")).Ids);
        Assert.Empty((await PageAsync("q=%25")).Ids);
        // Views, date range, status, language, duration, game.
        Assert.Equal(Seeded(i => 10_000 - i >= 9_995), (await PageAsync("minViews=9995")).Ids);
        var from = Uri.EscapeDataString(new DateTimeOffset(2026, 11, 1, 14, 0, 0, TimeSpan.Zero).ToString("O", CultureInfo.InvariantCulture));
        var before = Uri.EscapeDataString(new DateTimeOffset(2026, 11, 1, 17, 0, 0, TimeSpan.Zero).ToString("O", CultureInfo.InvariantCulture));
        Assert.Equal(Seeded(i => i is >= 2 and < 5), (await PageAsync($"from={from}&before={before}")).Ids);
        Assert.Equal(12, (await PageAsync("status=downloaded&minDuration=1.5&maxDuration=2.5&game=" + EditorServer.GameId)).Ids.Length);
        Assert.Empty((await PageAsync("minDuration=2.5")).Ids);
        Assert.Empty((await PageAsync("status=found")).Ids);
        Assert.Empty((await PageAsync("language=ja")).Ids);
        Assert.Equal(12, (await PageAsync("language=")).Ids.Length);

        // Sorted by date (newest first) and paged by cursor: every clip exactly once, in order, combined with a filter.
        var seen = new List<long>();
        string? cursor = null;
        do
        {
            var (ids, next) = await PageAsync("sort=date&limit=5&minViews=9990" + (cursor is null ? "" : "&after=" + Uri.EscapeDataString(cursor)));
            Assert.InRange(ids.Length, 1, 5);
            seen.AddRange(ids);
            cursor = next;
        }
        while (cursor is not null);
        Assert.Equal(Enumerable.Reverse(Seeded(i => i <= 10)), seen);

        // Bad input: 400 problems naming the field.
        foreach (var (query, field) in new[]
        {
            ("sort=random", "sort"), ("limit=0", "limit"), ("minViews=-1", "minViews"), ("minDuration=-3", "minDuration"),
            ("minDuration=9&maxDuration=3", "maxDuration"), ("status=eaten", "status"), ("after=garbage", "after"),
            ("q=" + new string('x', 201), "title"), ($"from={before}&before={from}", "before"),
        })
        {
            var response = await http.GetAsync("/api/v1/clips?" + query);
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{query} gave {response.StatusCode}");
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.StartsWith(field + ":", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("title").GetString(), StringComparison.Ordinal);
        }
    }

    private static async Task<HttpClient> LoginAsync(EditorServer server, string name)
    {
        var http = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer() }) { BaseAddress = server.BaseUrl };
        var login = await http.PostAsJsonAsync("/api/v1/auth/login", new { name, password = EditorServer.Password });
        login.EnsureSuccessStatusCode();
        return http;
    }
}
