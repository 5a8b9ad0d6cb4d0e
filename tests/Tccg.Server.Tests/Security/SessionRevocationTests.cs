using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Tccg.Storage.Accounts;
using Tccg.Storage.Database;

namespace Tccg.Server.Tests.Security;

/// <summary>
/// Probe finding 4: a session ends on the server, not only in the browser. Driven as the probe did it: a copy of
/// the session cookie, kept aside, is replayed with plain HTTP after logout, a password change, a role change and
/// "log out everywhere".
/// </summary>
public sealed class SessionRevocationTests
{
    private static Uri U(string path) => new(path, UriKind.Relative);

    private const string Password = "correct horse battery";

    /// <summary>A fresh client that sends only the copied cookie (and the CSRF token read with it).</summary>
    private static HttpClient Replay(TestServer server, string cookie, string? csrf = null)
    {
        var client = server.CreateClient(cookies: false);
        client.DefaultRequestHeaders.Add("Cookie", cookie);
        if (csrf is not null)
            client.DefaultRequestHeaders.Add("X-CSRF-TOKEN", csrf);
        return client;
    }

    /// <summary>Logs in with a plain client and returns the Cookie header value it would send, and its CSRF token.</summary>
    private static async Task<(HttpClient Client, string Cookie, string Csrf)> LoginAsync(TestServer server, string name)
    {
        var container = new CookieContainer();
        var client = new HttpClient(new HttpClientHandler { CookieContainer = container, AllowAutoRedirect = false }) { BaseAddress = server.BaseUrl };
        var response = await client.PostAsJsonAsync(U("/api/v1/auth/login"), new { name, password = Password });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var csrf = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("csrfToken").GetString()!;
        client.DefaultRequestHeaders.Add("X-CSRF-TOKEN", csrf);
        return (client, container.GetCookieHeader(server.BaseUrl), csrf);
    }

    private static async Task<HttpStatusCode> SessionStatusAsync(HttpClient client) =>
        (await client.GetAsync(U("/api/v1/auth/session"))).StatusCode;

    [Fact]
    public async Task Logout_EndsTheSessionOnTheServer_ACopiedCookieGets401()
    {
        await using var server = await TestServer.StartAsync();
        await server.AddUserAsync("lena", Password, UserRole.Editor);
        var (client, cookie, csrf) = await LoginAsync(server, "lena");
        using var copy = Replay(server, cookie, csrf);
        Assert.Equal(HttpStatusCode.OK, await SessionStatusAsync(copy));

        Assert.Equal(HttpStatusCode.NoContent, (await client.PostAsync(U("/api/v1/auth/logout"), null)).StatusCode);

        Assert.Equal(HttpStatusCode.Unauthorized, await SessionStatusAsync(copy));
        Assert.Equal(HttpStatusCode.Unauthorized, (await copy.PostAsJsonAsync(U("/api/v1/compilations"), new { name = "after logout" })).StatusCode);
        // Logging in again works, with a new session.
        var (_, again, _) = await LoginAsync(server, "lena");
        using var fresh = Replay(server, again);
        Assert.Equal(HttpStatusCode.OK, await SessionStatusAsync(fresh));
        client.Dispose();
    }

    [Fact]
    public async Task PasswordChange_ThroughTheAdminRoute_EndsTheUsersSessions_NotTheAdmins()
    {
        await using var server = await TestServer.StartAsync();
        using var admin = await server.LoginAsNewUserAsync("root", UserRole.Admin);
        await server.AddUserAsync("mara", Password, UserRole.Editor);
        var (client, cookie, _) = await LoginAsync(server, "mara");
        using var copy = Replay(server, cookie);

        Assert.Equal(HttpStatusCode.NoContent, (await admin.PutAsJsonAsync(U("/api/v1/admin/users/mara/password"), new { password = "a new password" })).StatusCode);

        Assert.Equal(HttpStatusCode.Unauthorized, await SessionStatusAsync(copy));
        Assert.Equal(HttpStatusCode.Unauthorized, await SessionStatusAsync(client));
        Assert.Equal(HttpStatusCode.OK, await SessionStatusAsync(admin));
        client.Dispose();
    }

    [Fact]
    public async Task PasswordChange_FromAnotherProcess_EndsTheSessionsWithinTheCacheLifetime()
    {
        await using var server = await TestServer.StartAsync();
        await server.AddUserAsync("nils", Password, UserRole.Editor);
        var (client, cookie, _) = await LoginAsync(server, "nils");
        using var copy = Replay(server, cookie);
        Assert.Equal(HttpStatusCode.OK, await SessionStatusAsync(copy));

        // `tccg user passwd` while the server runs: its own store on the same database, unseen by the server's cache.
        var elsewhere = new UserStore(server.App.Services.GetRequiredServiceCompat<TccgDatabase>(), TimeProvider.System);
        Assert.True(await elsewhere.SetPasswordAsync("nils", "another password", CancellationToken.None));
        var changedAt = System.Diagnostics.Stopwatch.StartNew();
        var status = HttpStatusCode.OK;
        while (status == HttpStatusCode.OK && changedAt.Elapsed < TimeSpan.FromSeconds(10))
        {
            await Task.Delay(100);
            status = await SessionStatusAsync(copy);
        }
        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.InRange(changedAt.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(5));
        client.Dispose();
    }

    [Fact]
    public async Task RoleChange_EndsTheUsersSessions()
    {
        await using var server = await TestServer.StartAsync();
        using var admin = await server.LoginAsNewUserAsync("root", UserRole.Admin);
        await server.AddUserAsync("otto", Password, UserRole.Admin);
        var (client, cookie, _) = await LoginAsync(server, "otto");
        using var copy = Replay(server, cookie);
        Assert.Equal(HttpStatusCode.OK, (await copy.GetAsync(U("/api/v1/admin/users"))).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await admin.PutAsJsonAsync(U("/api/v1/admin/users/otto/role"), new { role = "editor" })).StatusCode);

        Assert.Equal(HttpStatusCode.Unauthorized, (await copy.GetAsync(U("/api/v1/admin/users"))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, await SessionStatusAsync(copy));
        // Logging in again gives the new role.
        var (_, again, _) = await LoginAsync(server, "otto");
        using var fresh = Replay(server, again);
        Assert.Equal("editor", (await fresh.GetFromJsonAsync<JsonElement>(U("/api/v1/auth/session"))).GetProperty("role").GetString());
        Assert.Equal(HttpStatusCode.Forbidden, (await fresh.GetAsync(U("/api/v1/admin/users"))).StatusCode);
        client.Dispose();
    }

    [Fact]
    public async Task AdminLogoutRoute_EndsEverySessionOfTheUser_AndOnlyAdminsMayCallIt()
    {
        await using var server = await TestServer.StartAsync();
        using var admin = await server.LoginAsNewUserAsync("root", UserRole.Admin);
        await server.AddUserAsync("pia", Password, UserRole.Editor);
        var (laptop, laptopCookie, _) = await LoginAsync(server, "pia");
        var (phone, phoneCookie, _) = await LoginAsync(server, "pia");
        using var laptopCopy = Replay(server, laptopCookie);
        using var phoneCopy = Replay(server, phoneCookie);
        Assert.Equal(HttpStatusCode.OK, await SessionStatusAsync(laptopCopy));

        // An editor may not end other people's sessions.
        Assert.Equal(HttpStatusCode.Forbidden, (await phone.PostAsync(U("/api/v1/admin/users/root/logout"), null)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, await SessionStatusAsync(admin));

        Assert.Equal(HttpStatusCode.NoContent, (await admin.PostAsync(U("/api/v1/admin/users/pia/logout"), null)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, await SessionStatusAsync(laptopCopy));
        Assert.Equal(HttpStatusCode.Unauthorized, await SessionStatusAsync(phoneCopy));
        Assert.Equal(HttpStatusCode.Unauthorized, await SessionStatusAsync(laptop));
        Assert.Equal(HttpStatusCode.OK, await SessionStatusAsync(admin));

        var unknown = await admin.PostAsync(U("/api/v1/admin/users/nobody/logout"), null);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("application/problem+json", unknown.Content.Headers.ContentType?.MediaType);
        laptop.Dispose();
        phone.Dispose();
    }
}
