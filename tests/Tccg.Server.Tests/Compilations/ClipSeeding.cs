using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Tccg.Server.Tests.Assets;
using Tccg.Storage;
using Tccg.Storage.Clips;
using Tccg.Core.Media;

namespace Tccg.Server.Tests.Compilations;

/// <summary>Puts downloaded clips into a test server's clip bin (file under the storage root) and drives the compilations API.</summary>
internal static class ClipSeeding
{
    /// <summary>A downloaded 2 s clip of <paramref name="gameId"/>; returns its clip-bin id.</summary>
    public static async Task<long> SeedClipAsync(this TestServer server, string twitchId, string gameId = "g1", int views = 100,
        string name = "Streamer", string? login = null, double? lufs = -23.5, bool download = true, string? broadcasterId = null)
    {
        var clips = server.App.Services.GetRequiredService<IClipStore>();
        await clips.UpsertFoundAsync([new FoundClip
        {
            TwitchClipId = twitchId,
            Url = "https://clips.twitch.tv/" + twitchId,
            BroadcasterId = broadcasterId ?? "b-" + twitchId,
            BroadcasterName = name,
            GameId = gameId,
            Title = "Title " + twitchId,
            ViewCount = views,
            CreatedAt = DateTimeOffset.UnixEpoch.AddDays(20000),
            ThumbnailUrl = "https://thumbs.example/" + twitchId + ".jpg",
            Duration = 2,
        }], CancellationToken.None);
        var clip = (await clips.GetByTwitchIdAsync(twitchId, CancellationToken.None))!;
        if (login is not null)
            await clips.SetBroadcasterLoginsAsync(new Dictionary<string, string> { [clip.BroadcasterId] = login }, CancellationToken.None);
        if (!download)
            return clip.Id;

        var relative = $"clips/{gameId}/{twitchId}.mp4";
        var full = Path.Combine(server.DataDir, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.Copy(await TestMedia.VideoAsync(), full);
        await clips.MarkDownloadedAsync(clip.Id, new DownloadedClipFile(relative, new FileInfo(full).Length,
            new MediaFacts(2.0, 320, 180, 25, "h264", "aac", 44100, 1, "", 0), lufs), CancellationToken.None);
        return clip.Id;
    }

    public static async Task<JsonElement> CreateCompilationAsync(this HttpClient client, string name = "Weekly", string? gameId = "g1")
    {
        using var response = await client.PostAsJsonAsync(new Uri("/api/v1/compilations", UriKind.Relative), new { name, gameId });
        Assert.Equal(System.Net.HttpStatusCode.Created, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    public static async Task<JsonElement> GetCompilationAsync(this HttpClient client, long id) =>
        await client.GetFromJsonAsync<JsonElement>(new Uri($"/api/v1/compilations/{id}", UriKind.Relative));

    public static Task<HttpResponseMessage> ReviewAsync(this HttpClient client, long id, long? clipId, string decision) =>
        client.PostAsJsonAsync(new Uri($"/api/v1/compilations/{id}/review", UriKind.Relative), new { clipId, decision });

    /// <summary>PUTs the compilation as last read with the changes in <paramref name="change"/> (a JSON object merged over it).</summary>
    public static async Task<HttpResponseMessage> UpdateAsync(this HttpClient client, long id, object change)
    {
        var current = await client.GetCompilationAsync(id);
        var body = new Dictionary<string, object?>
        {
            ["version"] = current.GetProperty("version").GetInt64(),
            ["name"] = current.GetProperty("name").GetString(),
            ["gameId"] = current.GetProperty("gameId").ValueKind == JsonValueKind.Null ? null : current.GetProperty("gameId").GetString(),
            ["items"] = current.GetProperty("items").EnumerateArray().Select(i => new
            {
                clipId = i.GetProperty("clipId").GetInt64(),
                trimStart = Number(i.GetProperty("trimStart")),
                trimEnd = Number(i.GetProperty("trimEnd")),
                volume = i.GetProperty("volume").GetDouble(),
            }).ToList(),
            ["firstAssetId"] = Id(current.GetProperty("firstAssetId")),
            ["introAssetId"] = Id(current.GetProperty("introAssetId")),
            ["intervalAssetId"] = Id(current.GetProperty("intervalAssetId")),
            ["outroAssetId"] = Id(current.GetProperty("outroAssetId")),
            ["music"] = current.GetProperty("music"),
            ["settings"] = current.GetProperty("settings"),
        };
        foreach (var property in JsonSerializer.SerializeToElement(change).EnumerateObject())
            body[property.Name] = property.Value;
        return await client.PutAsJsonAsync(new Uri($"/api/v1/compilations/{id}", UriKind.Relative), body);
    }

    private static double? Number(JsonElement e) => e.ValueKind == JsonValueKind.Null ? null : e.GetDouble();

    private static long? Id(JsonElement e) => e.ValueKind == JsonValueKind.Null ? null : e.GetInt64();
}
