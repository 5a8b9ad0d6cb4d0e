using System.Net;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Tccg.Storage.Accounts;

namespace Tccg.Server.Tests.Security;

/// <summary>
/// The web editor is for people: bearer tokens get 403 on its pages and its circuit, and the circuit (negotiate and
/// WebSocket) takes only a cookie session from the server's own origin. Driven as a probe would: plain HTTP and a raw
/// WebSocket handshake with the session cookie and a foreign Origin.
/// </summary>
public sealed class EditorGateTests
{
    [Fact]
    public async Task WorkerToken_OnEveryEditorPageAndTheCircuit_Gets403AndSeesNoCompilation()
    {
        await using var server = await TestServer.StartAsync();
        var editor = await server.LoginAsNewUserAsync("ed", UserRole.Editor);
        using (var created = await editor.PostAsJsonAsync(new Uri("/api/v1/compilations", UriKind.Relative), new { name = "Private plans", gameId = "1" }))
            created.EnsureSuccessStatusCode();
        var secret = (await server.App.Services.GetRequiredService<ITokenStore>().CreateAsync("render-box", TokenKind.Worker, null, CancellationToken.None)).Secret;
        using var worker = server.CreateClient(cookies: false);
        worker.DefaultRequestHeaders.Authorization = new("Bearer", secret);

        foreach (var path in new[] { "/", "/compilations", "/review", "/renders", "/admin", "/ui/editor.js" })
        {
            using var page = await worker.GetAsync(new Uri(path, UriKind.Relative));
            Assert.Equal(HttpStatusCode.Forbidden, page.StatusCode);
            Assert.DoesNotContain("Private plans", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
        using var negotiate = await worker.PostAsync(new Uri("/_blazor/negotiate?negotiateVersion=1", UriKind.Relative), null);
        Assert.Equal(HttpStatusCode.Forbidden, negotiate.StatusCode);

        // The API answers the same token the same way: it may lease jobs, not edit.
        using var list = await worker.GetAsync(new Uri("/api/v1/compilations", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Forbidden, list.StatusCode);
        using var create = await worker.PostAsJsonAsync(new Uri("/api/v1/compilations", UriKind.Relative), new { name = "Token's own" });
        Assert.Equal(HttpStatusCode.Forbidden, create.StatusCode);
    }

    [Fact]
    public async Task ScriptToken_OnTheEditor_Gets403ButWorksOnTheApi()
    {
        await using var server = await TestServer.StartAsync();
        var user = await server.AddUserAsync("scripter", "correct horse battery", UserRole.Editor);
        var secret = (await server.App.Services.GetRequiredService<ITokenStore>().CreateAsync("cron", TokenKind.Script, user.Id, CancellationToken.None)).Secret;
        using var script = server.CreateClient(cookies: false);
        script.DefaultRequestHeaders.Authorization = new("Bearer", secret);

        using var page = await script.GetAsync(new Uri("/compilations", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Forbidden, page.StatusCode);
        using var api = await script.GetAsync(new Uri("/api/v1/compilations", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, api.StatusCode);
    }

    [Fact]
    public async Task Circuit_FromAnotherOriginOfTheSameHost_IsRefusedOnNegotiateAndWebSocket()
    {
        await using var server = await TestServer.StartAsync();
        var (client, cookies) = await LoginAsync(server, "boss", UserRole.Admin);
        var own = server.BaseUrl.GetLeftPart(UriPartial.Authority);
        var foreign = $"http://127.0.0.1:{server.BaseUrl.Port + 1}";

        using (var refused = await NegotiateAsync(client, foreign))
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        using (var missing = await NegotiateAsync(client, null))
            Assert.Equal(HttpStatusCode.Forbidden, missing.StatusCode);
        using var accepted = await NegotiateAsync(client, own);
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        var token = (await accepted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("connectionToken").GetString()!;

        var socketUri = new Uri($"ws://{server.BaseUrl.Authority}/_blazor?id={Uri.EscapeDataString(token)}");
        using (var hijack = Socket(cookies, foreign))
        {
            await Assert.ThrowsAsync<WebSocketException>(() => hijack.ConnectAsync(socketUri, CancellationToken.None));
            Assert.Equal(HttpStatusCode.Forbidden, hijack.HttpStatusCode);
        }
        using var mine = Socket(cookies, own);
        await mine.ConnectAsync(socketUri, CancellationToken.None);
        Assert.Equal(WebSocketState.Open, mine.State);
        await mine.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
    }

    [Fact]
    public async Task Circuit_WithoutASession_IsRefused()
    {
        await using var server = await TestServer.StartAsync();
        using var anonymous = server.CreateClient();
        using var negotiate = await NegotiateAsync(anonymous, server.BaseUrl.GetLeftPart(UriPartial.Authority));
        Assert.Equal(HttpStatusCode.Forbidden, negotiate.StatusCode);
    }

    [Fact]
    public async Task Circuit_FromAnOriginListedInAllowedOrigins_IsAccepted()
    {
        const string Listed = "https://editor.example.org:8443";
        await using var server = await TestServer.StartAsync(new Dictionary<string, string?> { ["Tccg:Server:AllowedOrigins:0"] = Listed });
        var (client, _) = await LoginAsync(server, "boss", UserRole.Admin);
        using (var listed = await NegotiateAsync(client, Listed))
            Assert.Equal(HttpStatusCode.OK, listed.StatusCode);
        using var other = await NegotiateAsync(client, "https://editor.example.org:9443");
        Assert.Equal(HttpStatusCode.Forbidden, other.StatusCode);
    }

    private static async Task<(HttpClient Client, CookieContainer Cookies)> LoginAsync(TestServer server, string name, UserRole role)
    {
        await server.AddUserAsync(name, "correct horse battery", role);
        var cookies = new CookieContainer();
        var client = new HttpClient(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false }) { BaseAddress = server.BaseUrl };
        using var login = await client.PostAsJsonAsync(new Uri("/api/v1/auth/login", UriKind.Relative), new { name, password = "correct horse battery" });
        login.EnsureSuccessStatusCode();
        return (client, cookies);
    }

    private static Task<HttpResponseMessage> NegotiateAsync(HttpClient client, string? origin)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/_blazor/negotiate?negotiateVersion=1", UriKind.Relative));
        if (origin is not null)
            request.Headers.Add("Origin", origin);
        return client.SendAsync(request);
    }

    private static ClientWebSocket Socket(CookieContainer cookies, string origin)
    {
        var socket = new ClientWebSocket();
        socket.Options.Cookies = cookies;
        socket.Options.SetRequestHeader("Origin", origin);
        socket.Options.CollectHttpResponseDetails = true;
        return socket;
    }
}
