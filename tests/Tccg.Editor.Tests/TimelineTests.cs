using System.Globalization;
using Microsoft.Playwright;
using Tccg.Storage;
using Tccg.Storage.Assets;
using Tccg.Storage.Compilations;
using Tccg.Core.Compilations;

namespace Tccg.Editor.Tests;

[Collection(BrowserCollection.Name)]
public sealed class TimelineTests(BrowserFixture browser)
{
    [Fact]
    public async Task Timeline_DragTrimAndPickIntro_PersistsOrderTrimAndAsset()
    {
        await using var server = await EditorServer.StartAsync(clips: 4);
        var user = await server.AddUserAsync("editor");
        var compilation = await server.AddCompilationAsync(user);
        var store = server.Service<ICompilationStore>();
        var ids = server.Clips.Select(c => c.Id).ToList();
        await store.SetItemsAsync(compilation.Id, [.. ids.Select(id => new CompilationItem(id))], CancellationToken.None);
        var intro = await server.AddAssetAsync(AssetRole.Intro, "intro ✨ 開始.mp4");

        var page = await browser.NewPageAsync(server);
        await BrowserFixture.WithScreenshotOnFailureAsync(page, async () =>
        {
            await BrowserFixture.LoginAsync(page, "editor");
            await page.GotoAsync($"/compilations/{compilation.Id}");
            await page.WaitForSelectorAsync(".titem");

            // Drag the last clip onto the first.
            await page.Locator($".titem[data-clip='{ids[3]}']").DragToAsync(page.Locator($".titem[data-clip='{ids[0]}']"));
            await EventuallyAsync(async () => (await store.GetItemsAsync(compilation.Id, CancellationToken.None)).Select(i => i.ClipId).SequenceEqual([ids[3], ids[0], ids[1], ids[2]]));
            // The page re-renders after the save: wait for the new first row before using it.
            var first = ids[3].ToString(CultureInfo.InvariantCulture);
            await EventuallyAsync(async () => await page.Locator(".titem").First.GetAttributeAsync("data-clip") == first);
            Assert.Equal(first, await page.Locator(".titem").First.GetAttributeAsync("data-clip"));

            // Numeric trim on the (new) first clip.
            await page.Locator(".titem").First.Locator(".trim-in").FillAsync("0.5");
            await page.Locator(".titem").First.Locator(".trim-in").PressAsync("Tab");
            await EventuallyAsync(async () => (await store.GetItemsAsync(compilation.Id, CancellationToken.None))[0].TrimStart == 0.5);

            // Pick the intro from the assets.
            await page.SelectOptionAsync(".pick-intro", intro.Id.ToString(CultureInfo.InvariantCulture));
            await EventuallyAsync(async () => (await store.GetAsync(compilation.Id, CancellationToken.None))!.IntroAssetId == intro.Id);
            await page.WaitForSelectorAsync(".toast-success");
            Assert.Contains("Ready to render", await page.TextContentAsync("#rules") ?? "", StringComparison.Ordinal);

            // Remove a clip.
            await page.Locator($".titem[data-clip='{ids[2]}'] .remove").ClickAsync();
            await EventuallyAsync(async () => (await store.GetItemsAsync(compilation.Id, CancellationToken.None)).Count == 3);
        });
    }

    internal static async Task EventuallyAsync(Func<Task<bool>> condition)
    {
        for (var i = 0; i < 100; i++)
        {
            if (await condition())
                return;
            await Task.Delay(100);
        }

        Assert.Fail("The condition did not become true within 10 s.");
    }
}
