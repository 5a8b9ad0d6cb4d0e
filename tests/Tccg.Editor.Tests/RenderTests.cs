using System.Globalization;
using Microsoft.Playwright;
using Tccg.Storage.Compilations;

namespace Tccg.Editor.Tests;

[Collection(BrowserCollection.Name)]
public sealed class RenderTests(BrowserFixture browser)
{
    [Fact]
    public async Task Submit_FromTheTimeline_RendersWithLiveProgressAndDownloadsAPlayableMp4()
    {
        await using var server = await EditorServer.StartAsync(clips: 2, generator: true);
        var user = await server.AddUserAsync("renderer");
        var store = server.Service<ICompilationStore>();
        var compilation = await store.CreateAsync(new Compilation
        {
            Name = "Tiny render",
            GameId = EditorServer.GameId,
            OwnerId = user.Id,
            SettingsJson = """{"output":{"width":320,"height":180,"fps":30,"preset":"ultrafast"},"overlay":{"enabled":true}}""",
        }, CancellationToken.None);
        await store.SetItemsAsync(compilation.Id, [.. server.Clips.Select(c => new CompilationItem(c.Id))], CancellationToken.None);

        var page = await browser.NewPageAsync(server);
        await BrowserFixture.WithScreenshotOnFailureAsync(page, async () =>
        {
            await BrowserFixture.LoginAsync(page, "renderer");
            await page.GotoAsync($"/compilations/{compilation.Id}");
            await Assertions.Expect(page.Locator("#submit")).ToBeEnabledAsync();
            await page.ClickAsync("#submit");
            // The editor navigates inside the page (no load event): wait for the address itself.
            await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/renders$"));
            var row = page.Locator("#renders article[data-job]").First;
            await Assertions.Expect(row).ToHaveAttributeAsync("data-status", "Succeeded", new() { Timeout = 90_000 });

            var log = new List<string>();
            page.Console += (_, m) => log.Add(m.Type + ": " + m.Text);
            await row.Locator("button.play").ClickAsync();
            if (!await page.Locator("#download-mp4").IsVisibleAsync())
            {
                await page.WaitForTimeoutAsync(2000);
                if (!await page.Locator("#download-mp4").IsVisibleAsync())
                {
                    // A click that raced a live refresh of the row; say so in the output and try once more.
                    Console.WriteLine("Play did not open the player at once; browser console: " + string.Join(" | ", log));
                    await row.Locator("button.play").ClickAsync();
                }
            }
            var href = await page.GetAttributeAsync("#download-mp4", "href");
            var response = await page.Context.APIRequest.GetAsync(href!);
            Assert.True(response.Ok, $"GET {href}: {response.Status}");
            var mp4 = Path.Combine(server.DataDir, "downloaded.mp4");
            await File.WriteAllBytesAsync(mp4, await response.BodyAsync());
            var duration = double.Parse(
                (await TestMedia.RunAsync("ffprobe", "-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0", mp4)).Trim(),
                CultureInfo.InvariantCulture);
            Assert.InRange(duration, 2 * TestMedia.ClipSeconds - 0.5, 2 * TestMedia.ClipSeconds + 0.5);

            var credits = await page.Context.APIRequest.GetAsync((await page.GetAttributeAsync("#download-credits", "href"))!);
            Assert.Contains("ストリーマー", await credits.TextAsync(), StringComparison.Ordinal);
            Assert.Contains("ストリーマー", await page.TextContentAsync("pre.desc") ?? "", StringComparison.Ordinal);
        });
    }
}
