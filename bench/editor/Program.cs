// bench/editor: how fast the review page answers, in a real Chromium against a real server on loopback.
//  1. keep -> next clip's first frame (requestVideoFrameCallback), over N clips, with the editor's preloading,
//     against a baseline in the same page and run: one <video> whose src is switched and played (no preloading);
//  2. opening the review page -> first frame of the first clip.
using System.Globalization;
using Microsoft.Playwright;
using Tccg.Editor.Tests;

var clips = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 50;
var opens = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 10;

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

// 2. Open -> first frame (a fresh compilation each time, so the first clip is always the same kind of work).
var firstFrames = new List<double>();
for (var i = 0; i < opens; i++)
{
    var c = await server.AddCompilationAsync(user, $"open {i}");
    await page.GotoAsync($"/review/{c.Id}");
    await page.WaitForFunctionAsync("() => typeof window.tccgFirstFrame === 'number'", null, new() { Timeout = 15_000 });
    firstFrames.Add(await page.EvaluateAsync<double>("() => window.tccgFirstFrame"));
}

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
Console.WriteLine(string.Create(inv, $"targets: keep p95 <= 150 ms: {(Pct(keeps, 95) <= 150 ? "met" : "MISSED")}; open <= 1 s: {(Pct(firstFrames, 50) <= 1000 ? "met" : "MISSED")}"));
