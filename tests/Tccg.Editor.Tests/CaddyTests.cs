using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Playwright;

namespace Tccg.Editor.Tests;

/// <summary>
/// The server behind Debian's Caddy running deploy/Caddyfile (TLS, /tccg/, forwarded headers, WebSocket), configured
/// as docs/deploy.md says for Caddy: PathBase, RequireHttps and Caddy's address (127.0.0.1) as the trusted proxy.
/// Clients connect to Caddy from other loopback addresses (127.0.0.3) so the forwarded address can be told apart.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class CaddyTests(BrowserFixture browser)
{
    [Fact]
    public async Task Caddyfile_HttpsLoginSecureCookieForwardedAddress_AndTheEditorsWebSocketThroughCaddy()
    {
        var logs = new LogCapture();
        await using var server = await EditorServer.StartAsync(clips: 2, settings: new Dictionary<string, string?>
        {
            ["Tccg:Server:PathBase"] = "/tccg",
            ["Tccg:Server:RequireHttps"] = "true",
            ["Tccg:Server:ForwardedHeaders:KnownProxies:0"] = "127.0.0.1",
        }, logging: b => b.AddProvider(logs));
        await using var proxy = await CaddyProxy.StartAsync(server.BaseUrl);
        var user = await server.AddUserAsync("viacaddy");
        var compilation = await server.AddCompilationAsync(user);

        // HTTP: the site root goes to /tccg/, a login over HTTPS sets a Secure cookie for /tccg, and the server
        // sees the client's address (127.0.0.3) and https, not Caddy's.
        using var client = proxy.CreateClient(from: "127.0.0.3");
        var root = await client.GetAsync(new Uri($"https://127.0.0.1:{proxy.Port}/"));
        Assert.Equal("/tccg/", root.Headers.Location?.ToString());
        var bare = await client.GetAsync(new Uri($"https://127.0.0.1:{proxy.Port}/tccg"));
        Assert.Equal(HttpStatusCode.PermanentRedirect, bare.StatusCode);
        Assert.Equal("/tccg/", bare.Headers.Location?.ToString());
        var wrong = await client.PostAsJsonAsync(new Uri("api/v1/auth/login", UriKind.Relative), new { name = "viacaddy", password = "not it" });
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        await logs.WaitForAsync("Failed login from 127.0.0.3");
        var login = await client.PostAsJsonAsync(new Uri("api/v1/auth/login", UriKind.Relative), new { name = "viacaddy", password = EditorServer.Password });
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        var cookie = Assert.Single(login.Headers.GetValues("Set-Cookie"), c => c.StartsWith("tccg.session=", StringComparison.Ordinal));
        Assert.Contains("; secure", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("; path=/tccg", cookie, StringComparison.OrdinalIgnoreCase);
        var review = await client.GetAsync(new Uri($"review/{compilation.Id}", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Redirect, review.StatusCode);
        Assert.StartsWith(proxy.BaseUrl + "login?", review.Headers.Location!.ToString(), StringComparison.Ordinal);

        // Chromium: log in through the form and review a clip; the circuit runs over a WebSocket through Caddy.
        var context = await browser.Browser.NewContextAsync(new() { IgnoreHTTPSErrors = true, ViewportSize = new() { Width = 1366, Height = 768 } });
        context.SetDefaultTimeout(15_000);
        var page = await context.NewPageAsync();
        var sockets = new List<IWebSocket>();
        var received = 0;
        page.WebSocket += (_, socket) =>
        {
            lock (sockets)
                sockets.Add(socket);
            socket.FrameReceived += (_, _) => Interlocked.Increment(ref received);
        };
        await BrowserFixture.WithScreenshotOnFailureAsync(page, async () =>
        {
            await ProxyTests.LogInAndKeepTheFirstClipAsync(page, server, proxy.BaseUrl, "viacaddy", compilation.Id);

            lock (sockets)
            {
                var circuit = Assert.Single(sockets, s => s.Url.StartsWith($"wss://127.0.0.1:{proxy.Port}/tccg/_blazor?id=", StringComparison.Ordinal));
                Assert.False(circuit.IsClosed, "the circuit's WebSocket closed");
            }
            Assert.True(Volatile.Read(ref received) > 0, "no frame came back over the WebSocket");

            var session = Assert.Single(await context.CookiesAsync(), c => c.Name == "tccg.session");
            Assert.True(session.Secure, "the session cookie is not Secure");
            Assert.Equal("/tccg", session.Path);
        });
        await context.CloseAsync();

        // Caddy's own log: the upgrade went through it under /tccg/, answered by the server's Sec-WebSocket-Accept
        // (Caddy 2.6 logs a hijacked connection with status 0; the line is written once the closed page ends it).
        string[] log = [];
        for (var wait = 0; wait < 100 && !log.Any(WebSocketUpgrade); wait++)
        {
            await Task.Delay(100);
            log = proxy.AccessLog();
        }
        Assert.True(log.Any(WebSocketUpgrade), "Caddy logged no WebSocket upgrade: " + string.Join('\n', log.Where(l => l.Contains("_blazor", StringComparison.Ordinal))));

        static bool WebSocketUpgrade(string line) =>
            line.Contains("\"uri\":\"/tccg/_blazor?id=", StringComparison.Ordinal) && line.Contains("\"Sec-Websocket-Accept\":", StringComparison.Ordinal);
    }
}
