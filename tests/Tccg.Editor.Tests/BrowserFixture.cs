using System.Runtime.CompilerServices;
using Microsoft.Playwright;

namespace Tccg.Editor.Tests;

/// <summary>One headless Debian Chromium for the whole run (driven by Playwright's bundled driver).</summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    public static readonly string[] ChromiumArgs =
    [
        "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run", "--autoplay-policy=no-user-gesture-required",
    ];

    private IPlaywright? _playwright;

    public IBrowser Browser { get; private set; } = default!;

    public static string ResultsDir { get; } = Path.Combine(AppContext.BaseDirectory, "TestResults");

    public async Task InitializeAsync()
    {
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new() { ExecutablePath = "/usr/bin/chromium", Headless = true, Args = ChromiumArgs });
    }

    public async Task DisposeAsync()
    {
        await Browser.DisposeAsync();
        _playwright?.Dispose();
    }

    /// <summary>A fresh browser context at 1366x768 (no shared cookies between tests).</summary>
    public async Task<IPage> NewPageAsync(EditorServer server)
    {
        var context = await Browser.NewContextAsync(new() { BaseURL = server.BaseUrl.ToString().TrimEnd('/'), ViewportSize = new() { Width = 1366, Height = 768 } });
        context.SetDefaultTimeout(10_000);
        return await context.NewPageAsync();
    }

    /// <summary>Runs a test body; on failure saves a screenshot of the page under TestResults and rethrows.</summary>
    public static async Task WithScreenshotOnFailureAsync(IPage page, Func<Task> body, [CallerMemberName] string test = "")
    {
        try
        {
            await body();
        }
        catch
        {
            Directory.CreateDirectory(ResultsDir);
            await page.ScreenshotAsync(new() { Path = Path.Combine(ResultsDir, test + ".png"), FullPage = true });
            throw;
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }

    /// <summary>Saves a screenshot under TestResults and, with <c>TCCG_SCREENSHOTS=DIR</c>, as <c>DIR/NAME.png</c>
    /// (how docs/screenshots is regenerated).</summary>
    public static async Task SaveScreenshotAsync(IPage page, string name)
    {
        Directory.CreateDirectory(ResultsDir);
        await page.ScreenshotAsync(new() { Path = Path.Combine(ResultsDir, "page-" + name + ".png") });
        if (Environment.GetEnvironmentVariable("TCCG_SCREENSHOTS") is { Length: > 0 } docs)
        {
            Directory.CreateDirectory(docs);
            await page.ScreenshotAsync(new() { Path = Path.Combine(docs, name + ".png") });
        }
    }

    public static async Task LoginAsync(IPage page, string name, string password = EditorServer.Password)
    {
        // The form is plain HTML posted by the browser: it is usable once the document is parsed, without waiting for
        // the page's scripts (the load event), which a busy machine can hold back for seconds.
        await page.GotoAsync("/login", new() { WaitUntil = WaitUntilState.DOMContentLoaded });
        await page.FillAsync("input[name=name]", name);
        await page.FillAsync("input[name=password]", password);
        await page.ClickAsync("button[type=submit]");
        await page.WaitForSelectorAsync(".topbar .user");
    }
}

[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<BrowserFixture>
{
    public const string Name = "browser";
}
