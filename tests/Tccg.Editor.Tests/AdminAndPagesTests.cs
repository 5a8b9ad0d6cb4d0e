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
        var page = await browser.NewPageAsync(server);
        await BrowserFixture.WithScreenshotOnFailureAsync(page, async () =>
        {
            await page.GotoAsync("/login");
            await SaveAsync(page, "login");
            await BrowserFixture.LoginAsync(page, admin.Name);
            var pages = new (string Path, string Name, string Ready)[]
            {
                ("/", "dashboard", ".game"),
                ("/review", "compilations", "table"),
                ($"/review/{compilation.Id}", "review", "#review-meta[data-clip]"),
                ($"/compilations/{compilation.Id}", "timeline", ".titem"),
                ("/renders", "renders", "#renders article[data-job]"),
                ("/admin", "admin", "#users"),
            };
            foreach (var (path, name, ready) in pages)
            {
                await page.GotoAsync(path);
                await page.WaitForSelectorAsync(ready);
                await page.WaitForTimeoutAsync(300);
                if (name == "review")
                {
                    await page.Keyboard.PressAsync("ArrowUp");
                    await page.WaitForTimeoutAsync(800);
                }

                await SaveAsync(page, name);
                var overflow = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - window.innerWidth");
                Assert.True(overflow <= 0, $"{path} is {overflow}px wider than the window");
            }

            await page.GotoAsync($"/review/{compilation.Id}");
            await page.WaitForSelectorAsync("#review-meta[data-clip]");
            await page.Keyboard.PressAsync("?");
            await SaveAsync(page, "review-help");
        });
    }

    private static async Task SaveAsync(IPage page, string name)
    {
        Directory.CreateDirectory(BrowserFixture.ResultsDir);
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ResultsDir, "page-" + name + ".png") });
        if (Environment.GetEnvironmentVariable("TCCG_SCREENSHOTS") is { Length: > 0 } docs)
        {
            Directory.CreateDirectory(docs);
            await page.ScreenshotAsync(new() { Path = Path.Combine(docs, name + ".png") });
        }
    }
}
