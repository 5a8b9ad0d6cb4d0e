using System.Globalization;
using Microsoft.Playwright;
using Tccg.Storage.Compilations;

namespace Tccg.Editor.Tests;

[Collection(BrowserCollection.Name)]
public sealed class ReviewTests(BrowserFixture browser)
{
    [Fact]
    public async Task Review_TwentyClipsByKeyboard_PersistsKeepsSkipsUndoTrimsAndVolume()
    {
        await using var server = await EditorServer.StartAsync(clips: 21);
        var user = await server.AddUserAsync("reviewer");
        var compilation = await server.AddCompilationAsync(user);
        var page = await browser.NewPageAsync(server);
        await BrowserFixture.WithScreenshotOnFailureAsync(page, async () =>
        {
            await BrowserFixture.LoginAsync(page, "reviewer");
            await page.GotoAsync($"/review/{compilation.Id}");

            // Clip 0: trim in and out at the playhead, volume up twice, keep. The playhead is put where the trims go (the
            // player paused), so the trims do not depend on how fast a loaded machine plays the clip.
            await ShowsAsync(page, server.Clips[0].Id);
            await PlayheadAtAsync(page, 0.8);
            await page.Keyboard.PressAsync("[");
            await PlayheadAtAsync(page, 1.9);
            await page.Keyboard.PressAsync("]");
            await page.Keyboard.PressAsync("ArrowUp");
            await page.Keyboard.PressAsync("ArrowUp");
            Assert.Equal("120 %", await page.TextContentAsync("[data-f=volume]"));
            await page.Keyboard.PressAsync("k");

            // Clips 1..19: skip with S or ←, keep with K or →; undo once on the way.
            var expected = new Dictionary<long, ReviewDecision> { [server.Clips[0].Id] = ReviewDecision.Keep };
            for (var i = 1; i < 20; i++)
            {
                await ShowsAsync(page, server.Clips[i].Id);
                var keep = i % 3 != 1;
                await page.Keyboard.PressAsync(keep ? (i % 2 == 0 ? "k" : "ArrowRight") : (i % 2 == 0 ? "s" : "ArrowLeft"));
                if (i == 5)
                {
                    // Undo brings clip 5 back; this time skip it.
                    await ShowsAsync(page, server.Clips[6].Id);
                    await page.Keyboard.PressAsync("u");
                    await ShowsAsync(page, server.Clips[5].Id);
                    await page.Keyboard.PressAsync("s");
                    keep = false;
                }

                expected[server.Clips[i].Id] = keep ? ReviewDecision.Keep : ReviewDecision.Skip;
            }

            await ShowsAsync(page, server.Clips[20].Id);
            var keptCount = expected.Values.Count(d => d == ReviewDecision.Keep);
            Assert.Equal(keptCount.ToString(CultureInfo.InvariantCulture), await page.TextContentAsync("[data-f=kept]"));

            // The decisions reach the store asynchronously, one at a time in the order they were made: wait for the state
            // the page decided (a deadline only as a safety net on a loaded machine).
            var store = server.Service<ICompilationStore>();
            var want = expected.OrderBy(p => p.Key).ToList();
            IReadOnlyList<ReviewEntry> decisions = [];
            var deadline = DateTime.UtcNow.AddSeconds(60);
            do
            {
                decisions = await store.GetDecisionsAsync(compilation.Id, CancellationToken.None);
                if (decisions.Count == want.Count && decisions.ToDictionary(d => d.ClipId, d => d.Decision).OrderBy(p => p.Key).SequenceEqual(want))
                    break;
                await Task.Delay(100);
            }
            while (DateTime.UtcNow < deadline);

            Assert.Equal(want, decisions.ToDictionary(d => d.ClipId, d => d.Decision).OrderBy(p => p.Key));
            var items = await store.GetItemsAsync(compilation.Id, CancellationToken.None);
            Assert.Equal(
                expected.Where(p => p.Value == ReviewDecision.Keep).Select(p => p.Key).Order(),
                items.Select(i => i.ClipId));
            var first = items[0];
            Assert.Equal(server.Clips[0].Id, first.ClipId);
            Assert.Equal(0.8, first.TrimStart ?? -1, 3);
            Assert.Equal(1.9, first.TrimEnd ?? -1, 3);
            Assert.Equal(1.2, first.Volume, 3);
            Assert.All(items.Skip(1), i => Assert.Null(i.TrimStart));
        });
    }

    [Fact]
    public async Task Review_HelpKey_ListsEveryKey()
    {
        await using var server = await EditorServer.StartAsync(clips: 2);
        var user = await server.AddUserAsync("helpme");
        var compilation = await server.AddCompilationAsync(user);
        var page = await browser.NewPageAsync(server);
        await BrowserFixture.WithScreenshotOnFailureAsync(page, async () =>
        {
            await BrowserFixture.LoginAsync(page, "helpme");
            await page.GotoAsync($"/review/{compilation.Id}");
            await ShowsAsync(page, server.Clips[0].Id);
            await page.Keyboard.PressAsync("?");
            var help = await page.TextContentAsync("#review-help") ?? "";
            await Assertions.Expect(page.Locator("#review-help")).ToBeVisibleAsync();
            foreach (var words in new[] { "Keep", "Skip", "Undo", "Play / pause", "Trim in", "Trim out", "Volume" })
                Assert.Contains(words, help, StringComparison.Ordinal);
            await page.Keyboard.PressAsync("Escape");
            await Assertions.Expect(page.Locator("#review-help")).ToBeHiddenAsync();
        });
    }

    internal static Task ShowsAsync(IPage page, long clipId) =>
        page.WaitForSelectorAsync($"#review-meta[data-clip='{clipId.ToString(CultureInfo.InvariantCulture)}']", new() { Timeout = 30_000 });

    /// <summary>Pauses the current clip with its playhead at <paramref name="seconds"/> (waits until the player is there).</summary>
    private static async Task PlayheadAtAsync(IPage page, double seconds)
    {
        await page.WaitForFunctionAsync("() => { const v = document.querySelector('video.current'); return v && v.readyState >= 1; }", null, new() { Timeout = 30_000 });
        await page.EvaluateAsync("t => { const v = document.querySelector('video.current'); v.pause(); v.currentTime = t; }", seconds);
        await page.WaitForFunctionAsync("t => { const v = document.querySelector('video.current'); return v.paused && !v.seeking && Math.abs(v.currentTime - t) < 0.001; }", seconds, new() { Timeout = 30_000 });
    }
}
