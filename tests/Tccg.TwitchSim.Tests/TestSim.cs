using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace Tccg.TwitchSim.Tests;

/// <summary>Starts a small simulator per test and talks to it over real loopback HTTP.</summary>
internal sealed class TestSim : IAsyncDisposable
{
    public static readonly DateTimeOffset Anchor = new(2026, 11, 20, 12, 0, 0, TimeSpan.Zero);

    private TestSim(TwitchSimHost host)
    {
        Host = host;
        Http = new HttpClient { Timeout = TimeSpan.FromSeconds(60) };
    }

    public TwitchSimHost Host { get; }
    public HttpClient Http { get; }

    /// <summary>A small world (fixed anchor) unless <paramref name="configure"/> says otherwise.</summary>
    public static async Task<TestSim> StartAsync(Action<TwitchSimOptions>? configure = null)
    {
        var options = new TwitchSimOptions
        {
            Seed = 7,
            Anchor = Anchor,
            Games =
            [
                new SimGameSpec("509658", "Just Chatting", 300, TimeSpan.FromDays(7)),
                new SimGameSpec("21779", "League of Legends", 120, TimeSpan.FromDays(30)),
            ],
        };
        configure?.Invoke(options);
        return new TestSim(await TwitchSimHost.StartAsync(options));
    }

    public async Task<string> TokenAsync()
    {
        var url = $"{Host.AuthBaseUrl}/oauth2/token?grant_type=client_credentials&client_id={Host.ClientId}&client_secret={Host.ClientSecret}";
        using var response = await Http.PostAsync(url, null);
        response.EnsureSuccessStatusCode();
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return doc.RootElement.GetProperty("access_token").GetString()!;
    }

    public async Task<HttpResponseMessage> HelixAsync(string pathAndQuery, string? token = null, string? clientId = null)
    {
        token ??= await TokenAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, Host.HelixBaseUrl + pathAndQuery);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        request.Headers.Add("Client-Id", clientId ?? Host.ClientId);
        return await Http.SendAsync(request);
    }

    public async Task<JsonElement> HelixJsonAsync(string pathAndQuery, string? token = null)
    {
        using var response = await HelixAsync(pathAndQuery, token);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>Every clip id of a query, following cursors until the last page.</summary>
    public async Task<List<string>> AllClipIdsAsync(string query, string token)
    {
        var ids = new List<string>();
        string? cursor = null;
        for (var page = 0; page < 200; page++)
        {
            var json = await HelixJsonAsync($"/clips?{query}&first=100" + (cursor is null ? "" : $"&after={cursor}"), token);
            ids.AddRange(json.GetProperty("data").EnumerateArray().Select(c => c.GetProperty("id").GetString()!));
            cursor = json.GetProperty("pagination").TryGetProperty("cursor", out var c) ? c.GetString() : null;
            if (cursor is null)
                return ids;
        }

        throw new InvalidOperationException("Pagination never ended.");
    }

    public static object GqlBody(string slug, string hash) => new
    {
        operationName = "ShareClipRenderStatus",
        variables = new { slug },
        extensions = new { persistedQuery = new { version = 1, sha256Hash = hash } },
    };

    public async Task<JsonElement> GqlAsync(object body, string? clientId = null, int expectedStatus = 200)
    {
        // Buffered, so it goes out with Content-Length (the simulator refuses chunked bodies, like Twitch's strict edge).
        var content = JsonContent.Create(body);
        await content.LoadIntoBufferAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, Host.GqlUrl) { Content = content };
        request.Headers.Add("Client-ID", clientId ?? Host.GqlClientId);
        using var response = await Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(expectedStatus == (int)response.StatusCode, $"{(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Host.DisposeAsync();
    }
}
