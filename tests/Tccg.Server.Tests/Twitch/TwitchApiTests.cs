using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Tccg.Storage.Accounts;
using Tccg.Twitch;
using Tccg.Twitch.Gql;
using Tccg.TwitchSim;

namespace Tccg.Server.Tests.Twitch;

/// <summary>Paused downloads on /readyz and the API the dashboard banner reads, settings changed at run time, the doctor, and connecting an account.</summary>
public class TwitchApiTests
{
    private static Uri U(string path) => new(path, UriKind.Relative);

    private static async Task<(TwitchSimHost Sim, TestServer Server)> StartWithSimAsync(string? pathBase = null)
    {
        var sim = await TwitchSimHost.StartAsync(new TwitchSimOptions
        {
            Seed = 3,
            Games = [new SimGameSpec("509658", "Just Chatting", 30, TimeSpan.FromDays(5))],
            LegacyClipsPerGame = 0,
            Anchor = DateTimeOffset.UtcNow.AddMinutes(-5),
        });
        var settings = sim.TccgConfiguration.ToDictionary(kv => kv.Key, kv => (string?)kv.Value);
        if (pathBase is not null)
            settings["Tccg:Server:PathBase"] = pathBase;
        var server = await TestServer.StartAsync(settings);
        return (sim, server);
    }

    [Fact]
    public async Task EveryWayStale_PausesOnReadyzAndThePauseApi_ANewHashFromTheApiLiftsIt()
    {
        var (sim, server) = await StartWithSimAsync();
        await using var _ = sim;
        await using var __ = server;
        using var admin = await server.LoginAsNewUserAsync("root", UserRole.Admin);
        using var editor = await server.LoginAsNewUserAsync("ed", UserRole.Editor);
        using var anonymous = server.CreateClient();

        sim.AcceptGql();
        var resolver = server.App.Services.GetRequiredService<ClipUrlResolver>();
        await Assert.ThrowsAsync<ClipAccessHashRotatedException>(() => resolver.ResolveAsync(sim.World.Clips[0].Id, null, CancellationToken.None));

        var ready = await anonymous.GetAsync(U("/readyz"));
        var checks = JsonDocument.Parse(await ready.Content.ReadAsStringAsync()).RootElement.GetProperty("checks");
        Assert.Equal("Degraded", checks.GetProperty("twitch-downloads").GetProperty("status").GetString());
        Assert.Contains("tccg twitch set-hash", checks.GetProperty("twitch-downloads").GetProperty("description").GetString(), StringComparison.Ordinal);
        var pause = await editor.GetFromJsonAsync<JsonElement>(U("/api/v1/twitch/pause"));
        Assert.Equal("Tccg:Twitch:ClipAccessHashes", pause.GetProperty("configKey").GetString());

        var doctor = await admin.PostAsync(U("/api/v1/twitch/doctor"), null);
        Assert.Equal(HttpStatusCode.OK, doctor.StatusCode);
        Assert.False(JsonDocument.Parse(await doctor.Content.ReadAsStringAsync()).RootElement.GetProperty("downloadsWork").GetBoolean());

        // Only admins change settings; bad values are a 400 naming the field.
        Assert.Equal(HttpStatusCode.Forbidden, (await editor.PutAsJsonAsync(U("/api/v1/twitch/settings"), new { clipAccessHashes = new[] { "a" } })).StatusCode);
        var bad = await admin.PutAsJsonAsync(U("/api/v1/twitch/settings"), new { clipAccessHashes = new[] { "not-a-hash" } });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("clipAccessHashes", await bad.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var fresh = sim.RotateClipAccessHash();
        var saved = await admin.PutAsJsonAsync(U("/api/v1/twitch/settings"), new { clipAccessHashes = new[] { fresh } });
        Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
        Assert.Equal("database", JsonDocument.Parse(await saved.Content.ReadAsStringAsync()).RootElement.GetProperty("source").GetString());
        Assert.Equal(HttpStatusCode.NoContent, (await editor.GetAsync(U("/api/v1/twitch/pause"))).StatusCode);
        var healthy = JsonDocument.Parse(await (await anonymous.GetAsync(U("/readyz"))).Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("Healthy", healthy.GetProperty("checks").GetProperty("twitch-downloads").GetProperty("status").GetString());
        Assert.IsType<ClipUrlResult.Ready>(await resolver.ResolveAsync(sim.World.Clips[0].Id, null, CancellationToken.None));
        var works = await admin.PostAsync(U("/api/v1/twitch/doctor"), null);
        Assert.True(JsonDocument.Parse(await works.Content.ReadAsStringAsync()).RootElement.GetProperty("downloadsWork").GetBoolean());
    }

    [Fact]
    public async Task ConnectAccount_UnderAPathBase_GoesTheWholeWayUnderIt()
    {
        var (sim, server) = await StartWithSimAsync(pathBase: "/tccg");
        await using var _ = sim;
        await using var __ = server;
        await server.AddUserAsync("root", "correct horse battery", UserRole.Admin);
        using var admin = server.CreateClient();
        using var login = await admin.PostAsJsonAsync(U("/tccg/api/v1/auth/login"), new { name = "root", password = "correct horse battery" });
        login.EnsureSuccessStatusCode();
        admin.DefaultRequestHeaders.Add("X-CSRF-TOKEN", (await login.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("csrfToken").GetString());

        var broadcaster = sim.World.Clips[0].Broadcaster.Id;
        sim.AuthorizeAs(broadcaster);

        var start = await admin.GetAsync(U("/tccg/api/v1/twitch/oauth/connect"));
        Assert.Equal(HttpStatusCode.Redirect, start.StatusCode);
        var query = System.Web.HttpUtility.ParseQueryString(start.Headers.Location!.Query);
        Assert.Equal(new Uri(server.BaseUrl, "/tccg/api/v1/twitch/oauth/callback").ToString(), query["redirect_uri"]);

        // The whole round trip: Twitch sends the browser back under the prefix, the code is exchanged with the same
        // redirect URL (the simulator checks it, as Twitch does), and the browser lands on the admin page under it.
        using var browser = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        var consent = await browser.GetAsync(start.Headers.Location);
        Assert.Equal(HttpStatusCode.Redirect, consent.StatusCode);
        Assert.Equal("/tccg/api/v1/twitch/oauth/callback", consent.Headers.Location!.AbsolutePath);
        var done = await admin.GetAsync(U(consent.Headers.Location.PathAndQuery));
        Assert.Equal(HttpStatusCode.Redirect, done.StatusCode);
        Assert.StartsWith("/tccg/admin?twitch=", done.Headers.Location!.ToString(), StringComparison.Ordinal);
        var list = await admin.GetFromJsonAsync<JsonElement>(U("/tccg/api/v1/twitch/connections"));
        Assert.Equal(broadcaster, Assert.Single(list.EnumerateArray()).GetProperty("twitchUserId").GetString());
    }

    [Fact]
    public async Task ConnectAccount_ThroughTwitchsConsentPage_StoresItForOfficialDownloads()
    {
        var (sim, server) = await StartWithSimAsync();
        await using var _ = sim;
        await using var __ = server;
        using var admin = await server.LoginAsNewUserAsync("root", UserRole.Admin);
        using var other = await server.LoginAsNewUserAsync("ed", UserRole.Editor);
        var broadcaster = sim.World.Clips[0].Broadcaster.Id;
        sim.AuthorizeAs(broadcaster);

        var start = await admin.GetAsync(U("/api/v1/twitch/oauth/connect?channels=12345"));
        Assert.Equal(HttpStatusCode.Redirect, start.StatusCode);
        Assert.StartsWith(sim.AuthBaseUrl + "/oauth2/authorize?", start.Headers.Location!.ToString(), StringComparison.Ordinal);
        using var browser = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        var consent = await browser.GetAsync(start.Headers.Location);
        Assert.Equal(HttpStatusCode.Redirect, consent.StatusCode);
        var back = consent.Headers.Location!;
        Assert.Equal("/api/v1/twitch/oauth/callback", back.AbsolutePath);

        // The state belongs to the user who started: another user's session cannot finish it.
        Assert.Equal(HttpStatusCode.Forbidden, (await other.GetAsync(U(back.PathAndQuery))).StatusCode);
        var again = await admin.GetAsync(U("/api/v1/twitch/oauth/connect"));
        var consent2 = await browser.GetAsync(again.Headers.Location);
        var done = await admin.GetAsync(U(consent2.Headers.Location!.PathAndQuery));
        Assert.Equal(HttpStatusCode.Redirect, done.StatusCode);
        Assert.StartsWith("/admin?twitch=", done.Headers.Location!.ToString(), StringComparison.Ordinal);
        // A used state is refused.
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.GetAsync(U(consent2.Headers.Location!.PathAndQuery))).StatusCode);

        var list = await admin.GetFromJsonAsync<JsonElement>(U("/api/v1/twitch/connections"));
        var account = Assert.Single(list.EnumerateArray());
        Assert.Equal(broadcaster, account.GetProperty("twitchUserId").GetString());
        Assert.DoesNotContain("token", account.ToString(), StringComparison.OrdinalIgnoreCase);
        var url = await server.App.Services.GetRequiredService<Tccg.Twitch.Official.OfficialClipUrls>()
            .TryResolveAsync(sim.World.Clips[0].Id, broadcaster, CancellationToken.None);
        Assert.NotNull(url);
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync(U($"/api/v1/twitch/connections/{broadcaster}"))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.DeleteAsync(U($"/api/v1/twitch/connections/{broadcaster}"))).StatusCode);
    }
}
