using System.Net;
using System.Net.Http.Json;
using Tccg.Storage.Accounts;

namespace Tccg.Editor.Tests;

/// <summary>The editor's form endpoints and Razor antiforgery live beside the API's own CSRF check without weakening it.</summary>
public sealed class CsrfTests
{
    [Fact]
    public async Task ApiCookiePost_WithoutTheCsrfHeader_IsStillRejected()
    {
        await using var server = await EditorServer.StartAsync();
        await server.AddUserAsync("api-user", UserRole.Admin);
        using var client = new HttpClient(new HttpClientHandler { UseCookies = true, AllowAutoRedirect = false }) { BaseAddress = server.BaseUrl };
        var login = await client.PostAsJsonAsync(new Uri("/api/v1/auth/login", UriKind.Relative), new { name = "api-user", password = EditorServer.Password });
        login.EnsureSuccessStatusCode();

        var noHeader = await client.PostAsync(new Uri("/api/v1/auth/logout", UriKind.Relative), null);
        Assert.Equal(HttpStatusCode.BadRequest, noHeader.StatusCode);

        // The editor's form endpoint needs its form token too: a cross-site form post without one is refused.
        using var form = new FormUrlEncodedContent([]);
        var logoutForm = await client.PostAsync(new Uri("/account/logout", UriKind.Relative), form);
        Assert.Equal(HttpStatusCode.BadRequest, logoutForm.StatusCode);

        // And the session still works.
        var session = await client.GetAsync(new Uri("/api/v1/auth/session", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, session.StatusCode);
    }

    [Fact]
    public async Task LoginForm_WithoutAntiforgeryToken_IsRefusedAndPagesRedirectToLogin()
    {
        await using var server = await EditorServer.StartAsync();
        await server.AddUserAsync("someone");
        using var client = new HttpClient(new HttpClientHandler { UseCookies = true, AllowAutoRedirect = false }) { BaseAddress = server.BaseUrl };
        using var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["name"] = "someone", ["password"] = EditorServer.Password });
        var post = await client.PostAsync(new Uri("/account/login", UriKind.Relative), form);
        Assert.Equal(HttpStatusCode.BadRequest, post.StatusCode);

        var page = await client.GetAsync(new Uri("/renders", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.StartsWith("/login", page.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
        var script = await client.GetAsync(new Uri("/_framework/blazor.web.js", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, script.StatusCode);
    }
}
