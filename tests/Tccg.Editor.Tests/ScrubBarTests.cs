using System.Globalization;
using System.Text.Json;
using Microsoft.Playwright;
using Tccg.Storage.Clips;
using Tccg.Storage.Compilations;

namespace Tccg.Editor.Tests;

/// <summary>The review page's scrub bar (ScrubBar.razor, scrubbar.js) in a real Chromium against a real server.</summary>
[Collection(BrowserCollection.Name)]
public sealed class ScrubBarTests(BrowserFixture browser)
{
    private const string Head = ".scrub-track[aria-label='Playhead']";
    private const string TrimIn = ".scrub-handle[aria-label='Trim in']";
    private const string TrimOut = ".scrub-handle[aria-label='Trim out']";

    [Fact]
    public async Task DraggingTheHandles_SetsTheTrimsThatKeepSaves()
    {
        await using var server = await EditorServer.StartAsync(clips: 3);
        var user = await server.AddUserAsync("dragger");
        var compilation = await server.AddCompilationAsync(user);
        var page = await browser.NewPageAsync(server);
        await BrowserFixture.WithScreenshotOnFailureAsync(page, async () =>
        {
            await BrowserFixture.LoginAsync(page, "dragger");
            await page.GotoAsync($"/review/{compilation.Id}");
            await ReviewTests.ShowsAsync(page, server.Clips[0].Id);
            await DrawnAsync(page, server.Clips[0].Id);
            var duration = TestMedia.ClipSeconds;
            await Assertions.Expect(page.Locator(TrimOut)).ToHaveAttributeAsync("aria-valuemax", duration.ToString(CultureInfo.InvariantCulture));

            var track = (await page.Locator(Head).BoundingBoxAsync())!;
            var y = track.Y + (track.Height / 2);

            // Dragging the playhead shows the scrub proxy above the bar; the player seeks once, where the drag ends.
            await page.EvaluateAsync("() => document.querySelector('video.current').pause()");
            await page.Mouse.MoveAsync(track.X + (track.Width * 0.1f), y);
            await page.WaitForFunctionAsync("() => { const p = document.querySelector('.scrub-preview'); return p.src.endsWith('/proxy') && p.readyState >= 1; }");
            await page.Mouse.DownAsync();
            await page.Mouse.MoveAsync(track.X + (track.Width * 0.4f), y, new() { Steps = 5 });
            await Assertions.Expect(page.Locator(".scrub-preview")).ToBeVisibleAsync();
            await page.Mouse.MoveAsync(track.X + (track.Width * 0.6f), y, new() { Steps = 5 });
            await page.Mouse.UpAsync();
            await Assertions.Expect(page.Locator(".scrub-preview")).ToBeHiddenAsync();
            var at = await page.EvaluateAsync<double>("() => document.querySelector('video.current').currentTime");
            Assert.InRange(at, (duration * 0.6) - 0.05, (duration * 0.6) + 0.05);
            Assert.InRange(await ValueAsync(page, Head), (duration * 0.6) - 0.05, (duration * 0.6) + 0.05);
            await DragAsync(page, TrimIn, track.X + (track.Width * 0.2), y);
            await DragAsync(page, TrimOut, track.X + (track.Width * 0.8), y);
            var trimIn = await ValueAsync(page, TrimIn);
            var trimOut = await ValueAsync(page, TrimOut);
            await BrowserFixture.SaveScreenshotAsync(page, "review-scrub");
            Assert.InRange(trimIn, (duration * 0.2) - 0.05, (duration * 0.2) + 0.05);
            Assert.InRange(trimOut, (duration * 0.8) - 0.05, (duration * 0.8) + 0.05);

            // Keep with the mouse-made trims; the API shows them on the compilation's item.
            await page.Keyboard.PressAsync("k");
            await ReviewTests.ShowsAsync(page, server.Clips[1].Id);
            JsonElement item = default;
            for (var wait = 0; wait < 100; wait++)
            {
                var response = await page.APIRequest.GetAsync($"/api/v1/compilations/{compilation.Id}");
                Assert.True(response.Ok, $"GET compilation: {response.Status}");
                var items = (await response.JsonAsync())!.Value.GetProperty("items");
                if (items.GetArrayLength() == 1)
                {
                    item = items[0];
                    break;
                }
                await Task.Delay(100);
            }
            Assert.Equal(server.Clips[0].Id, item.GetProperty("clipId").GetInt64());
            Assert.Equal(trimIn, item.GetProperty("trimStart").GetDouble(), 3);
            Assert.Equal(trimOut, item.GetProperty("trimEnd").GetDouble(), 3);
        });
    }

    [Fact]
    public async Task Keys_MoveThePlayheadAndTrimsByTheirDocumentedAmounts()
    {
        await using var server = await EditorServer.StartAsync();
        var clip = await SeedLongClipAsync(server);
        var user = await server.AddUserAsync("keys");
        var compilation = await server.AddCompilationAsync(user);
        var page = await browser.NewPageAsync(server);
        await BrowserFixture.WithScreenshotOnFailureAsync(page, async () =>
        {
            await BrowserFixture.LoginAsync(page, "keys");
            await page.GotoAsync($"/review/{compilation.Id}");
            await ReviewTests.ShowsAsync(page, clip.Id);
            await DrawnAsync(page, clip.Id);
            await page.EvaluateAsync("() => document.querySelector('video.current').pause()");
            var frame = 1.0 / 30;

            async Task PressExpectAsync(string key, double expected)
            {
                await page.Keyboard.PressAsync(key);
                await ExpectValueAsync(page, Head, expected);
            }

            await PressExpectAsync("Home", 0);
            await PressExpectAsync("l", 1);
            await PressExpectAsync("Shift+L", 6);
            await PressExpectAsync("j", 5);
            await PressExpectAsync("Shift+J", 0);
            await PressExpectAsync("Shift+L", 5);
            await PressExpectAsync(".", 5 + frame);
            await PressExpectAsync(".", 5 + (2 * frame));
            await PressExpectAsync(",", 5 + frame);
            Assert.True(await page.EvaluateAsync<bool>("() => document.querySelector('video.current').paused"));

            // I / O trim at the playhead; Home / End go to them.
            await page.Keyboard.PressAsync("i");
            await ExpectValueAsync(page, TrimIn, 5 + frame);
            await PressExpectAsync("Shift+L", 10 + frame);
            await page.Keyboard.PressAsync("o");
            await ExpectValueAsync(page, TrimOut, 10 + frame);
            await PressExpectAsync("Home", 5 + frame);
            await PressExpectAsync("End", 10 + frame);
            await PressExpectAsync("Home", 5 + frame);
            Assert.Contains("0:05.0 → 0:10.0", await page.TextContentAsync("[data-f=trim]") ?? "", StringComparison.Ordinal);

            // M mutes, P plays only the trimmed range, < and > change the speed with the pitch kept.
            await page.Keyboard.PressAsync("m");
            Assert.True(await page.EvaluateAsync<bool>("() => document.querySelector('video.current').muted"));
            await page.Keyboard.PressAsync("m");
            Assert.False(await page.EvaluateAsync<bool>("() => document.querySelector('video.current').muted"));
            await page.Keyboard.PressAsync(">");
            Assert.Equal(1.5, await page.EvaluateAsync<double>("() => document.querySelector('video.current').playbackRate"));
            await page.Keyboard.PressAsync(">");
            await page.Keyboard.PressAsync(">");
            Assert.Equal(2, await page.EvaluateAsync<double>("() => document.querySelector('video.current').playbackRate"));
            await page.Keyboard.PressAsync("<");
            Assert.Equal(1.5, await page.EvaluateAsync<double>("() => document.querySelector('video.current').playbackRate"));
            Assert.True(await page.EvaluateAsync<bool>("() => document.querySelector('video.current').preservesPitch"));
            await page.Keyboard.PressAsync("<");
            await PressExpectAsync("End", 10 + frame);
            await page.Keyboard.PressAsync("p");
            await page.WaitForFunctionAsync("() => { const v = document.querySelector('video.current'); return !v.paused && v.currentTime > 5.2 && v.currentTime < 10; }");
            // It stops at trim out.
            await page.WaitForFunctionAsync("() => document.querySelector('video.current').paused", null, new() { Timeout = 15_000 });
            var stopped = await ValueAsync(page, Head);
            Assert.InRange(stopped, 10 + frame - 0.02, 10 + frame + 0.4);

            // The review's own keys still work: [ sets trim in at the playhead, ↑ the volume, K keeps.
            await PressExpectAsync("Home", 5 + frame);
            await page.Keyboard.PressAsync("ArrowUp");
            Assert.Equal("110 %", await page.TextContentAsync("[data-f=volume]"));
            await page.Keyboard.PressAsync("?");
            await Assertions.Expect(page.Locator("#review-help")).ToBeVisibleAsync();
            var help = await page.TextContentAsync("#review-help") ?? "";
            foreach (var words in new[] { "Back / forward 1 s", "One frame", "Go to trim in", "Mute", "trimmed range", "speed" })
                Assert.Contains(words, help, StringComparison.Ordinal);
            await page.Keyboard.PressAsync("Escape");
            await page.Keyboard.PressAsync("k");
            await Assertions.Expect(page.Locator("[data-f=kept]")).ToHaveTextAsync("1");
        });
    }

    [Fact]
    public async Task FocusedSliders_MoveOneFramePerArrow_AndEscGivesTheArrowsBackToThePlayer()
    {
        await using var server = await EditorServer.StartAsync();
        var clip = await SeedLongClipAsync(server);
        var user = await server.AddUserAsync("arrows");
        var compilation = await server.AddCompilationAsync(user);
        var page = await browser.NewPageAsync(server);
        await BrowserFixture.WithScreenshotOnFailureAsync(page, async () =>
        {
            await BrowserFixture.LoginAsync(page, "arrows");
            await page.GotoAsync($"/review/{compilation.Id}");
            await ReviewTests.ShowsAsync(page, clip.Id);
            await DrawnAsync(page, clip.Id);
            await page.EvaluateAsync("() => document.querySelector('video.current').pause()");
            var frame = 1.0 / 30;

            foreach (var (slider, start) in new[] { (TrimIn, 0.0), (TrimOut, LongClipSeconds), (Head, -1.0) })
            {
                var locator = page.Locator(slider);
                Assert.Equal("slider", await locator.GetAttributeAsync("role"));
                Assert.Equal("0", await locator.GetAttributeAsync("aria-valuemin"));
                Assert.Equal(LongClipSeconds.ToString(CultureInfo.InvariantCulture), await locator.GetAttributeAsync("aria-valuemax"));
                await locator.FocusAsync();
                if (start < 0)
                {
                    // The playhead starts from trim in (Home), a whole frame, like the trims.
                    await page.Keyboard.PressAsync("Home");
                    await ExpectValueAsync(page, slider, 1 + (3 * frame));
                }
                var from = start >= 0 ? start : await ValueAsync(page, slider);
                var sign = start == LongClipSeconds ? -1 : 1;
                var key = sign > 0 ? "ArrowRight" : "ArrowLeft";
                for (var i = 1; i <= 3; i++)
                {
                    await page.Keyboard.PressAsync(key);
                    await ExpectValueAsync(page, slider, from + (sign * i * frame));
                }
                await page.Keyboard.PressAsync("Shift+" + key);
                await ExpectValueAsync(page, slider, from + (sign * ((3 * frame) + 1)));
            }

            // Nothing was kept or skipped by those arrows.
            Assert.Equal("0", await page.TextContentAsync("[data-f=kept]"));
            Assert.Equal(clip.Id.ToString(CultureInfo.InvariantCulture), await page.GetAttributeAsync("#review-meta", "data-clip"));

            // Esc: the focus goes back to the player, where → keeps the clip (with the trims set above).
            await page.Keyboard.PressAsync("Escape");
            Assert.Equal("review-stage", await page.EvaluateAsync<string>("() => document.activeElement.id"));
            await page.Keyboard.PressAsync("ArrowRight");
            await Assertions.Expect(page.Locator("[data-f=kept]")).ToHaveTextAsync("1");
            var store = server.Service<ICompilationStore>();
            IReadOnlyList<CompilationItem> items = [];
            for (var wait = 0; wait < 100 && items.Count == 0; wait++)
            {
                await Task.Delay(100);
                items = await store.GetItemsAsync(compilation.Id, CancellationToken.None);
            }
            Assert.Equal(Math.Round((3 * frame) + 1, 3), items.Single().TrimStart ?? -1, 3);
            Assert.Equal(Math.Round(LongClipSeconds - (3 * frame) - 1, 3), items.Single().TrimEnd ?? -1, 3);
        });
    }

    internal const double LongClipSeconds = 12;

    /// <summary>A game and one downloaded 12 s clip at 30 fps with a tone that changes loudness (room for 5 s steps).</summary>
    internal static async Task<ClipRecord> SeedLongClipAsync(EditorServer server, string id = "LongClip")
    {
        var ct = CancellationToken.None;
        var source = await LongClipAsync();
        await server.Service<Tccg.Storage.Games.IGameStore>().AddAsync(new Tccg.Storage.Games.Game { TwitchGameId = EditorServer.GameId, Name = "Just Chatting" }, ct);
        var store = server.Service<IClipStore>();
        await store.UpsertFoundAsync([new FoundClip
        {
            TwitchClipId = id, Url = "https://clips.twitch.tv/" + id, BroadcasterId = "77", BroadcasterName = "Scrubber",
            GameId = EditorServer.GameId, Title = "A long clip", ViewCount = 500, CreatedAt = DateTimeOffset.UnixEpoch, Duration = LongClipSeconds,
        }], ct);
        var found = await store.GetByTwitchIdAsync(id, ct);
        var relative = $"clips/{EditorServer.GameId}/{id}.mp4";
        var full = Path.Combine(server.DataDir, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.Copy(source, full);
        var facts = new Tccg.Core.Media.MediaFacts(LongClipSeconds, 320, 180, 30, "h264", "aac", 48000, 2, "", 0);
        return await store.MarkDownloadedAsync(found!.Id, new DownloadedClipFile(relative, new FileInfo(full).Length, facts, -20), ct);
    }

    private static readonly SemaphoreSlim LongGate = new(1, 1);

    private static async Task<string> LongClipAsync()
    {
        var path = Path.Combine(Path.GetTempPath(), $"tccg-editor-long-{Environment.ProcessId.ToString(CultureInfo.InvariantCulture)}.mp4");
        await LongGate.WaitAsync();
        try
        {
            if (!File.Exists(path))
            {
                await TestMedia.RunAsync("ffmpeg", "-hide_banner", "-loglevel", "error", "-y",
                    "-f", "lavfi", "-i", "testsrc2=s=320x180:r=30:d=12",
                    "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000:duration=12",
                    "-af", "volume='if(lt(mod(t,4),2),1,0.1)':eval=frame",
                    "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-g", "30",
                    "-c:a", "aac", "-ac", "2", "-shortest", "-movflags", "+faststart", path + ".tmp.mp4");
                File.Move(path + ".tmp.mp4", path, overwrite: true);
            }
            return path;
        }
        finally
        {
            LongGate.Release();
        }
    }


    internal static Task DrawnAsync(IPage page, long clipId) =>
        page.WaitForSelectorAsync($".scrub[data-drawn='{clipId.ToString(CultureInfo.InvariantCulture)}']");

    internal static async Task DragAsync(IPage page, string handle, double toX, double y)
    {
        var box = (await page.Locator(handle).BoundingBoxAsync())!;
        await page.Mouse.MoveAsync(box.X + (box.Width / 2), box.Y + (box.Height / 2));
        await page.Mouse.DownAsync();
        await page.Mouse.MoveAsync((float)toX, (float)y, new() { Steps = 8 });
        await page.Mouse.UpAsync();
    }

    internal static async Task<double> ValueAsync(IPage page, string slider) =>
        double.Parse(await page.GetAttributeAsync(slider, "aria-valuenow") ?? "nan", CultureInfo.InvariantCulture);

    internal static async Task ExpectValueAsync(IPage page, string slider, double expected, float timeoutMs = 3000)
    {
        var want = Math.Round(expected, 3).ToString(CultureInfo.InvariantCulture);
        try
        {
            await Assertions.Expect(page.Locator(slider)).ToHaveAttributeAsync("aria-valuenow", want, new() { Timeout = timeoutMs });
        }
        catch (PlaywrightException)
        {
            Assert.Fail($"{slider}: aria-valuenow {await page.GetAttributeAsync(slider, "aria-valuenow")}, expected {want}");
        }
    }
}
