using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace Tccg.Cli.Demo;

/// <summary>The demo's HTTP client: it uses the server's public API like any script would.</summary>
internal sealed class DemoApi(HttpClient http) : IDisposable
{
    public static async Task<DemoApi> LoginAsync(Uri baseUrl, string user, string password, CancellationToken ct)
    {
        var http = new HttpClient(new SocketsHttpHandler { UseCookies = true }) { BaseAddress = baseUrl, Timeout = TimeSpan.FromMinutes(5) };
        var api = new DemoApi(http);
        var session = await api.SendAsync(HttpMethod.Post, "/api/v1/auth/login", new { name = user, password }, ct);
        http.DefaultRequestHeaders.Add("X-CSRF-TOKEN", session.GetProperty("csrfToken").GetString());
        return api;
    }

    public Task<JsonElement> GetAsync(string path, CancellationToken ct) => SendAsync(HttpMethod.Get, path, null, ct);

    public Task<JsonElement> PostAsync(string path, object? body, CancellationToken ct) => SendAsync(HttpMethod.Post, path, body, ct);

    public Task<JsonElement> PutAsync(string path, object body, CancellationToken ct) => SendAsync(HttpMethod.Put, path, body, ct);

    public async Task<JsonElement> UploadAsync(string kind, string file, CancellationToken ct)
    {
        using var form = new MultipartFormDataContent();
        form.Add(new StringContent(kind), "kind");
        var content = new StreamContent(File.OpenRead(file));
        content.Headers.ContentType = new MediaTypeHeaderValue(file.EndsWith(".mp4", StringComparison.Ordinal) ? "video/mp4" : "audio/mp4");
        form.Add(content, "file", Path.GetFileName(file));
        using var response = await http.PostAsync(new Uri("/api/v1/assets", UriKind.Relative), form, ct);
        return await ReadAsync(response, "upload " + kind, ct);
    }

    private async Task<JsonElement> SendAsync(HttpMethod method, string path, object? body, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
        if (body is not null)
            request.Content = JsonContent.Create(body);
        using var response = await http.SendAsync(request, ct);
        return await ReadAsync(response, $"{method} {path}", ct);
    }

    private static async Task<JsonElement> ReadAsync(HttpResponseMessage response, string what, CancellationToken ct)
    {
        var text = await response.Content.ReadAsStringAsync(ct);
        if (!response.IsSuccessStatusCode)
        {
            var detail = text;
            try
            {
                var problem = JsonDocument.Parse(text).RootElement;
                detail = problem.GetProperty("title").GetString() +
                         (problem.TryGetProperty("detail", out var d) ? " " + d.GetString() : "");
            }
            catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
            {
            }

            throw new CliException($"The demo's call {what} failed with {(int)response.StatusCode}: {detail}");
        }

        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
    }

    public void Dispose() => http.Dispose();
}
