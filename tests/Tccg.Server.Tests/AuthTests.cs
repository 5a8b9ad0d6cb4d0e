using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Tccg.Storage.Accounts;
using Tccg.Storage.Database;

namespace Tccg.Server.Tests;

public class AuthTests
{
    private static Uri U(string path) => new(path, UriKind.Relative);

    [Fact]
    public async Task ApiRoute_WithoutCredentials_Returns401()
    {
        await using var server = await TestServer.StartAsync();
        using var client = server.CreateClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync(U("/api/v1/auth/session"))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync(U("/api/v1/admin/users"))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync(U("/api/v1/version"))).StatusCode);
    }

    [Fact]
    public async Task Login_RightPassword_StartsSession_WithRole()
    {
        await using var server = await TestServer.StartAsync();
        using var client = await server.LoginAsNewUserAsync("anna", UserRole.Admin);
        var session = await client.GetFromJsonAsync<JsonElement>(U("/api/v1/auth/session"));
        Assert.Equal("anna", session.GetProperty("name").GetString());
        Assert.Equal("admin", session.GetProperty("role").GetString());
    }

    [Fact]
    public async Task Login_SetsHttpOnlyStrictCookie()
    {
        await using var server = await TestServer.StartAsync();
        await server.AddUserAsync("bob", "correct horse battery", UserRole.Editor);
        using var client = server.CreateClient();
        var response = await client.PostAsJsonAsync(U("/api/v1/auth/login"), new { name = "bob", password = "correct horse battery" });
        var cookie = response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("tccg.session=", StringComparison.Ordinal));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Login_WrongPassword_Returns401Problem_AndFiveFailuresDoNotLockTheAccount()
    {
        await using var server = await TestServer.StartAsync();
        await server.AddUserAsync("carl", "correct horse battery", UserRole.Editor);
        using var client = server.CreateClient();
        for (var i = 0; i < 5; i++)
        {
            var wrong = await client.PostAsJsonAsync(U("/api/v1/auth/login"), new { name = "carl", password = "wrong password" });
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
            Assert.Equal("application/problem+json", wrong.Content.Headers.ContentType?.MediaType);
        }

        // The probe: five wrong passwords locked the account for everyone, the real user included.
        var response = await client.PostAsJsonAsync(U("/api/v1/auth/login"), new { name = "carl", password = "correct horse battery" });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task ScriptTokens_NeedAUser_AndActAsThatUser()
    {
        await using var server = await TestServer.StartAsync();
        using var admin = await server.LoginAsNewUserAsync("root", UserRole.Admin);
        await server.AddUserAsync("scripter", "correct horse battery", UserRole.Editor);

        var missing = await admin.PostAsJsonAsync(U("/api/v1/admin/tokens"), new { name = "nightly", kind = "script" });
        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
        Assert.True(Tccg.Server.Tests.Security.HardeningTests.NamesField(await missing.Content.ReadAsStringAsync(), "user"));
        var unknown = await admin.PostAsJsonAsync(U("/api/v1/admin/tokens"), new { name = "nightly", kind = "script", user = "ghost" });
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.Contains("ghost", await unknown.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var created = await admin.PostAsJsonAsync(U("/api/v1/admin/tokens"), new { name = "nightly", kind = "script", user = "scripter" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var secret = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("secret").GetString();
        using var script = server.CreateClient(cookies: false);
        script.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", secret);
        var session = await script.GetFromJsonAsync<JsonElement>(U("/api/v1/auth/session"));
        Assert.Equal(("scripter", "editor"), (session.GetProperty("name").GetString(), session.GetProperty("role").GetString()));
        Assert.Equal(HttpStatusCode.Created, (await script.PostAsJsonAsync(U("/api/v1/compilations"), new { name = "by script" })).StatusCode);
    }

    [Fact]
    public async Task Editor_OnAdminRoute_Returns403()
    {
        await using var server = await TestServer.StartAsync();
        using var client = await server.LoginAsNewUserAsync("dora", UserRole.Editor);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync(U("/api/v1/admin/users"))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.PostAsJsonAsync(U("/api/v1/admin/tokens"), new { name = "w" })).StatusCode);
    }

    [Fact]
    public async Task CookiePost_WithoutAntiforgeryHeader_IsRefused()
    {
        await using var server = await TestServer.StartAsync();
        using var client = await server.LoginAsNewUserAsync("erik", UserRole.Admin);
        client.DefaultRequestHeaders.Remove("X-CSRF-TOKEN");
        var response = await client.PostAsJsonAsync(U("/api/v1/admin/users"), new { name = "mallory", password = "12345678910" });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("anti-forgery", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Null(await server.App.Services.GetRequiredServiceCompat<IUserStore>().GetByNameAsync("mallory", CancellationToken.None));
    }

    [Fact]
    public async Task Admin_ManagesUsers_ThroughTheApi()
    {
        await using var server = await TestServer.StartAsync();
        using var client = await server.LoginAsNewUserAsync("fay", UserRole.Admin);
        var created = await client.PostAsJsonAsync(U("/api/v1/admin/users"), new { name = "幸子 🎬", password = "long enough pw", role = "editor" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var duplicate = await client.PostAsJsonAsync(U("/api/v1/admin/users"), new { name = "幸子 🎬", password = "long enough pw" });
        Assert.Equal(HttpStatusCode.Conflict, duplicate.StatusCode);
        var weak = await client.PostAsJsonAsync(U("/api/v1/admin/users"), new { name = "gus", password = "short" });
        Assert.Equal(HttpStatusCode.BadRequest, weak.StatusCode);

        var users = await client.GetFromJsonAsync<JsonElement>(U("/api/v1/admin/users"));
        Assert.Contains(users.EnumerateArray(), u => u.GetProperty("name").GetString() == "幸子 🎬");

        var role = await client.PutAsJsonAsync(U($"/api/v1/admin/users/{Uri.EscapeDataString("幸子 🎬")}/role"), new { role = "admin" });
        Assert.Equal(HttpStatusCode.NoContent, role.StatusCode);
        var removed = await client.DeleteAsync(U($"/api/v1/admin/users/{Uri.EscapeDataString("幸子 🎬")}"));
        Assert.Equal(HttpStatusCode.NoContent, removed.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.DeleteAsync(U("/api/v1/admin/users/nobody"))).StatusCode);
    }

    [Fact]
    public async Task RemovedUser_LosesTheirSession()
    {
        await using var server = await TestServer.StartAsync();
        using var client = await server.LoginAsNewUserAsync("hal", UserRole.Editor);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(U("/api/v1/auth/session"))).StatusCode);
        await server.App.Services.GetRequiredServiceCompat<IUserStore>().RemoveAsync("hal", CancellationToken.None);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync(U("/api/v1/auth/session"))).StatusCode);
    }

    [Fact]
    public async Task UserRemovedByAnotherProcess_LosesTheirSessionWithinTheCacheLifetime()
    {
        await using var server = await TestServer.StartAsync();
        using var client = await server.LoginAsNewUserAsync("ivy", UserRole.Editor);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(U("/api/v1/auth/session"))).StatusCode);
        // `tccg user remove` from another process: its own store on the same database, unseen by the server's cache.
        var elsewhere = new UserStore(server.App.Services.GetRequiredServiceCompat<TccgDatabase>(), TimeProvider.System);
        Assert.True(await elsewhere.RemoveAsync("ivy", CancellationToken.None));
        var removedAt = System.Diagnostics.Stopwatch.StartNew();
        var status = HttpStatusCode.OK;
        while (status == HttpStatusCode.OK && removedAt.Elapsed < TimeSpan.FromSeconds(10))
        {
            await Task.Delay(100);
            status = (await client.GetAsync(U("/api/v1/auth/session"))).StatusCode;
        }
        Assert.Equal(HttpStatusCode.Unauthorized, status);
        // The cache lifetime is one second; allow a loaded machine some slack, but not an unbounded stale session.
        Assert.InRange(removedAt.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task WorkerToken_AuthenticatesAsWorker_AndRevokedTokenIsRefused()
    {
        await using var server = await TestServer.StartAsync();
        using var admin = await server.LoginAsNewUserAsync("ida", UserRole.Admin);
        var created = await (await admin.PostAsJsonAsync(U("/api/v1/admin/tokens"), new { name = "gpu-box" })).Content.ReadFromJsonAsync<JsonElement>();
        var secret = created.GetProperty("secret").GetString()!;
        var id = created.GetProperty("token").GetProperty("id").GetInt64();

        using var worker = server.CreateClient(cookies: false);
        worker.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", secret);
        var session = await worker.GetFromJsonAsync<JsonElement>(U("/api/v1/auth/session"));
        Assert.Equal("worker", session.GetProperty("role").GetString());
        Assert.Equal(HttpStatusCode.Forbidden, (await worker.GetAsync(U("/api/v1/admin/users"))).StatusCode);

        var tokens = await admin.GetStringAsync(U("/api/v1/admin/tokens"));
        Assert.DoesNotContain(secret, tokens, StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync(U($"/api/v1/admin/tokens/{id}"))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await worker.GetAsync(U("/api/v1/auth/session"))).StatusCode);
    }

    [Fact]
    public async Task MalformedJson_Returns400Problem_AndServerKeepsServing()
    {
        await using var server = await TestServer.StartAsync();
        using var client = server.CreateClient();
        var response = await client.PostAsync(U("/api/v1/auth/login"), new StringContent("{\"name\": \"x\", ", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(U("/healthz"))).StatusCode);
    }
}

internal static class ServiceProviderCompat
{
    public static T GetRequiredServiceCompat<T>(this IServiceProvider services) where T : notnull =>
        Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<T>(services);
}
