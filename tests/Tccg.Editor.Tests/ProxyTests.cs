using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Playwright;
using Tccg.Generator;
using Tccg.Media.Rendering;
using Tccg.Storage.Accounts;
using Tccg.Storage.Compilations;
using Tccg.Storage.Renders;

namespace Tccg.Editor.Tests;

/// <summary>
/// The server behind Debian's nginx with TLS under /tccg/, configured as docs/deploy.md says: trusted proxy,
/// PathBase, RequireHttps. nginx connects from 127.0.0.2 (the trusted proxy); clients from other loopback addresses.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class ProxyTests(BrowserFixture browser)
{
    private static Dictionary<string, string?> BehindProxy() => new()
    {
        ["Tccg:Server:PathBase"] = "/tccg",
        ["Tccg:Server:RequireHttps"] = "true",
        ["Tccg:Server:ForwardedHeaders:KnownProxies:0"] = NginxProxy.ProxyAddress,
    };

    /// <summary>
    /// Through a proxy at <paramref name="baseUrl"/> (under /tccg/): an unauthenticated visit to the review page lands
    /// on the login page under the prefix and returns there after the form's login; then K keeps the first clip, the
    /// second shows, and the decision reaches the store (the page's circuit works through the proxy).
    /// </summary>
    internal static async Task LogInAndKeepTheFirstClipAsync(IPage page, EditorServer server, Uri baseUrl, string userName, long compilationId)
    {
        await page.GotoAsync(baseUrl + $"review/{compilationId}");
        await page.WaitForURLAsync("**/tccg/login?**");
        await page.FillAsync("input[name=name]", userName);
        await page.FillAsync("input[name=password]", EditorServer.Password);
        await page.ClickAsync("button[type=submit]");
        await page.WaitForURLAsync(baseUrl + $"review/{compilationId}");
        await ReviewTests.ShowsAsync(page, server.Clips[0].Id);
        await page.Keyboard.PressAsync("k");
        await ReviewTests.ShowsAsync(page, server.Clips[1].Id);
        IReadOnlyList<ReviewEntry> decisions = [];
        for (var wait = 0; wait < 100 && decisions.Count == 0; wait++)
        {
            decisions = await server.Service<ICompilationStore>().GetDecisionsAsync(compilationId, CancellationToken.None);
            if (decisions.Count == 0)
                await Task.Delay(50);
        }
        Assert.Equal((server.Clips[0].Id, ReviewDecision.Keep), (Assert.Single(decisions).ClipId, decisions[0].Decision));
    }

    [Fact]
    public async Task Chromium_OverHttpsUnderTccg_LogsInReviewsThroughTheCircuitAndHoldsASecureCookie()
    {
        await using var server = await EditorServer.StartAsync(clips: 2, settings: BehindProxy());
        await using var proxy = await NginxProxy.StartAsync(server.BaseUrl);
        var user = await server.AddUserAsync("viaproxy");
        var compilation = await server.AddCompilationAsync(user);
        var context = await browser.Browser.NewContextAsync(new() { IgnoreHTTPSErrors = true, ViewportSize = new() { Width = 1366, Height = 768 } });
        context.SetDefaultTimeout(15_000);
        var page = await context.NewPageAsync();
        await BrowserFixture.WithScreenshotOnFailureAsync(page, async () =>
        {
            // The review page is interactive: its circuit runs over a WebSocket through nginx.
            await LogInAndKeepTheFirstClipAsync(page, server, proxy.BaseUrl, "viaproxy", compilation.Id);

            // Links stay under the prefix.
            await page.ClickAsync("nav >> text=Renders");
            await page.WaitForURLAsync(proxy.BaseUrl + "renders");

            var session = Assert.Single(await context.CookiesAsync(), c => c.Name == "tccg.session");
            Assert.True(session.Secure, "the session cookie is not Secure");
            Assert.True(session.HttpOnly);
            Assert.Equal("/tccg", session.Path);
        });

        // nginx logs the circuit's WebSocket (101 Switching Protocols) once the closed page ends it.
        string[] log = [];
        for (var wait = 0; wait < 100; wait++)
        {
            log = await File.ReadAllLinesAsync(Path.Combine(proxy.Dir, "access.log"));
            if (log.Any(WebSocketUpgrade))
                break;
            await Task.Delay(100);
        }
        Assert.Contains(log, WebSocketUpgrade);
        Assert.All(log.Select(l => l.Split('"')[1]), r => Assert.Contains(" /tccg/", r, StringComparison.Ordinal));

        static bool WebSocketUpgrade(string line) =>
            line.Contains("\"GET /tccg/_blazor?id=", StringComparison.Ordinal) && line.Contains("\" 101 ", StringComparison.Ordinal);
    }
}

/// <summary>Forwarded headers, HSTS and a remote generator through nginx (no browser).</summary>
public sealed class ProxyHttpTests
{
    [Fact]
    public async Task ClientAddressAndScheme_AreTheForwardedOnesFromTheTrustedProxyOnly()
    {
        var logs = new LogCapture();
        await using var server = await EditorServer.StartAsync(settings: new Dictionary<string, string?>
        {
            ["Tccg:Server:PathBase"] = "/tccg",
            ["Tccg:Server:RequireHttps"] = "true",
            ["Tccg:Server:ForwardedHeaders:KnownProxies"] = NginxProxy.ProxyAddress, // one string: the form environment variables use
        }, logging: b => b.AddProvider(logs));
        await using var proxy = await NginxProxy.StartAsync(server.BaseUrl);
        await server.AddUserAsync("someone");

        // Through the proxy from 127.0.0.3: the server sees https and 127.0.0.3 (not nginx's 127.0.0.2).
        using var client = proxy.CreateClient(from: "127.0.0.3");
        var wrong = await client.PostAsJsonAsync(new Uri("api/v1/auth/login", UriKind.Relative), new { name = "someone", password = "not it" });
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        await logs.WaitForAsync("Failed login from 127.0.0.3");
        var login = await client.GetAsync(new Uri("review", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        Assert.StartsWith(proxy.BaseUrl + "login?", login.Headers.Location!.ToString(), StringComparison.Ordinal);

        // HSTS on HTTPS for a real host name (the framework leaves localhost and loopback addresses out).
        using var named = new HttpRequestMessage(HttpMethod.Get, new Uri("login", UriKind.Relative));
        named.Headers.Host = "tccg.test";
        var hsts = await client.SendAsync(named);
        Assert.Equal(HttpStatusCode.OK, hsts.StatusCode);
        Assert.StartsWith("max-age=", hsts.Headers.GetValues("Strict-Transport-Security").Single(), StringComparison.Ordinal);

        // Straight to the server from 127.0.0.1, which is no trusted proxy: forged headers are ignored.
        using var direct = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false }) { BaseAddress = new Uri(server.BaseUrl, "/tccg/") };
        using var forged = new HttpRequestMessage(HttpMethod.Post, new Uri("api/v1/auth/login", UriKind.Relative))
        {
            Content = JsonContent.Create(new { name = "someone", password = "not it" }),
        };
        forged.Headers.Add("X-Forwarded-For", "198.51.100.1");
        forged.Headers.Add("X-Forwarded-Proto", "https");
        var refused = await direct.SendAsync(forged);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode); // still plain HTTP: RequireHttps refuses it
        Assert.Contains("HTTPS required", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var redirect = await direct.GetAsync(new Uri("review?x=1", UriKind.Relative));
        Assert.Equal(HttpStatusCode.PermanentRedirect, redirect.StatusCode);
        Assert.Equal($"https://{server.BaseUrl.Authority}/tccg/review?x=1", redirect.Headers.Location!.ToString());
        Assert.Equal(HttpStatusCode.OK, (await direct.GetAsync(new Uri("healthz", UriKind.Relative))).StatusCode);
        Assert.DoesNotContain(logs.Messages, m => m.Contains("198.51.100.1", StringComparison.Ordinal));

        // Login throttling counts the forwarded address: wrong passwords from 127.0.0.3 until it is refused for a
        // while (the refusal doubles, 1 s, 2 s, 4 s …); meanwhile 127.0.0.4, through the same nginx, still logs in.
        var throttled = System.Diagnostics.Stopwatch.StartNew();
        var retryAfter = 0;
        for (var attempt = 0; attempt < 30 && retryAfter < 4; attempt++)
        {
            var answer = await client.PostAsJsonAsync(new Uri("api/v1/auth/login", UriKind.Relative), new { name = "someone", password = "still not it" });
            throttled.Restart();
            if (answer.StatusCode == HttpStatusCode.TooManyRequests)
            {
                retryAfter = (int)answer.Headers.RetryAfter!.Delta!.Value.TotalSeconds;
                if (retryAfter < 4)
                    await Task.Delay(TimeSpan.FromSeconds(retryAfter) + TimeSpan.FromMilliseconds(100));
            }
            else
            {
                Assert.Equal(HttpStatusCode.Unauthorized, answer.StatusCode);
            }
        }
        Assert.True(retryAfter >= 4, "127.0.0.3 was never refused for 4 s");
        using var other = proxy.CreateClient(from: "127.0.0.4");
        var elsewhere = await other.PostAsJsonAsync(new Uri("api/v1/auth/login", UriKind.Relative), new { name = "someone", password = EditorServer.Password });
        var stillRefused = await client.PostAsJsonAsync(new Uri("api/v1/auth/login", UriKind.Relative), new { name = "someone", password = EditorServer.Password });
        Assert.True(throttled.Elapsed < TimeSpan.FromSeconds(retryAfter - 1), "the logins above came after the refusal ran out");
        Assert.Equal(HttpStatusCode.OK, elsewhere.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, stillRefused.StatusCode);
        Assert.Contains(logs.Messages, m => m.Contains("Repeated failed logins from 127.0.0.3", StringComparison.Ordinal));
        Assert.DoesNotContain(logs.Messages, m => m.Contains("from " + NginxProxy.ProxyAddress, StringComparison.Ordinal));
    }

    [Fact]
    public async Task RemoteGenerator_ThroughTheProxyUnderTccg_RendersTheJob()
    {
        await using var server = await EditorServer.StartAsync(clips: 2, settings: new Dictionary<string, string?>
        {
            ["Tccg:Server:PathBase"] = "/tccg",
            ["Tccg:Server:RequireHttps"] = "true",
            ["Tccg:Server:ForwardedHeaders:KnownProxies:0"] = NginxProxy.ProxyAddress,
        });
        await using var proxy = await NginxProxy.StartAsync(server.BaseUrl);
        var a = server.Clips[0];
        var b = server.Clips[1];
        var timeline = $$$"""
            {"name":"Through nginx","timeline":{"version":1,
              "output":{"width":160,"height":90,"fps":15,"preset":"ultrafast","crf":30,"audioBitrateKbps":64},
              "overlay":{"enabled":false},
              "items":[
                {"kind":"clip","file":"{{{a.FilePath}}}","streamer":{"name":"A","login":"a"}},
                {"kind":"clip","file":"{{{b.FilePath}}}","streamer":{"name":"B","login":"b"}}]},
             "loudness":{"{{{a.FilePath}}}":-20,"{{{b.FilePath}}}":-20},
             "clipIds":[{{{a.Id.ToString(CultureInfo.InvariantCulture)}}},{{{b.Id.ToString(CultureInfo.InvariantCulture)}}}]}
            """;
        var job = await server.Service<IRenderJobStore>().EnqueueAsync(null, null, timeline, CancellationToken.None);
        var token = await server.Service<ITokenStore>().CreateAsync("remote", TokenKind.Worker, null, CancellationToken.None);

        // As `tccg generator --server https://host/tccg --token T` runs it (the test trusts nginx's certificate).
        using var http = GeneratorClient.CreateHttpClient(new Uri(proxy.BaseUrl.ToString().TrimEnd('/')), token.Secret, NginxProxy.CreateHandler("127.0.0.3"));
        var worker = new GeneratorWorker(new GeneratorClient(http), server.Service<Renderer>(), new GeneratorWorkerOptions
        {
            Name = "remote",
            CacheDir = Path.Combine(server.DataDir, "gen-remote"),
            LeaseWait = TimeSpan.FromSeconds(5),
            ProgressInterval = TimeSpan.FromMilliseconds(200),
            ErrorBackoff = TimeSpan.FromMilliseconds(200),
        }, TimeProvider.System, NullLogger<GeneratorWorker>.Instance);
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        await worker.RunAsync(once: true, stop.Token);

        var done = (await server.Service<IRenderJobStore>().GetAsync(job.Id, CancellationToken.None))!;
        Assert.True(worker.LastOutcome == JobOutcome.Succeeded, $"{worker.LastOutcome}: {done.Error} / nginx: {proxy.ErrorLog}");
        Assert.Equal(RenderJobStatus.Succeeded, done.Status);
        Assert.True(new FileInfo(Path.Combine(server.DataDir, done.OutputPath!)).Length > 1000);
        Assert.Contains(await File.ReadAllLinesAsync(Path.Combine(proxy.Dir, "access.log")),
            l => l.Contains("PUT /tccg/api/v1/generator/jobs/", StringComparison.Ordinal) && System.Text.RegularExpressions.Regex.IsMatch(l, "\" 2[0-9][0-9] "));

        // The links in the API's answers are under the prefix, and each answers through the proxy.
        await server.AddUserAsync("admin-of-links", UserRole.Admin);
        using var client = proxy.CreateClient(from: "127.0.0.3");
        using var login = await client.PostAsJsonAsync(new Uri("api/v1/auth/login", UriKind.Relative), new { name = "admin-of-links", password = EditorServer.Password });
        login.EnsureSuccessStatusCode();
        client.DefaultRequestHeaders.Add("X-CSRF-TOKEN", (await login.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("csrfToken").GetString());
        var render = await client.GetFromJsonAsync<System.Text.Json.JsonElement>(new Uri($"api/v1/renders/{job.Id}", UriKind.Relative));
        var video = render.GetProperty("output").GetProperty("videoUrl").GetString();
        Assert.Equal($"/tccg/api/v1/renders/{job.Id}/video", video);
        var clips = await client.GetFromJsonAsync<System.Text.Json.JsonElement>(new Uri("api/v1/clips?limit=5", UriKind.Relative));
        var media = clips.GetProperty("items").EnumerateArray().Select(c => c.GetProperty("mediaUrl").GetString()).ToList();
        Assert.Contains($"/tccg/api/v1/clips/{a.Id}/media", media);
        // A compilation's preview plays its clips from links under the prefix; its submit answers where the render is.
        using var created = await client.PostAsJsonAsync(new Uri("api/v1/compilations", UriKind.Relative), new { name = "Links", gameId = EditorServer.GameId });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var compilation = (await created.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("id").GetInt64();
        foreach (var clip in new[] { a, b })
            (await client.PostAsJsonAsync(new Uri($"api/v1/compilations/{compilation}/review", UriKind.Relative), new { clipId = clip.Id, decision = "keep" }))
                .EnsureSuccessStatusCode();
        var preview = await client.GetFromJsonAsync<System.Text.Json.JsonElement>(new Uri($"api/v1/compilations/{compilation}/preview", UriKind.Relative));
        var sources = preview.GetProperty("pieces").EnumerateArray().Select(p => p.GetProperty("src").GetString()!).ToList();
        Assert.Equal([$"/tccg/api/v1/clips/{a.Id}/media", $"/tccg/api/v1/clips/{b.Id}/media"], sources);
        using var submitted = await client.PostAsync(new Uri($"api/v1/compilations/{compilation}/submit", UriKind.Relative), null);
        Assert.Equal(HttpStatusCode.Accepted, submitted.StatusCode);
        var queued = await submitted.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>();
        Assert.Equal($"/tccg/api/v1/renders/{queued.GetProperty("jobId").GetInt64()}", queued.GetProperty("location").GetString());
        Assert.Equal(queued.GetProperty("location").GetString(), submitted.Headers.Location?.OriginalString);
        using var status = await client.GetAsync(new Uri(proxy.BaseUrl, queued.GetProperty("location").GetString()));
        Assert.Equal(HttpStatusCode.OK, status.StatusCode);

        foreach (var link in new[] { video!, sources[0], sources[1] })
        {
            using var answer = await client.GetAsync(new Uri(proxy.BaseUrl, link), HttpCompletionOption.ResponseHeadersRead);
            Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
            Assert.Equal("video/mp4", answer.Content.Headers.ContentType?.MediaType);
        }
    }
}

/// <summary>Collects the server's log messages so a test can see what it logged.</summary>
public sealed class LogCapture : ILoggerProvider
{
    private readonly ConcurrentQueue<string> _messages = new();

    public IEnumerable<string> Messages => _messages;

    public ILogger CreateLogger(string categoryName) => new Logger(this);

    public async Task WaitForAsync(string text)
    {
        for (var i = 0; i < 100; i++)
        {
            if (_messages.Any(m => m.Contains(text, StringComparison.Ordinal)))
                return;
            await Task.Delay(50);
        }
        Assert.Fail($"The server never logged \"{text}\"; it logged: {string.Join(" | ", _messages)}");
    }

    public void Dispose()
    {
    }

    private sealed class Logger(LogCapture owner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
                owner._messages.Enqueue(formatter(state, exception));
        }
    }
}
