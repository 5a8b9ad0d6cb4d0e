// bench/editor: how fast the review page answers, in a real Chromium against a real server on loopback.
//  1. keep -> next clip's first frame (requestVideoFrameCallback), over N clips, with the editor's preloading,
//     against a baseline in the same page and run: one <video> whose src is switched and played (no preloading);
//  2. opening the review page -> first frame of the first clip;
//  3. the scrub bar: clip shown -> its waveform and filmstrip drawn (files made beforehand, as at download, and
//     how long making them on a first request takes); a click on the bar -> the new frame presented; seeking a
//     1080p60 clip with 2 s keyframe intervals against its short-GOP scrub proxy (the baseline of that choice), and the
//     proxy's choices: a keyframe every 6 frames against all-intra, currentTime against fastSeek;
//  4. the compilation Preview: the gap between one piece's last frame and the next piece's first frame, against a
//     baseline in the same page: one <video> whose src is switched at each piece's end.
// One command (documented in docs/editor.md): dotnet run -c Release --project bench/editor [CLIPS] [OPENS] [PIECES]
using System.Globalization;
using Microsoft.Playwright;
using Tccg.Editor.Tests;
using Tccg.Server.Application;
using Tccg.Server.Features.ClipBin;
using Tccg.Storage.Clips;

var clips = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 50;
var opens = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 10;
var previewClips = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 12;

// Twice the clips: the baseline plays clips the browser has never loaded, like the editor does.
await using var server = await EditorServer.StartAsync(clips: (2 * clips) + 2);
var user = await server.AddUserAsync("bench");
using var playwright = await Playwright.CreateAsync();
await using var browser = await playwright.Chromium.LaunchAsync(new()
{
    ExecutablePath = "/usr/bin/chromium",
    Headless = true,
    Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--autoplay-policy=no-user-gesture-required"],
});
var context = await browser.NewContextAsync(new() { BaseURL = server.BaseUrl.ToString().TrimEnd('/'), ViewportSize = new() { Width = 1366, Height = 768 } });
var page = await context.NewPageAsync();
page.Console += (_, m) => { if (m.Type is "error" or "warning") Console.Error.WriteLine("page: " + m.Text); };
page.PageError += (_, e) => Console.Error.WriteLine("page error: " + e);
await page.GotoAsync("/login");
await page.FillAsync("input[name=name]", "bench");
await page.FillAsync("input[name=password]", EditorServer.Password);
await page.ClickAsync("button[type=submit]");
await page.WaitForSelectorAsync(".topbar .user");

// The waveforms, filmstrips and proxies of the clips the editor shows are made beforehand (as at download);
// making them on a first request is timed on other clips.
var clipMedia = server.Service<ClipMediaService>();
foreach (var c in server.Clips.Take(clips + 2))
    await clipMedia.GetAsync(CurrentUser.System(), c.Id, ClipMediaKind.Waveform, CancellationToken.None);
Console.Error.WriteLine("bench: media made for the review clips");
var made = new List<double>();
foreach (var c in server.Clips.Skip(clips + 2).Take(10))
{
    var started = System.Diagnostics.Stopwatch.GetTimestamp();
    var response = await page.APIRequest.GetAsync($"/api/v1/clips/{c.Id}/waveform");
    if (!response.Ok)
        throw new InvalidOperationException($"waveform of clip {c.Id}: {response.Status}");
    made.Add(System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds);
}

// 2. Open -> first frame (a fresh compilation each time, so the first clip is always the same kind of work).
var firstFrames = new List<double>();
for (var i = 0; i < opens; i++)
{
    var c = await server.AddCompilationAsync(user, $"open {i}");
    await page.GotoAsync($"/review/{c.Id}");
    await page.WaitForFunctionAsync("() => typeof window.tccgFirstFrame === 'number'", null, new() { Timeout = 15_000 });
    firstFrames.Add(await page.EvaluateAsync<double>("() => window.tccgFirstFrame"));
}

Console.Error.WriteLine("bench: opens done");

// 1. Keep -> next first frame with the editor.
var compilation = await server.AddCompilationAsync(user, "keep bench");
await page.GotoAsync($"/review/{compilation.Id}");
await page.WaitForFunctionAsync("() => typeof window.tccgFirstFrame === 'number'");
for (var i = 0; i < clips; i++)
{
    await page.WaitForTimeoutAsync(250); // a reviewer glances at the clip; preloading works meanwhile
    await page.Keyboard.PressAsync("k");
    try
    {
        await page.WaitForFunctionAsync($"() => window.tccgReview && window.tccgReview.stats.length >= {i + 1}", null, new() { Timeout = 15_000 });
    }
    catch (TimeoutException)
    {
        Console.Error.WriteLine($"clip {i}: " + await page.EvaluateAsync<string>("() => JSON.stringify({q: window.tccgReview.queue.map(c => c.id), pool: window.tccgReview.pool.map(v => [v.dataset.clip, v.className, v.readyState, v.paused, v.currentTime]), stats: window.tccgReview.stats.length, meta: document.querySelector('#review-meta').dataset.clip})"));
        throw;
    }
}
var keeps = await page.EvaluateAsync<double[]>("() => window.tccgReview.stats");

var drawn = await page.EvaluateAsync<double[]>("() => window.tccgScrubDrawn || []");
Console.Error.WriteLine("bench: keeps done");

// 3b. Click on the scrub bar -> the new frame presented (video paused, random places).
await page.EvaluateAsync("() => document.querySelector('video.current').pause()");
var bar = (await page.Locator(".scrub-track").BoundingBoxAsync())!;
var random = new Random(11);
var seeks = new List<double>();
for (var i = 0; i < 30; i++)
{
    var x = bar.X + 2 + (float)(random.NextDouble() * (bar.Width - 4));
    await page.Mouse.ClickAsync(x, bar.Y + (bar.Height / 2));
    await page.WaitForTimeoutAsync(300);
}
seeks.AddRange(await page.EvaluateAsync<double[]>("() => window.tccgSeekStats || []"));
Console.Error.WriteLine("bench: bar seeks done");

// 3c. Seeking a 1080p60 clip with 2 s keyframe intervals: the original against its scrub proxy, same page, same times.
var big = await SeedBigClipAsync(server, "Big1080p60");
var intra = await SeedBigClipAsync(server, "Big1080p60Intra");
Console.Error.WriteLine("bench: 1080p60 clips ready");
var proxySizes = new long[2];
await clipMedia.GetAsync(CurrentUser.System(), big.Id, ClipMediaKind.Proxy, CancellationToken.None);
proxySizes[0] = new FileInfo(ClipMediaService.PathOf(Path.Combine(server.DataDir, big.FilePath!), ClipMediaKind.Proxy)).Length;
{
    // The same clip's proxy made all-intra (a keyframe every frame) by the same ffmpeg arguments, in place of the usual one.
    var media = (await clipMedia.GetAsync(CurrentUser.System(), intra.Id, ClipMediaKind.Proxy, CancellationToken.None)).Path;
    var source = Path.Combine(server.DataDir, intra.FilePath!);
    var temp = Path.Combine(Path.GetTempPath(), "tccg-bench-intra");
    await TestMedia.RunAsync("ffmpeg", [.. ClipMediaService.Arguments(source, 10, false, temp + ".jpg", temp + ".mp4", temp + ".pcm", keyframeInterval: 1)]);
    File.Move(temp + ".mp4", media, overwrite: true);
    proxySizes[1] = new FileInfo(media).Length;
}
var bigSeeks = await page.EvaluateAsync<double[][]>(@"async ([id, intraId, times]) => {
  const load = src => new Promise(r => { const v = document.createElement('video'); v.muted = true; v.preload = 'auto';
    v.style.width = '640px'; v.oncanplaythrough = () => r(v); v.src = src; document.body.appendChild(v); });
  const original = await load(`/api/v1/clips/${id}/media`), proxy = await load(`/api/v1/clips/${id}/proxy`), allIntra = await load(`/api/v1/clips/${intraId}/proxy`);
  const seek = (v, t, fast) => new Promise(r => { const t0 = performance.now(); v.requestVideoFrameCallback(() => r(performance.now() - t0));
    if (fast && v.fastSeek) v.fastSeek(t); else v.currentTime = t; setTimeout(() => r(5000), 5000); });
  const a = [], b = [], c = [], d = [];
  for (const t of times) { a.push(await seek(original, t)); b.push(await seek(proxy, t)); c.push(await seek(allIntra, t)); d.push(await seek(proxy, t + 0.05, true)); }
  original.remove(); proxy.remove(); allIntra.remove();
  return [a, b, c, d];
}", new object[] { big.Id, intra.Id, Enumerable.Range(0, 30).Select(_ => Math.Round(0.1 + (random.NextDouble() * 9.8), 3)).ToArray() });
Console.Error.WriteLine("bench: proxy seeks done");

// 4. Preview gaps: a compilation of PIECES clips (0.5 s trimmed off each end) with an interval between them and an
// outro, played in the timeline page; then the baseline (one <video>, src switched at each piece's end) on the same plan.
var previewCompilation = await server.AddCompilationAsync(user, "preview bench");
var interval = await server.AddAssetAsync(Tccg.Core.Compilations.AssetRole.Interval, "interval.mp4");
var outro = await server.AddAssetAsync(Tccg.Core.Compilations.AssetRole.Outro, "outro.mp4");
{
    var service = server.Service<Tccg.Server.Features.Compilations.CompilationService>();
    var view = await service.GetAsync(CurrentUser.System(), previewCompilation.Id, CancellationToken.None);
    await service.UpdateAsync(CurrentUser.System(), previewCompilation.Id, Tccg.Server.Features.Compilations.UpdateCompilationRequest.From(view) with
    {
        Items = [.. server.Clips.Skip(clips + 2).Take(previewClips).Select(c => new Tccg.Server.Features.Compilations.ItemRequest(c.Id, 0.5, 2.0, 1))],
        IntervalAssetId = interval.Id,
        OutroAssetId = outro.Id,
    }, CancellationToken.None);
}
await page.GotoAsync($"/compilations/{previewCompilation.Id}");
await page.WaitForSelectorAsync(".titem");
await page.ClickAsync("#preview-button");
await page.WaitForSelectorAsync("#compilation-preview[data-state='ended']", new() { Timeout = 300_000 });
var gaps = await page.EvaluateAsync<double[]>("() => window.tccgPreviewGaps || []");
var previewPlan = (await (await page.APIRequest.GetAsync($"/api/v1/compilations/{previewCompilation.Id}/preview")).JsonAsync())!.Value;
var gapBaseline = await page.EvaluateAsync<double[]>(@"async json => {
  const plan = JSON.parse(json);
  const v = document.createElement('video'); v.muted = true; v.style.width = '640px'; document.body.appendChild(v);
  const out = [], fps = plan.fps;
  const ready = () => new Promise(r => { const c = () => { if (v.readyState >= 2 && !v.seeking) r(); else setTimeout(c, 2); }; c(); });
  let last = null;
  for (const p of plan.pieces) {
    v.src = p.src; v.currentTime = p.start;
    await new Promise(r => {
      const first = now => { if (last != null) out.push(now - last); follow(); };
      const follow = () => v.requestVideoFrameCallback((now, meta) => {
        if (meta.mediaTime + 1.5 / fps >= p.start + p.seconds) { last = now; v.pause(); r(); } else follow();
      });
      v.requestVideoFrameCallback(first);
      v.play().catch(() => {});
      setTimeout(r, 15000);
    });
  }
  v.remove();
  return out;
}", previewPlan.GetRawText());
Console.Error.WriteLine("bench: preview done");

// Baseline: switch one <video>'s src and play, no preloading (same clips, same page, same wait).
var baseline = await page.EvaluateAsync<double[]>(@"async ([ids]) => {
  const v = document.createElement('video'); v.muted = true; document.body.appendChild(v);
  const out = [];
  for (const id of ids) {
    await new Promise(r => setTimeout(r, 250));
    const t0 = performance.now();
    v.src = `/api/v1/clips/${id}/media`;
    await new Promise(r => { v.requestVideoFrameCallback(() => { out.push(performance.now() - t0); r(); }); v.play().catch(() => {}); });
  }
  v.remove();
  return out;
}", new object[] { server.Clips.Skip(clips + 2).Take(clips).Select(c => c.Id).ToArray() });

static async Task<ClipRecord> SeedBigClipAsync(EditorServer server, string twitchId)
{
    var ct = CancellationToken.None;
    var path = Path.Combine(Path.GetTempPath(), "tccg-bench-1080p60.mp4");
    if (!File.Exists(path))
    {
        await TestMedia.RunAsync("ffmpeg", "-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi", "-i", "testsrc2=s=1920x1080:r=60:d=10",
            "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000:duration=10", "-c:v", "libx264", "-preset", "veryfast", "-crf", "23",
            "-g", "120", "-keyint_min", "120", "-sc_threshold", "0", "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest", "-movflags", "+faststart", path + ".tmp.mp4");
        File.Move(path + ".tmp.mp4", path, overwrite: true);
    }
    var store = server.Service<IClipStore>();
    await store.UpsertFoundAsync([new FoundClip
    {
        TwitchClipId = twitchId, Url = "https://clips.twitch.tv/" + twitchId, BroadcasterId = "9", BroadcasterName = "Big",
        GameId = "1080", Title = "1080p60", ViewCount = 1, CreatedAt = DateTimeOffset.UnixEpoch, Duration = 10,
    }], ct);
    var found = await store.GetByTwitchIdAsync(twitchId, ct);
    var relative = $"clips/1080/{twitchId}.mp4";
    Directory.CreateDirectory(Path.Combine(server.DataDir, "clips", "1080"));
    File.Copy(path, Path.Combine(server.DataDir, relative), overwrite: true);
    var facts = new Tccg.Core.Media.MediaFacts(10, 1920, 1080, 60, "h264", "aac", 48000, 2, "", 0);
    return await store.MarkDownloadedAsync(found!.Id, new DownloadedClipFile(relative, new FileInfo(Path.Combine(server.DataDir, relative)).Length, facts, -20), ct);
}

static double Pct(IReadOnlyList<double> xs, double p)
{
    var sorted = xs.Order().ToArray();
    return sorted[Math.Clamp((int)Math.Ceiling(p / 100 * sorted.Length) - 1, 0, sorted.Length - 1)];
}

var inv = CultureInfo.InvariantCulture;
Console.WriteLine(string.Create(inv, $"keep -> next first frame, editor (preloaded), n={keeps.Length}: p50 {Pct(keeps, 50):0.0} ms, p95 {Pct(keeps, 95):0.0} ms, max {keeps.Max():0.0} ms"));
Console.WriteLine(string.Create(inv, $"keep -> next first frame, baseline (switch src), n={baseline.Length}: p50 {Pct(baseline, 50):0.0} ms, p95 {Pct(baseline, 95):0.0} ms"));
Console.WriteLine(string.Create(inv, $"ratio editor/baseline: p50 {Pct(keeps, 50) / Pct(baseline, 50):0.00}, p95 {Pct(keeps, 95) / Pct(baseline, 95):0.00}"));
Console.WriteLine(string.Create(inv, $"open review page -> first frame, n={firstFrames.Count}: p50 {Pct(firstFrames, 50):0} ms, p95 {Pct(firstFrames, 95):0} ms (target <= 1000 ms)"));
Console.WriteLine(string.Create(inv, $"scrub bar: clip shown -> waveform and filmstrip drawn (files made beforehand), n={drawn.Length}: p50 {Pct(drawn, 50):0.0} ms, p95 {Pct(drawn, 95):0.0} ms (target <= 300 ms)"));
Console.WriteLine(string.Create(inv, $"scrub bar: making them on a first request (one ffmpeg run), n={made.Count}: p50 {Pct(made, 50):0} ms, p95 {Pct(made, 95):0} ms"));
Console.WriteLine(string.Create(inv, $"scrub bar: click -> new frame presented, n={seeks.Count}: p50 {Pct(seeks, 50):0.0} ms, p95 {Pct(seeks, 95):0.0} ms (target <= 80 ms)"));
Console.WriteLine(string.Create(inv, $"seek 1080p60 2 s GOP original, n={bigSeeks[0].Length}: p50 {Pct(bigSeeks[0], 50):0.0} ms, p95 {Pct(bigSeeks[0], 95):0.0} ms"));
Console.WriteLine(string.Create(inv, $"seek its scrub proxy (360p, GOP 6), n={bigSeeks[1].Length}: p50 {Pct(bigSeeks[1], 50):0.0} ms, p95 {Pct(bigSeeks[1], 95):0.0} ms; ratio proxy/original p50 {Pct(bigSeeks[1], 50) / Pct(bigSeeks[0], 50):0.00}, p95 {Pct(bigSeeks[1], 95) / Pct(bigSeeks[0], 95):0.00}"));
Console.WriteLine(string.Create(inv, $"seek its all-intra proxy (360p, GOP 1), n={bigSeeks[2].Length}: p50 {Pct(bigSeeks[2], 50):0.0} ms, p95 {Pct(bigSeeks[2], 95):0.0} ms; ratio all-intra/GOP 6 p50 {Pct(bigSeeks[2], 50) / Pct(bigSeeks[1], 50):0.00}, p95 {Pct(bigSeeks[2], 95) / Pct(bigSeeks[1], 95):0.00}; sizes GOP 6 {proxySizes[0] / 1024} KiB, GOP 1 {proxySizes[1] / 1024} KiB"));
Console.WriteLine(string.Create(inv, $"seek the GOP 6 proxy with fastSeek, n={bigSeeks[3].Length}: p50 {Pct(bigSeeks[3], 50):0.0} ms, p95 {Pct(bigSeeks[3], 95):0.0} ms; ratio fastSeek/currentTime p50 {Pct(bigSeeks[3], 50) / Pct(bigSeeks[1], 50):0.00}, p95 {Pct(bigSeeks[3], 95) / Pct(bigSeeks[1], 95):0.00}"));
Console.WriteLine(string.Create(inv, $"preview: last frame -> next piece's first frame, n={gaps.Length}: p50 {Pct(gaps, 50):0.0} ms, p95 {Pct(gaps, 95):0.0} ms, max {gaps.DefaultIfEmpty(0).Max():0.0} ms (one frame at 30 fps is 33.3 ms)"));
Console.WriteLine("preview gaps, sorted (ms): " + string.Join(' ', gaps.Order().Select(g => g.ToString("0", inv))));
Console.WriteLine(string.Create(inv, $"preview baseline (one <video>, src switched), n={gapBaseline.Length}: p50 {Pct(gapBaseline, 50):0.0} ms, p95 {Pct(gapBaseline, 95):0.0} ms; ratio preview/baseline p50 {Pct(gaps, 50) / Pct(gapBaseline, 50):0.00}, p95 {Pct(gaps, 95) / Pct(gapBaseline, 95):0.00}"));
Console.WriteLine(string.Create(inv, $"targets: keep p95 <= 150 ms: {(Pct(keeps, 95) <= 150 ? "met" : "MISSED")}; open <= 1 s: {(Pct(firstFrames, 50) <= 1000 ? "met" : "MISSED")}; waveform+filmstrip p95 <= 300 ms: {(Pct(drawn, 95) <= 300 ? "met" : "MISSED")}; seek p95 <= 80 ms: {(Pct(seeks, 95) <= 80 ? "met" : "MISSED")}; preview gap p95 <= 50 ms: {(Pct(gaps, 95) <= 50 ? "met" : "MISSED")}"));
