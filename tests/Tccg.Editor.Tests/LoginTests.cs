using Microsoft.Playwright;
using Tccg.Storage.Accounts;
using Tccg.Server.Features.Auth;

namespace Tccg.Editor.Tests;

[Collection(BrowserCollection.Name)]
public sealed class LoginTests(BrowserFixture browser)
{
    [Fact]
    public async Task Login_WrongPasswordThenRight_ShowsTheErrorInWordsThenTheUserAndRole()
    {
        await using var server = await EditorServer.StartAsync();
        await server.AddUserAsync("zoë 🎬", UserRole.Admin);
        var page = await browser.NewPageAsync(server);
        await BrowserFixture.WithScreenshotOnFailureAsync(page, async () =>
        {
            await page.GotoAsync("/review");
            Assert.Contains("/login", page.Url, StringComparison.Ordinal);
            await page.FillAsync("input[name=name]", "zoë 🎬");
            await page.FillAsync("input[name=password]", "not the password");
            await page.ClickAsync("button[type=submit]");
            Assert.Equal("Wrong name or password.", (await page.TextContentAsync(".form-error"))?.Trim());

            // The form keeps the name and where to go back to.
            Assert.Equal("zoë 🎬", await page.InputValueAsync("input[name=name]"));
            await page.FillAsync("input[name=password]", EditorServer.Password);
            await page.ClickAsync("button[type=submit]");
            await page.WaitForSelectorAsync(".topbar .user");
            Assert.EndsWith("/review", page.Url, StringComparison.Ordinal);
            Assert.Equal("zoë 🎬", await page.TextContentAsync(".topbar .user"));
            Assert.Equal("admin", await page.TextContentAsync(".topbar .role"));

            await page.ClickAsync("text=Log out");
            await page.WaitForURLAsync("**/login");
            await page.GotoAsync("/");
            Assert.Contains("/login", page.Url, StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task Login_AfterManyWrongPasswords_IsSlowedWithRetryAfter_NotLocked()
    {
        await using var server = await EditorServer.StartAsync();
        await server.AddUserAsync("bob");
        var page = await browser.NewPageAsync(server);
        await BrowserFixture.WithScreenshotOnFailureAsync(page, async () =>
        {
            // Past the free allowance each failure refuses this address for 1 s, 2 s, 4 s …: within a few tries one lands in a refusal.
            var throttled = false;
            for (var i = 0; i < LoginThrottlePolicy.Default.FreeFailuresPerAccount + 6 && !throttled; i++)
            {
                await page.GotoAsync("/login");
                await page.FillAsync("input[name=name]", "bob");
                await page.FillAsync("input[name=password]", "wrong" + i);
                await page.ClickAsync("button[type=submit]");
                await page.WaitForSelectorAsync(".form-error");
                throttled = page.Url.Contains("error=throttled", StringComparison.Ordinal);
            }

            Assert.True(throttled, page.Url);
            Assert.Contains("seconds=", page.Url, StringComparison.Ordinal);
        });
    }
}
