using System.Globalization;
using System.Text.Json;
using Microsoft.Playwright;
using Tccg.Core.Compilations;
using Tccg.Storage.Compilations;

namespace Tccg.Editor.Tests;

/// <summary>The per-clip layout editor: a box dragged with the mouse and nudged with the keys is saved as the item's layout,
/// and becomes the default of that streamer's next clip.</summary>
[Collection(BrowserCollection.Name)]
public sealed class LayoutEditorTests(BrowserFixture browser)
{
    private static async Task<JsonElement> ApiAsync(IPage page, string path)
    {
        var response = await page.Context.APIRequest.GetAsync(path);
        Assert.True(response.Ok, $"GET {path}: {response.Status}");
        return JsonDocument.Parse(await response.TextAsync()).RootElement.Clone();
    }

    [Fact]
    public async Task DragTheFacecamBox_SavesTheItemsLayout_AndTheStreamersNextClipStartsFromIt()
    {
        await using var server = await EditorServer.StartAsync(clips: 5);
        var user = await server.AddUserAsync("editor");
        var store = server.Service<ICompilationStore>();
        var first = await server.AddCompilationAsync(user, "Shorts week");
        await store.SetItemsAsync(first.Id, [new CompilationItem(server.Clips[0].Id), new CompilationItem(server.Clips[1].Id)], CancellationToken.None);
        // Clip 4 has clip 0's broadcaster.
        Assert.Equal(server.Clips[0].BroadcasterId, server.Clips[4].BroadcasterId);
        var next = await store.CreateAsync(new Compilation
        {
            Name = "Next week", GameId = EditorServer.GameId, OwnerId = user.Id, SettingsJson = """{"target":"tiktok"}""",
        }, CancellationToken.None);
        await store.SetItemsAsync(next.Id, [new CompilationItem(server.Clips[4].Id)], CancellationToken.None);

        var page = await browser.NewPageAsync(server);
        await BrowserFixture.WithScreenshotOnFailureAsync(page, async () =>
        {
            await BrowserFixture.LoginAsync(page, "editor");
            await page.GotoAsync($"/compilations/{first.Id}");
            await page.WaitForSelectorAsync(".titem");
            Assert.True(await page.EvaluateAsync<bool>("() => typeof window.tccgLayoutView?.apply === 'function'"));

            // The target format: Shorts.
            await page.SelectOptionAsync(".pick-target", "shorts");
            await TimelineTests.EventuallyAsync(async () =>
                CompilationSettings.FromJson((await store.GetAsync(first.Id, CancellationToken.None))!.SettingsJson).Target == "shorts");

            // Open the first clip's layout editor and switch it to facecam over gameplay.
            var clip = server.Clips[0].Id.ToString(CultureInfo.InvariantCulture);
            await page.Locator($".titem[data-clip='{clip}'] .thumb").ClickAsync();
            await page.WaitForSelectorAsync($".le[data-clip='{clip}'][data-mode]");
            await page.SelectOptionAsync(".le-mode", "stacked");
            var top = page.Locator(".le-box-top");
            await top.WaitForAsync();
            Assert.Equal(2, await page.Locator(".le-preview [data-tccg-lv='region']").CountAsync());

            // Drag the facecam box left by 40 % of the frame with the mouse, then nudge it down 1 % with the keyboard.
            var overlay = (await page.Locator(".le-boxes").BoundingBoxAsync())!;
            var box = (await top.BoundingBoxAsync())!;
            var (x, y) = (box.X + box.Width / 2, box.Y + box.Height / 2);
            await page.Mouse.MoveAsync(x, y);
            await page.Mouse.DownAsync();
            await page.Mouse.MoveAsync(x - overlay.Width * 0.2f, y, new() { Steps = 4 });
            await page.Mouse.MoveAsync(x - overlay.Width * 0.4f, y, new() { Steps = 4 });
            await page.Mouse.UpAsync();
            await top.FocusAsync();
            await page.Keyboard.PressAsync("ArrowDown");
            Assert.Contains("Facecam box (top): x 30%, y 1%", await top.GetAttributeAsync("aria-label") ?? "", StringComparison.Ordinal);
            await BrowserFixture.SaveScreenshotAsync(page, "layout-editor");
            await page.ClickAsync(".le-save");

            // The saved layout, through the API.
            JsonElement item = default;
            await TimelineTests.EventuallyAsync(async () =>
            {
                item = (await ApiAsync(page, $"api/v1/compilations/{first.Id}")).GetProperty("items")[0];
                return item.GetProperty("layoutSource").GetString() == "item";
            });
            var saved = item.GetProperty("layout");
            Assert.Equal("stacked", saved.GetProperty("mode").GetString());
            Assert.InRange(saved.GetProperty("top").GetProperty("x").GetDouble(), 0.27, 0.33);
            Assert.InRange(saved.GetProperty("top").GetProperty("y").GetDouble(), 0.005, 0.015);
            Assert.Equal(0.3, saved.GetProperty("top").GetProperty("w").GetDouble(), 3);

            // The streamer's next clip (another compilation) starts from that box.
            var other = (await ApiAsync(page, $"api/v1/compilations/{next.Id}")).GetProperty("items")[0];
            Assert.Equal("streamer", other.GetProperty("layoutSource").GetString());
            Assert.Equal(saved.GetProperty("top").GetProperty("x").GetDouble(), other.GetProperty("effectiveLayout").GetProperty("top").GetProperty("x").GetDouble());
            await page.GotoAsync($"/compilations/{next.Id}");
            await page.Locator(".titem .thumb").First.ClickAsync();
            await page.WaitForSelectorAsync(".le[data-mode='stacked'] .le-box-top");
            Assert.Contains("remembered facecam box", await page.TextContentAsync(".le-now") ?? "", StringComparison.Ordinal);
        });
    }
}
