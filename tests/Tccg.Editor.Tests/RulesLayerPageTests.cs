using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using Tccg.Core.Compilations;
using Tccg.Storage.Accounts;
using Tccg.Storage.Compilations;

namespace Tccg.Editor.Tests;

/// <summary>
/// The editor goes through the same rules layer as the API: tokens cannot open it, a demoted or removed user's next
/// click is refused, a rule broken through the page fails as it does through the API, and a save that lost a race
/// says so instead of overwriting.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class RulesLayerPageTests(BrowserFixture browser)
{
    [Fact]
    public async Task WorkerToken_AsExtraHeader_CannotOpenTheEditor()
    {
        await using var server = await EditorServer.StartAsync();
        var owner = await server.AddUserAsync("owner");
        await server.AddCompilationAsync(owner, "Owner's secret plans");
        var secret = (await server.Service<ITokenStore>().CreateAsync("render-box", TokenKind.Worker, null, CancellationToken.None)).Secret;
        var context = await browser.Browser.NewContextAsync(new()
        {
            BaseURL = server.BaseUrl.ToString().TrimEnd('/'),
            ExtraHTTPHeaders = new Dictionary<string, string> { ["Authorization"] = "Bearer " + secret },
        });
        var page = await context.NewPageAsync();
        await BrowserFixture.WithScreenshotOnFailureAsync(page, async () =>
        {
            var response = await page.GotoAsync("/compilations");
            Assert.Equal(403, response!.Status);
            Assert.DoesNotContain("Owner's secret plans", await page.ContentAsync(), StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task DemotedAdmin_OnAnOpenAdminPage_IsRefusedAndCreatesNoToken()
    {
        await using var server = await EditorServer.StartAsync();
        await server.AddUserAsync("boss", UserRole.Admin);
        var page = await browser.NewPageAsync(server);
        await BrowserFixture.WithScreenshotOnFailureAsync(page, async () =>
        {
            await BrowserFixture.LoginAsync(page, "boss");
            await page.GotoAsync("/admin");
            await page.WaitForSelectorAsync("#token-name");

            // Another admin demotes boss while the page stays open.
            await server.Service<IUserStore>().SetRoleAsync("boss", UserRole.Editor, CancellationToken.None);
            await page.FillAsync("#token-name", "sneaky");
            await page.ClickAsync("text=Create token");
            var error = await (await page.WaitForSelectorAsync(".toast-error"))!.TextContentAsync() ?? "";
            Assert.Contains("role changed", error, StringComparison.Ordinal);
            Assert.Null(await page.QuerySelectorAsync("#token-secret"));
            Assert.Empty(await server.Service<ITokenStore>().ListAsync(CancellationToken.None));
        });
    }

    [Fact]
    public async Task RemovedUser_NextClickOnTheTimeline_IsRefusedAndChangesNothing()
    {
        await using var server = await EditorServer.StartAsync(clips: 2);
        var user = await server.AddUserAsync("leaving");
        var compilation = await server.AddCompilationAsync(user);
        var store = server.Service<ICompilationStore>();
        await store.SetItemsAsync(compilation.Id, [.. server.Clips.Select(c => new CompilationItem(c.Id))], CancellationToken.None);
        var page = await browser.NewPageAsync(server);
        await BrowserFixture.WithScreenshotOnFailureAsync(page, async () =>
        {
            await BrowserFixture.LoginAsync(page, "leaving");
            await page.GotoAsync($"/compilations/{compilation.Id}");
            await page.WaitForSelectorAsync(".titem");
            await server.Service<IUserStore>().RemoveAsync("leaving", CancellationToken.None);
            await page.Locator(".titem").First.Locator(".remove").ClickAsync();
            Assert.Contains("no longer exists", await (await page.WaitForSelectorAsync(".toast-error"))!.TextContentAsync() ?? "", StringComparison.Ordinal);
            Assert.Equal(2, (await store.GetItemsAsync(compilation.Id, CancellationToken.None)).Count);
        });
    }

    [Fact]
    public async Task TrimPastTheEnd_ThroughThePage_FailsWithTheApisMessage()
    {
        await using var server = await EditorServer.StartAsync(clips: 2);
        var user = await server.AddUserAsync("editor");
        var compilation = await server.AddCompilationAsync(user);
        var store = server.Service<ICompilationStore>();
        await store.SetItemsAsync(compilation.Id, [.. server.Clips.Select(c => new CompilationItem(c.Id))], CancellationToken.None);

        // The API's answer to the edit.
        using var api = new HttpClient(new HttpClientHandler { UseCookies = true }) { BaseAddress = server.BaseUrl };
        (await api.PostAsJsonAsync(new Uri("/api/v1/auth/login", UriKind.Relative), new { name = "editor", password = EditorServer.Password })).EnsureSuccessStatusCode();
        var session = await api.GetFromJsonAsync<JsonElement>(new Uri("/api/v1/auth/session", UriKind.Relative));
        api.DefaultRequestHeaders.Add("X-CSRF-TOKEN", session.GetProperty("csrfToken").GetString());
        var current = await api.GetFromJsonAsync<JsonElement>(new Uri($"/api/v1/compilations/{compilation.Id}", UriKind.Relative));
        var items = server.Clips.Select((c, i) => new { clipId = c.Id, trimEnd = i == 0 ? (double?)999 : null }).ToArray();
        using var put = await api.PutAsJsonAsync(new Uri($"/api/v1/compilations/{compilation.Id}", UriKind.Relative),
            new { version = current.GetProperty("version").GetInt64(), name = compilation.Name, gameId = compilation.GameId, items });
        Assert.Equal(400, (int)put.StatusCode);
        var message = (await put.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors")[0].GetProperty("message").GetString()!;

        var page = await browser.NewPageAsync(server);
        await BrowserFixture.WithScreenshotOnFailureAsync(page, async () =>
        {
            await BrowserFixture.LoginAsync(page, "editor");
            await page.GotoAsync($"/compilations/{compilation.Id}");
            await page.Locator(".titem").First.Locator(".trim-out").FillAsync("999");
            await page.Locator(".titem").First.Locator(".trim-out").PressAsync("Tab");
            var error = await (await page.WaitForSelectorAsync(".toast-error"))!.TextContentAsync() ?? "";
            Assert.Contains(char.ToUpperInvariant(message[0]) + message[1..], error, StringComparison.Ordinal);
            Assert.All(await store.GetItemsAsync(compilation.Id, CancellationToken.None), i => Assert.Null(i.TrimEnd));
        });
    }

    [Fact]
    public async Task TwoBrowsers_EditingTheSameCompilation_TheSecondSaveSaysChangedElsewhere()
    {
        await using var server = await EditorServer.StartAsync(clips: 3);
        var user = await server.AddUserAsync("twin");
        var compilation = await server.AddCompilationAsync(user);
        var store = server.Service<ICompilationStore>();
        await store.SetItemsAsync(compilation.Id, [.. server.Clips.Select(c => new CompilationItem(c.Id))], CancellationToken.None);
        var first = await browser.NewPageAsync(server);
        var second = await browser.NewPageAsync(server);
        await BrowserFixture.WithScreenshotOnFailureAsync(second, async () =>
        {
            foreach (var page in new[] { first, second })
            {
                await BrowserFixture.LoginAsync(page, "twin");
                await page.GotoAsync($"/compilations/{compilation.Id}");
                await page.WaitForSelectorAsync(".titem");
            }

            await first.Locator(".titem").Nth(0).Locator(".volume").FillAsync("50");
            await first.Locator(".titem").Nth(0).Locator(".volume").PressAsync("Tab");
            await first.WaitForSelectorAsync(".toast-success");
            await TimelineTests.EventuallyAsync(async () => (await store.GetItemsAsync(compilation.Id, CancellationToken.None))[0].Volume == 0.5);

            await second.Locator(".titem").Nth(1).Locator(".volume").FillAsync("150");
            await second.Locator(".titem").Nth(1).Locator(".volume").PressAsync("Tab");
            var conflict = await (await second.WaitForSelectorAsync("#conflict"))!.TextContentAsync() ?? "";
            Assert.Contains("changed elsewhere", conflict, StringComparison.Ordinal);
            var items = await store.GetItemsAsync(compilation.Id, CancellationToken.None);
            Assert.Equal((0.5, 1.0), (items[0].Volume, items[1].Volume));

            // Reload takes what the other browser saved; the next change then lands.
            await second.ClickAsync("#conflict button");
            await TimelineTests.EventuallyAsync(async () => await second.QuerySelectorAsync("#conflict") is null);
            Assert.Equal("50", await second.Locator(".titem").Nth(0).Locator(".volume").InputValueAsync());
            await second.Locator(".titem").Nth(1).Locator(".volume").FillAsync("150");
            await second.Locator(".titem").Nth(1).Locator(".volume").PressAsync("Tab");
            await TimelineTests.EventuallyAsync(async () => (await store.GetItemsAsync(compilation.Id, CancellationToken.None))[1].Volume == 1.5);
            await first.Context.CloseAsync();
        });
    }
}
