using System.Globalization;
using System.Text.Json;
using Microsoft.Playwright;
using Tccg.Core.Compilations;
using Tccg.Server.Application;
using Tccg.Server.Features.Compilations;

namespace Tccg.Editor.Tests;

/// <summary>The timeline's scrub bars and the compilation Preview, in a real Chromium against a real server.</summary>
[Collection(BrowserCollection.Name)]
public sealed class TimelineEditingTests(BrowserFixture browser)
{
    private const double Frame = 1.0 / 30;

    [Fact]
    public async Task TimelineBars_DraggedHandlesAndArrowKeys_SaveTheTrimsThroughTheRulesLayer()
    {
        await using var server = await EditorServer.StartAsync(clips: 2);
        var user = await server.AddUserAsync("trimmer");
        var compilation = await server.AddCompilationAsync(user);
        var ids = server.Clips.Select(c => c.Id).ToList();
        await SaveAsync(server, compilation.Id, r => r with { Items = [.. ids.Select(id => new ItemRequest(id, null, null, 1))] });

        var page = await browser.NewPageAsync(server);
        await BrowserFixture.WithScreenshotOnFailureAsync(page, async () =>
        {
            await BrowserFixture.LoginAsync(page, "trimmer");
            await page.GotoAsync($"/compilations/{compilation.Id}");
            var clip = ids[1].ToString(CultureInfo.InvariantCulture);
            var row = $".titem[data-clip='{clip}']";
            await page.WaitForSelectorAsync($"{row} .scrub[data-drawn='{clip}']", new() { Timeout = 30_000 });
            var duration = TestMedia.ClipSeconds;
            await Assertions.Expect(page.Locator($"{row} [aria-label='Trim out']")).ToHaveAttributeAsync("aria-valuemax", duration.ToString(CultureInfo.InvariantCulture));

            // Drag each handle with the mouse: the trims are saved (read back through the API) and shown in the fields.
            var track = (await page.Locator($"{row} .scrub-track[aria-label='Playhead']").BoundingBoxAsync())!;
            var y = track.Y + (track.Height / 2);
            await ScrubBarTests.DragAsync(page, $"{row} [aria-label='Trim in']", track.X + (track.Width * 0.2), y);
            var item = await ItemEventuallyAsync(page, compilation.Id, 1, i => i.TryGetProperty("trimStart", out var s) && s.ValueKind == JsonValueKind.Number);
            var trimIn = item.GetProperty("trimStart").GetDouble();
            Assert.InRange(trimIn, (duration * 0.2) - 0.05, (duration * 0.2) + 0.05);
            await ScrubBarTests.DragAsync(page, $"{row} [aria-label='Trim out']", track.X + (track.Width * 0.8), y);
            item = await ItemEventuallyAsync(page, compilation.Id, 1, i => i.TryGetProperty("trimEnd", out var e) && e.ValueKind == JsonValueKind.Number);
            var trimOut = item.GetProperty("trimEnd").GetDouble();
            Assert.InRange(trimOut, (duration * 0.8) - 0.05, (duration * 0.8) + 0.05);
            Assert.Equal(trimIn, item.GetProperty("trimStart").GetDouble(), 3);
            await Assertions.Expect(page.Locator($"{row} .trim-out")).ToHaveValueAsync(trimOut.ToString("0.0##", CultureInfo.InvariantCulture));
            // The other item is untouched.
            var other = await ItemEventuallyAsync(page, compilation.Id, 0, _ => true);
            Assert.Equal(JsonValueKind.Null, other.GetProperty("trimStart").ValueKind);

            // A focused handle moves one frame per arrow press (on the frame grid) and saves once the presses stop.
            await page.Locator($"{row} [aria-label='Trim in']").FocusAsync();
            var expected = (Math.Round(trimIn * 30) + 1) / 30;
            await page.Keyboard.PressAsync("ArrowRight");
            await ScrubBarTests.ExpectValueAsync(page, $"{row} [aria-label='Trim in']", expected, timeoutMs: 10_000);
            await page.Keyboard.PressAsync("ArrowRight");
            expected += Frame;
            await ScrubBarTests.ExpectValueAsync(page, $"{row} [aria-label='Trim in']", expected, timeoutMs: 10_000);
            await page.Keyboard.PressAsync("ArrowLeft");
            await page.Keyboard.PressAsync("ArrowLeft");
            await page.Keyboard.PressAsync("ArrowLeft");
            expected -= 3 * Frame;
            await ScrubBarTests.ExpectValueAsync(page, $"{row} [aria-label='Trim in']", expected, timeoutMs: 10_000);
            await ItemEventuallyAsync(page, compilation.Id, 1, i => Math.Abs(i.GetProperty("trimStart").GetDouble() - Math.Round(expected, 3)) < 0.0005);
            // The trim out handle by a frame too, and the playhead slider of the item.
            await page.Locator($"{row} [aria-label='Trim out']").FocusAsync();
            await page.Keyboard.PressAsync("ArrowLeft");
            var outExpected = (Math.Round(trimOut * 30) - 1) / 30;
            await ScrubBarTests.ExpectValueAsync(page, $"{row} [aria-label='Trim out']", outExpected, timeoutMs: 10_000);
            await ItemEventuallyAsync(page, compilation.Id, 1, i => Math.Abs(i.GetProperty("trimEnd").GetDouble() - Math.Round(outExpected, 3)) < 0.0005);
        });
    }

    [Fact]
    public async Task Preview_PlaysClipsWithIntervalsToTheOutro_AndSeeksAcrossItems()
    {
        await using var server = await EditorServer.StartAsync(clips: 3);
        var user = await server.AddUserAsync("previewer");
        var compilation = await server.AddCompilationAsync(user);
        var ids = server.Clips.Select(c => c.Id).ToList();
        var interval = await server.AddAssetAsync(AssetRole.Interval, "interval.mp4");
        var outro = await server.AddAssetAsync(AssetRole.Outro, "outro.mp4");
        var music = await server.AddAssetAsync(AssetRole.Music, "music.mp4");
        await SaveAsync(server, compilation.Id, r => r with
        {
            Items = [.. ids.Select(id => new ItemRequest(id, 0.5, 1.5, 0.8))],
            IntervalAssetId = interval.Id,
            OutroAssetId = outro.Id,
            Music = new MusicChoice { Tracks = [music.Id], Volume = 0.3, Duck = true },
        });

        var page = await browser.NewPageAsync(server);
        await BrowserFixture.WithScreenshotOnFailureAsync(page, async () =>
        {
            await BrowserFixture.LoginAsync(page, "previewer");

            // The plan, through the API: the renderer's order (intervals only between clips), frame-rounded lengths.
            var response = await page.APIRequest.GetAsync($"/api/v1/compilations/{compilation.Id}/preview");
            Assert.True(response.Ok, $"GET preview: {response.Status}");
            var plan = (await response.JsonAsync())!.Value;
            var pieces = plan.GetProperty("pieces").EnumerateArray().ToList();
            Assert.Equal(["clip", "interval", "clip", "interval", "clip", "outro"], pieces.Select(p => p.GetProperty("kind").GetString()));
            Assert.Equal([ids[0], ids[1], ids[2]], pieces.Where(p => p.GetProperty("kind").GetString() == "clip").Select(p => p.GetProperty("clipId").GetInt64()));
            Assert.All(pieces.Where(p => p.GetProperty("kind").GetString() == "clip"), p => Assert.Equal(1.0, p.GetProperty("seconds").GetDouble(), 3));
            var total = plan.GetProperty("seconds").GetDouble();
            Assert.Equal(3 + (3 * TestMedia.ClipSeconds), total, 2);
            Assert.Equal(0.3, plan.GetProperty("music").GetProperty("gain").GetDouble(), 3);
            var outroAt = pieces[5].GetProperty("offset").GetDouble();

            await page.GotoAsync($"/compilations/{compilation.Id}");
            await page.WaitForSelectorAsync(".titem");
            const string Slider = "[role=slider][aria-label='Compilation position']";
            await page.ClickAsync("#preview-button");

            // Each clip's row is marked as it plays, the intervals between them, and the outro is reached.
            foreach (var id in ids)
            {
                await page.WaitForSelectorAsync($".titem[data-previewing][data-clip='{id.ToString(CultureInfo.InvariantCulture)}']", new() { Timeout = 30_000 });
                if (id == ids[1])
                    await BrowserFixture.SaveScreenshotAsync(page, "timeline-preview");
            }
            await page.WaitForSelectorAsync("#compilation-preview[data-kind='outro']", new() { Timeout = 30_000 });
            Assert.True(await ScrubBarTests.ValueAsync(page, Slider) >= outroAt - 0.05, "the position slider is in the outro");
            await page.WaitForSelectorAsync("#compilation-preview[data-state='ended']", new() { Timeout = 30_000 });
            Assert.Equal(total, await ScrubBarTests.ValueAsync(page, Slider), 2);
            Assert.Equal("clip interval clip interval clip outro", await page.GetAttributeAsync("#compilation-preview", "data-played"));
            Assert.Equal(0, await page.Locator(".titem[data-previewing]").CountAsync());

            // The position slider seeks across items: Home goes to the first clip, a click in the middle to the piece there.
            await page.Locator(Slider).FocusAsync();
            await page.Keyboard.PressAsync("Home");
            await Assertions.Expect(page.Locator(Slider)).ToHaveAttributeAsync("aria-valuenow", "0");
            await page.WaitForSelectorAsync($".titem[data-previewing][data-clip='{ids[0].ToString(CultureInfo.InvariantCulture)}']");
            var bar = (await page.Locator(Slider).BoundingBoxAsync())!;
            var third = pieces[2].GetProperty("offset").GetDouble() + 0.5; // the middle of the second clip
            await page.Mouse.ClickAsync(bar.X + (float)(bar.Width * third / total), bar.Y + (bar.Height / 2));
            await page.WaitForSelectorAsync($".titem[data-previewing][data-clip='{ids[1].ToString(CultureInfo.InvariantCulture)}']");
            Assert.InRange(await ScrubBarTests.ValueAsync(page, Slider), third - 0.1, third + 0.1);
        });
    }


    private static async Task SaveAsync(EditorServer server, long id, Func<UpdateCompilationRequest, UpdateCompilationRequest> change)
    {
        var service = server.Service<CompilationService>();
        var view = await service.GetAsync(CurrentUser.System(), id, CancellationToken.None);
        await service.UpdateAsync(CurrentUser.System(), id, change(UpdateCompilationRequest.From(view)), CancellationToken.None);
    }

    /// <summary>Item <paramref name="index"/> of the compilation as the API shows it, once it satisfies <paramref name="done"/>.</summary>
    private static async Task<JsonElement> ItemEventuallyAsync(IPage page, long compilationId, int index, Func<JsonElement, bool> done)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var response = await page.APIRequest.GetAsync($"/api/v1/compilations/{compilationId.ToString(CultureInfo.InvariantCulture)}");
            Assert.True(response.Ok, $"GET compilation: {response.Status}");
            var item = (await response.JsonAsync())!.Value.GetProperty("items")[index];
            if (done(item))
                return item;
            if (DateTime.UtcNow > deadline)
                Assert.Fail($"item {index} never became as expected: {item}");
            await Task.Delay(100);
        }
    }
}
