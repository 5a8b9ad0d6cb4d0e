using System.Globalization;
using Microsoft.Playwright;

namespace Tccg.Editor.Tests;

/// <summary>The clip bin browser page (/clips): filters and pages through ClipBrowserService.</summary>
[Collection(BrowserCollection.Name)]
public sealed class ClipsPageTests(BrowserFixture browser)
{
    [Fact]
    public async Task ClipsPage_FindsAStreamersClips_AndPages()
    {
        await using var server = await EditorServer.StartAsync(clips: 30);
        var finder = await server.AddUserAsync("finder");
        var compilation = await server.AddCompilationAsync(finder, "Finds of the week");
        var page = await browser.NewPageAsync(server);
        await BrowserFixture.WithScreenshotOnFailureAsync(page, async () =>
        {
            await BrowserFixture.LoginAsync(page, "finder");
            // The dashboard's game card shows the four most viewed clips, each linking to the browser filtered to the game.
            var top = page.Locator($".game[data-game='{EditorServer.GameId}'] .top-clips");
            await Assertions.Expect(top.Locator("img")).ToHaveCountAsync(4);
            Assert.Equal($"api/v1/clips/{server.Clips[0].Id}/filmstrip", await top.Locator("img").First.GetAttributeAsync("src"));
            Assert.All(await top.Locator("a").EvaluateAllAsync<string[]>("els => els.map(e => e.getAttribute('href'))"),
                href => Assert.Equal($"clips?game={EditorServer.GameId}", href));
            await page.ClickAsync(".nav a[href='clips']");
            await page.WaitForSelectorAsync("#clip-grid article.clip");
            string Id(int i) => server.Clips[i].Id.ToString(CultureInfo.InvariantCulture);

            // 24 a page, most viewed first; Next shows the other 6, Previous comes back.
            var cards = page.Locator("#clip-grid article.clip");
            await Assertions.Expect(cards).ToHaveCountAsync(24);
            Assert.Equal(Id(0), await cards.First.GetAttributeAsync("data-clip"));
            await page.ClickAsync("button:has-text('Next')");
            await Assertions.Expect(cards).ToHaveCountAsync(6);
            Assert.Equal(Id(24), await cards.First.GetAttributeAsync("data-clip"));
            await Assertions.Expect(page.Locator("button:has-text('Next')")).ToBeDisabledAsync();
            await page.ClickAsync("button:has-text('Previous')");
            await Assertions.Expect(cards).ToHaveCountAsync(24);

            // By streamer name, newest first.
            await page.FillAsync("input[name=streamer]", "zoë");
            await page.SelectOptionAsync("select[name=sort]", "date");
            await page.ClickAsync("button[type=submit]:has-text('Search')");
            var zoe = Enumerable.Range(0, 30).Where(i => i % 4 == 3).Reverse().Select(Id).ToArray();
            await Assertions.Expect(cards).ToHaveCountAsync(zoe.Length);
            Assert.Equal(zoe, await cards.EvaluateAllAsync<string[]>("els => els.map(e => e.dataset.clip)"));

            // A bad filter is explained, naming the field.
            await page.FillAsync("input[name=minDuration]", "9");
            await page.FillAsync("input[name=maxDuration]", "3");
            await page.ClickAsync("button[type=submit]:has-text('Search')");
            await Assertions.Expect(page.Locator("p.form-error[role=alert]")).ToContainTextAsync("maxDuration");

            // Play inline.
            await page.FillAsync("input[name=maxDuration]", "");
            await page.FillAsync("input[name=minDuration]", "");
            await page.ClickAsync("button[type=submit]:has-text('Search')");
            await page.ClickAsync($"article[data-clip='{zoe[0]}'] button.play");
            await page.WaitForSelectorAsync($"article[data-clip='{zoe[0]}'] video[src$='api/v1/clips/{zoe[0]}/media']");

            // Add a clip to my compilation from its card; the compilation (read through the API) has it.
            await page.SelectOptionAsync("select[name=target]", compilation.Id.ToString(CultureInfo.InvariantCulture));
            await page.GetByRole(AriaRole.Button, new() { Name = $"Add {server.Clips[7].Title} to Finds of the week", Exact = true }).ClickAsync();
            await Assertions.Expect(page.Locator(".toast, [role=status]").Filter(new() { HasText = "Finds of the week" }).First).ToBeVisibleAsync();
            var saved = await page.Context.APIRequest.GetAsync($"api/v1/compilations/{compilation.Id}");
            Assert.True(saved.Ok, saved.StatusText);
            var items = (await saved.JsonAsync())!.Value.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("clipId").GetInt64()).ToArray();
            Assert.Equal([server.Clips[7].Id], items);

            // Filter to the game from the dashboard's link: the URL carries the game.
            await page.GotoAsync($"clips?game={EditorServer.GameId}");
            await Assertions.Expect(page.Locator("select[name=game]")).ToHaveValueAsync(EditorServer.GameId);
            await Assertions.Expect(cards).ToHaveCountAsync(24);
        });
    }
}
