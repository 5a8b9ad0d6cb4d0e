using Microsoft.Playwright;

namespace Tccg.Editor.Tests;

/// <summary>
/// The editor's pages are served with a strict Content-Security-Policy (scripts only from the server, no inline
/// script, no eval) and still work: the Blazor circuit connects and editor.js drives the keyboard review.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class ContentSecurityPolicyTests(BrowserFixture browser)
{
    [Fact]
    public async Task EditorPages_UnderTheStrictCsp_WorkWithoutAViolation()
    {
        await using var server = await EditorServer.StartAsync(clips: 3);
        var user = await server.AddUserAsync("csp");
        var compilation = await server.AddCompilationAsync(user);
        var page = await browser.NewPageAsync(server);
        var problems = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Type == "error" || message.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase))
                problems.Add("console: " + message.Text);
        };
        page.PageError += (_, error) => problems.Add("page error: " + error);
        // Init scripts are injected by the browser, not by the page, so the policy does not block this recorder.
        await page.AddInitScriptAsync("""
            window.__csp = [];
            document.addEventListener('securitypolicyviolation', e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));
            """);
        await BrowserFixture.WithScreenshotOnFailureAsync(page, async () =>
        {
            var login = await page.GotoAsync("/login");
            var csp = await login!.HeaderValueAsync("content-security-policy");
            Assert.NotNull(csp);
            Assert.Contains("script-src 'self';", csp, StringComparison.Ordinal);

            await BrowserFixture.LoginAsync(page, "csp");
            await page.GotoAsync($"/review/{compilation.Id}");
            await ReviewTests.ShowsAsync(page, server.Clips[0].Id);
            // editor.js (imported by the page) handles the keyboard; the circuit saves the decision and shows the next clip.
            await page.Keyboard.PressAsync("k");
            await ReviewTests.ShowsAsync(page, server.Clips[1].Id);

            await page.GotoAsync("/");
            await page.WaitForSelectorAsync(".topbar .user");
            var violations = await page.EvaluateAsync<string[]>("() => window.__csp");
            Assert.True(violations.Length == 0, string.Join("\n", violations));
            Assert.True(problems.Count == 0, string.Join("\n", problems));
        });
    }
}
