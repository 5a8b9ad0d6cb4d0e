using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Tccg.Core.Configuration;

namespace Tccg.TwitchSim.Tests;

/// <summary>The simulator's strictness for downloads: Content-Length, accepted GQL ways, and official downloads with their rules.</summary>
public sealed class GqlWaysAndOfficialTests
{
    [Fact]
    public async Task ChunkedBody_IsRefusedWith411_TheSameBodyWithContentLengthIsAnswered()
    {
        await using var sim = await TestSim.StartAsync();
        var body = TestSim.GqlBody(sim.Host.World.Clips[0].Id, sim.Host.ClipAccessHash);
        using (var chunked = new HttpRequestMessage(HttpMethod.Post, sim.Host.GqlUrl) { Content = JsonContent.Create(body) })
        {
            chunked.Headers.Add("Client-ID", sim.Host.GqlClientId);
            Assert.Null(chunked.Content.Headers.ContentLength); // JsonContent streams: HttpClient sends it chunked
            using var refused = await sim.Http.SendAsync(chunked);
            Assert.Equal(HttpStatusCode.LengthRequired, refused.StatusCode);
        }
        Assert.Equal(1, sim.Host.Counters.LengthRequired);
        Assert.Equal(0, sim.Host.Counters.GqlOperations);
        var ok = await sim.GqlAsync(body);
        Assert.Equal(JsonValueKind.Object, ok.GetProperty("data").GetProperty("clip").ValueKind);
    }

    [Fact]
    public async Task ChunkedBody_IsAnsweredWhenTheStrictModeIsOff()
    {
        await using var sim = await TestSim.StartAsync(o => o.RequireContentLength = false);
        using var chunked = new HttpRequestMessage(HttpMethod.Post, sim.Host.GqlUrl)
        {
            Content = JsonContent.Create(TestSim.GqlBody(sim.Host.World.Clips[0].Id, sim.Host.ClipAccessHash)),
        };
        chunked.Headers.Add("Client-ID", sim.Host.GqlClientId);
        using var response = await sim.Http.SendAsync(chunked);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private static object VideoAccessTokenBody(string slug, string hash) => new
    {
        operationName = "VideoAccessToken_Clip",
        variables = new { slug, platform = "web" },
        extensions = new { persistedQuery = new { version = 1, sha256Hash = hash } },
    };

    [Fact]
    public async Task AcceptedWays_DecideWhatAnswers_AndVideoAccessTokenClipHasTokenAndQualities()
    {
        await using var sim = await TestSim.StartAsync();
        var clip = sim.Host.World.Clips.First(c => !c.IsLegacy);
        var vat = await sim.GqlAsync(VideoAccessTokenBody(clip.Id, TwitchOptions.DefaultVideoAccessTokenHash));
        var node = vat.GetProperty("data").GetProperty("clip");
        Assert.False(string.IsNullOrEmpty(node.GetProperty("playbackAccessToken").GetProperty("signature").GetString()));
        var source = node.GetProperty("videoQualities")[0].GetProperty("sourceURL").GetString()!;
        var token = node.GetProperty("playbackAccessToken");
        using var media = await sim.Http.GetAsync($"{source}?sig={token.GetProperty("signature").GetString()}&token={Uri.EscapeDataString(token.GetProperty("value").GetString()!)}");
        Assert.Equal(HttpStatusCode.OK, media.StatusCode);

        sim.Host.AcceptGql(new GqlWayAccepted("VideoAccessToken_Clip", "ab".PadRight(64, 'c')));
        var stale = await sim.GqlAsync(VideoAccessTokenBody(clip.Id, TwitchOptions.DefaultVideoAccessTokenHash));
        Assert.Equal("PersistedQueryNotFound", stale.GetProperty("errors")[0].GetProperty("message").GetString());
        var scrs = await sim.GqlAsync(TestSim.GqlBody(clip.Id, TwitchOptions.DefaultClipAccessHash));
        Assert.Equal("PersistedQueryNotFound", scrs.GetProperty("errors")[0].GetProperty("message").GetString());
        Assert.Equal("", sim.Host.ClipAccessHash);
        var now = await sim.GqlAsync(VideoAccessTokenBody(clip.Id, "ab".PadRight(64, 'c')));
        Assert.Equal(JsonValueKind.Object, now.GetProperty("data").GetProperty("clip").ValueKind);
    }

    private static async Task<(string Access, string Refresh, string UserId)> ConnectAsync(TestSim sim, string userId, string scope = "editor:manage:clips")
    {
        sim.Host.AuthorizeAs(userId);
        const string redirect = "http://127.0.0.1:9/callback";
        using var browser = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        using var approved = await browser.GetAsync(
            $"{sim.Host.AuthBaseUrl}/oauth2/authorize?client_id={sim.Host.ClientId}&redirect_uri={Uri.EscapeDataString(redirect)}&response_type=code&scope={Uri.EscapeDataString(scope)}&state=s");
        Assert.Equal(HttpStatusCode.Redirect, approved.StatusCode);
        var code = System.Web.HttpUtility.ParseQueryString(approved.Headers.Location!.Query)["code"]!;
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code", ["code"] = code, ["redirect_uri"] = redirect,
            ["client_id"] = sim.Host.ClientId, ["client_secret"] = sim.Host.ClientSecret,
        });
        using var response = await sim.Http.PostAsync($"{sim.Host.AuthBaseUrl}/oauth2/token", form);
        var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.True(response.IsSuccessStatusCode, json.ToString());
        return (json.GetProperty("access_token").GetString()!, json.GetProperty("refresh_token").GetString()!, userId);
    }

    private static async Task<HttpResponseMessage> DownloadsAsync(TestSim sim, string token, string editor, string broadcaster, params string[] clipIds)
    {
        var query = $"/clips/downloads?editor_id={editor}&broadcaster_id={broadcaster}" + string.Concat(clipIds.Select(id => "&clip_id=" + id));
        using var request = new HttpRequestMessage(HttpMethod.Get, sim.Host.HelixBaseUrl + query);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        request.Headers.Add("Client-Id", sim.Host.ClientId);
        return await sim.Http.SendAsync(request);
    }

    [Fact]
    public async Task ClipDownloads_FollowTwitchsRules()
    {
        await using var sim = await TestSim.StartAsync(o => o.ClipDownloadsPerMinute = 4);
        var world = sim.Host.World;
        var owner = world.Broadcasters.First(b => world.ClipsByBroadcaster.TryGetValue(b.Id, out var c) && c.Length >= 11);
        var other = world.Broadcasters.First(b => b.Id != owner.Id && world.ClipsByBroadcaster.ContainsKey(b.Id));
        var ownClips = world.ClipsByBroadcaster[owner.Id].Where(c => !c.IsLegacy && !c.IsDeleted).Select(c => c.Id).ToArray();
        var (token, refresh, _) = await ConnectAsync(sim, owner.Id);

        using (var app = await DownloadsAsync(sim, await sim.TokenAsync(), owner.Id, owner.Id, ownClips[0]))
            Assert.Equal(HttpStatusCode.Unauthorized, app.StatusCode); // an app token is not a user token
        using (var wrongEditor = await DownloadsAsync(sim, token, other.Id, owner.Id, ownClips[0]))
            Assert.Equal(HttpStatusCode.Forbidden, wrongEditor.StatusCode);
        using (var notEditor = await DownloadsAsync(sim, token, owner.Id, other.Id, world.ClipsByBroadcaster[other.Id][0].Id))
            Assert.Equal(HttpStatusCode.Forbidden, notEditor.StatusCode);
        using (var tooMany = await DownloadsAsync(sim, token, owner.Id, owner.Id, ownClips.Take(11).ToArray()))
            Assert.Equal(HttpStatusCode.BadRequest, tooMany.StatusCode);

        using (var ok = await DownloadsAsync(sim, token, owner.Id, owner.Id, ownClips.Take(10).ToArray()))
        {
            var data = JsonDocument.Parse(await ok.Content.ReadAsStringAsync()).RootElement.GetProperty("data");
            Assert.Equal(10, data.GetArrayLength());
            var url = data[0].GetProperty("landscape_download_url").GetString()!;
            using var media = await sim.Http.GetAsync(url);
            Assert.Equal(HttpStatusCode.OK, media.StatusCode);
            Assert.Contains(data.EnumerateArray(), d => d.GetProperty("portrait_download_url").ValueKind == JsonValueKind.Null);
        }

        // An editor of the other channel may download its clips once the broadcaster lists them.
        sim.Host.SetEditors(other.Id, owner.Id);
        using (var editor = await DownloadsAsync(sim, token, owner.Id, other.Id, world.ClipsByBroadcaster[other.Id][0].Id))
            Assert.Equal(HttpStatusCode.OK, editor.StatusCode);

        // Expired user tokens get 401; the refresh token gives a new one.
        sim.Host.ExpireUserTokens();
        using (var expired = await DownloadsAsync(sim, token, owner.Id, owner.Id, ownClips[0]))
            Assert.Equal(HttpStatusCode.Unauthorized, expired.StatusCode);
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "refresh_token", ["refresh_token"] = refresh,
            ["client_id"] = sim.Host.ClientId, ["client_secret"] = sim.Host.ClientSecret,
        });
        using var refreshed = await sim.Http.PostAsync($"{sim.Host.AuthBaseUrl}/oauth2/token", form);
        var fresh = JsonDocument.Parse(await refreshed.Content.ReadAsStringAsync()).RootElement.GetProperty("access_token").GetString()!;
        using (var again = await DownloadsAsync(sim, fresh, owner.Id, owner.Id, ownClips[0]))
            Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        // 100 a minute on Twitch, 4 here (only answered calls count): this is the 4th, the next is 429.
        using (var fourth = await DownloadsAsync(sim, fresh, owner.Id, owner.Id, ownClips[0]))
        {
            Assert.Equal(HttpStatusCode.OK, fourth.StatusCode);
            Assert.Equal("4", fourth.Headers.GetValues("Ratelimit-Limit").Single());      // this endpoint's bucket, not the app's
            Assert.Equal("0", fourth.Headers.GetValues("Ratelimit-Remaining").Single());
        }
        using (var limited = await DownloadsAsync(sim, fresh, owner.Id, owner.Id, ownClips[0]))
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
            Assert.Equal("0", limited.Headers.GetValues("Ratelimit-Remaining").Single());
            var reset = long.Parse(limited.Headers.GetValues("Ratelimit-Reset").Single(), System.Globalization.CultureInfo.InvariantCulture);
            Assert.InRange(reset - DateTimeOffset.UtcNow.ToUnixTimeSeconds(), 1, 61);
        }
    }

    [Fact]
    public async Task ClipDownloads_WithoutAClipScope_Is401()
    {
        await using var sim = await TestSim.StartAsync();
        var owner = sim.Host.World.Broadcasters[0];
        var (token, _, _) = await ConnectAsync(sim, owner.Id, scope: "user:read:email");
        var clip = sim.Host.World.ClipsByBroadcaster[owner.Id][0].Id;
        using var response = await DownloadsAsync(sim, token, owner.Id, owner.Id, clip);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }
}
