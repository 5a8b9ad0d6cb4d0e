using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace Tccg.Server.Tests.Assets;

/// <summary>The test media this project uploads (made by the shared <see cref="MediaFactory"/>), plus upload helpers.</summary>
internal static class TestMedia
{
    /// <summary>2 s of 320x180 H.264 at 25 fps with an AAC tone.</summary>
    public static Task<string> VideoAsync() => MediaFactory.Shared.ClipAsync("video.mp4", 2, fps: 25, toneHz: 440);

    /// <summary>2 s of AAC audio only.</summary>
    public static Task<string> MusicAsync() => MediaFactory.Shared.MusicAsync("music.m4a", 2);

    /// <summary>One 64x64 PNG frame.</summary>
    public static Task<string> ImageAsync() => MediaFactory.Shared.ImageAsync("image.png");

    /// <summary>The first 40% of the test video.</summary>
    public static async Task<byte[]> TruncatedVideoAsync()
    {
        var bytes = await File.ReadAllBytesAsync(await VideoAsync());
        return bytes[..(bytes.Length * 2 / 5)];
    }

    public static async Task<HttpResponseMessage> UploadAsync(this HttpClient client, string? kind, byte[] content, string fileName)
    {
        using var form = new MultipartFormDataContent();
        if (kind is not null)
            form.Add(new StringContent(kind), "kind");
        var file = new ByteArrayContent(content);
        file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        // FileNameStar carries any name (quotes, emoji, folders) the way browsers send it.
        file.Headers.ContentDisposition = new ContentDispositionHeaderValue("form-data") { Name = "\"file\"", FileName = "\"upload.bin\"", FileNameStar = fileName };
        form.Add(file);
        return await client.PostAsync(new Uri("/api/v1/assets", UriKind.Relative), form);
    }

    public static async Task<HttpResponseMessage> UploadFileAsync(this HttpClient client, string kind, string path, string? fileName = null) =>
        await client.UploadAsync(kind, await File.ReadAllBytesAsync(path), fileName ?? Path.GetFileName(path));

    /// <summary>Uploads and returns the new asset id (asserting 201).</summary>
    public static async Task<long> UploadOkAsync(this HttpClient client, string kind, string path)
    {
        using var response = await client.UploadFileAsync(kind, path);
        Assert.True(response.StatusCode == System.Net.HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
    }

    /// <summary>The problem title and detail of a problem response (asserting its content type).</summary>
    public static async Task<string> ProblemAsync(this HttpResponseMessage response)
    {
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        var detail = problem.TryGetProperty("detail", out var d) ? d.GetString() : null;
        return problem.GetProperty("title").GetString() + (detail is null ? "" : " | " + detail);
    }

    /// <summary>Every file under a folder (recursively), relative names.</summary>
    public static string[] FilesUnder(string dir) =>
        Directory.Exists(dir) ? [.. Directory.EnumerateFiles(dir, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(dir, f))] : [];
}
