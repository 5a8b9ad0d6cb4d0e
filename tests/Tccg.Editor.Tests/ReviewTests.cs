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

            // Clip 0: trim in and out at the playhead, volume up twice, keep.
            await ShowsAsync(page, server.Clips[0].Id);
            await page.WaitForFunctionAsync("() => { const v = document.querySelector('video.current'); return v && !v.paused && v.currentTime > 0.5; }");
            await page.Keyboard.PressAsync("[");
            await page.WaitForFunctionAsync("() => document.querySelector('video.current').currentTime > 1.4");
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

            // The decisions reach the store asynchronously.
            var store = server.Service<ICompilationStore>();
            IReadOnlyList<ReviewEntry> decisions = [];
            for (var wait = 0; wait < 100 && decisions.Count < 20; wait++)
            {
                await Task.Delay(100);
                decisions = await store.GetDecisionsAsync(compilation.Id, CancellationToken.None);
            }

            Assert.Equal(expected.OrderBy(p => p.Key), decisions.ToDictionary(d => d.ClipId, d => d.Decision).OrderBy(p => p.Key));
            var items = await store.GetItemsAsync(compilation.Id, CancellationToken.None);
            Assert.Equal(
                expected.Where(p => p.Value == ReviewDecision.Keep).Select(p => p.Key).Order(),
                items.Select(i => i.ClipId));
            var first = items[0];
            Assert.Equal(server.Clips[0].Id, first.ClipId);
            Assert.InRange(first.TrimStart ?? -1, 0.4, 1.4);
            Assert.InRange(first.TrimEnd ?? -1, 1.3, 2.5);
            Assert.True(first.TrimEnd > first.TrimStart + 0.5);
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
        page.WaitForSelectorAsync($"#review-meta[data-clip='{clipId.ToString(CultureInfo.InvariantCulture)}']");
}
