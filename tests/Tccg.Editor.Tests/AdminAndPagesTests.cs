using Microsoft.Playwright;
using Tccg.Storage.Accounts;
using Tccg.Storage.Assets;
using Tccg.Storage.Compilations;
using Tccg.Storage.Renders;
using Tccg.Core.Compilations;

namespace Tccg.Editor.Tests;

[Collection(BrowserCollection.Name)]
public sealed class AdminAndPagesTests(BrowserFixture browser)
{
    [Fact]
    public async Task Admin_AddUserAndCreateToken_ShowsTheSecretOnceAndStoresBoth()
    {
        await using var server = await EditorServer.StartAsync();
        await server.AddUserAsync("root", UserRole.Admin);
        var page = await browser.NewPageAsync(server);
        await BrowserFixture.WithScreenshotOnFailureAsync(page, async () =>
        {
            await BrowserFixture.LoginAsync(page, "root");
            await page.GotoAsync("/admin");
            await page.FillAsync("#user-name", "新しい編集者");
            await page.FillAsync("#user-password", "short");
            await page.ClickAsync("text=Add user");
            Assert.Contains("at least 8 characters", await (await page.WaitForSelectorAsync(".toast-error"))!.TextContentAsync() ?? "", StringComparison.Ordinal);
            await page.FillAsync("#user-password", "long enough password");
            await page.ClickAsync("text=Add user");
            await page.WaitForSelectorAsync("tr[data-user='新しい編集者']");
            Assert.NotNull(await server.Service<IUserStore>().GetByNameAsync("新しい編集者", CancellationToken.None));

            await page.FillAsync("#token-name", "render-box-1");
            await page.ClickAsync("text=Create token");
            var secret = await (await page.WaitForSelectorAsync("#token-secret"))!.TextContentAsync();
            Assert.NotNull(await server.Service<ITokenStore>().VerifyAsync(secret!.Trim(), CancellationToken.None));
        });
    }

    [Fact]
    public async Task Pages_At1366x768WithLongNames_HaveNoHorizontalOverflow()
    {
        await using var server = await EditorServer.StartAsync(clips: 6);
        var admin = await server.AddUserAsync("an_admin_with_a_really_long_name_🎬_管理者_that_keeps_going", UserRole.Admin);
        var compilation = await server.AddCompilationAsync(admin, "ベスト・オブ・ザ・ウィーク 🎉 — a very long compilation name that should be cut with an ellipsis somewhere");
        var store = server.Service<ICompilationStore>();
        await store.SetItemsAsync(compilation.Id, [.. server.Clips.Take(4).Select(c => new CompilationItem(c.Id, 0.2, null, 1.0))], CancellationToken.None);
        await server.AddAssetAsync(AssetRole.Intro, "intro.mp4");
        var jobs = server.Service<IRenderJobStore>();
        await jobs.EnqueueAsync(compilation.Id, admin.Id, "{}", CancellationToken.None);
        // A finished render too (one running, one done): its card shows a poster, duration, resolution and size.
        var done = await jobs.EnqueueAsync(compilation.Id, admin.Id, "{}", CancellationToken.None);
        await jobs.LeaseAsync("screenshots", TimeSpan.FromMinutes(5), CancellationToken.None);
        var lease = await jobs.LeaseAsync("screenshots", TimeSpan.FromMinutes(5), CancellationToken.None);
        Directory.CreateDirectory(Path.Combine(server.DataDir, "renders"));
        File.Copy(Path.Combine(server.DataDir, server.Clips[0].FilePath!), Path.Combine(server.DataDir, "renders", "done.mp4"));
        await File.WriteAllTextAsync(Path.Combine(server.DataDir, "renders", "done.txt"), "Clips by ストリーマー, zoë\n\n0:00 Clip 0\n0:02 Clip 1\n");
        Assert.Equal(done.Id, lease!.Job.Id);
        await jobs.CompleteAsync(done.Id, lease.LeaseId, RenderOutcome.Success("renders/done.mp4", "renders/done.txt"), CancellationToken.None);
        var page = await browser.NewPageAsync(server);
        await BrowserFixture.WithScreenshotOnFailureAsync(page, async () =>
        {
            await page.GotoAsync("/login");
            await BrowserFixture.SaveScreenshotAsync(page, "login");
            await BrowserFixture.LoginAsync(page, admin.Name);
            var pages = new (string Path, string Name, string Ready)[]
            {
                ("/", "dashboard", ".game"),
                ("/review", "compilations", "table"),
                ($"/review/{compilation.Id}", "review", "#review-meta[data-clip]"),
                ($"/compilations/{compilation.Id}", "timeline", ".titem"),
                ("/clips", "clips", "#clip-grid article.clip"),
                ("/renders", "renders", "#renders article[data-job]"),
                ("/admin", "admin", "#users"),
            };
            foreach (var (path, name, ready) in pages)
            {
                await page.GotoAsync(path);
                await page.WaitForSelectorAsync(ready);
                await page.WaitForTimeoutAsync(300);
                // Thumbnails, filmstrips and posters are made on first request: wait until every image has arrived.
                await page.WaitForFunctionAsync("() => [...document.images].every(i => i.complete)", null, new() { Timeout = 30_000 });
                if (name == "review")
                {
                    await page.Keyboard.PressAsync("ArrowUp");
                    await page.WaitForTimeoutAsync(800);
                }

                await BrowserFixture.SaveScreenshotAsync(page, name);
                var overflow = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - window.innerWidth");
                Assert.True(overflow <= 0, $"{path} is {overflow}px wider than the window");
            }

            await page.GotoAsync($"/review/{compilation.Id}");
            await page.WaitForSelectorAsync("#review-meta[data-clip]");
            await page.Keyboard.PressAsync("?");
            await BrowserFixture.SaveScreenshotAsync(page, "review-help");

            // The finished render's card: poster frame drawn, facts of the file; Play shows the description with Copy;
            // Delete removes the render and its files.
            await page.GotoAsync("/renders");
            var card = page.Locator($"#renders article[data-job='{done.Id}']");
            await Assertions.Expect(card.Locator(".render-resolution")).ToHaveTextAsync("320×180");
            await Assertions.Expect(card.Locator(".render-duration")).ToContainTextAsync("0:02");
            await Assertions.Expect(card.Locator(".render-size")).ToContainTextAsync("KB");
            await page.WaitForFunctionAsync($"() => document.querySelector(\"article[data-job='{done.Id}'] .render-poster img\")?.naturalWidth === 320");
            await Assertions.Expect(card.Locator("a.download-mp4")).ToHaveAttributeAsync("href", $"api/v1/renders/{done.Id}/video");
            await Assertions.Expect(card.Locator("a.download-text")).ToHaveAttributeAsync("href", $"api/v1/renders/{done.Id}/credits");
            await card.Locator("button.play").ClickAsync();
            await Assertions.Expect(page.Locator("pre.desc")).ToContainTextAsync("0:02 Clip 1");
            await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Copy the description text" })).ToBeVisibleAsync();
            await BrowserFixture.SaveScreenshotAsync(page, "renders-open");
            await card.GetByRole(AriaRole.Button, new() { Name = $"Delete render {done.Id}" }).ClickAsync();
            await Assertions.Expect(card).ToHaveCountAsync(0);
            Assert.False(File.Exists(Path.Combine(server.DataDir, "renders", "done.mp4")));
            Assert.False(File.Exists(Path.Combine(server.DataDir, "renders", "done.mp4.poster.jpg")));
        });
    }

}
