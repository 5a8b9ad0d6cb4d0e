using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Tccg.Server.Tests.Assets;
using Tccg.Storage.Accounts;

namespace Tccg.Server.Tests.Compilations;

public class ScriptTokenTests
{
    [Fact]
    public async Task ScriptToken_RunsTheWholeWorkflowWithoutACsrfHeader_AndWorkerTokensAreRefused()
    {
        await using var server = await TestServer.StartAsync();
        var user = await server.AddUserAsync("scripter", "correct horse battery", UserRole.Editor);
        var tokens = server.App.Services.GetRequiredService<ITokenStore>();
        var script = await tokens.CreateAsync("script", TokenKind.Script, user.Id, CancellationToken.None);
        var worker = await tokens.CreateAsync("worker", TokenKind.Worker, null, CancellationToken.None);
        using var client = server.CreateClient(cookies: false);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", script.Secret);
        var a = await server.SeedClipAsync("a");
        var b = await server.SeedClipAsync("b");

        var id = (await client.CreateCompilationAsync()).GetProperty("id").GetInt64();
        (await client.ReviewAsync(id, a, "keep")).EnsureSuccessStatusCode();
        (await client.ReviewAsync(id, b, "keep")).EnsureSuccessStatusCode();
        var intro = await client.UploadOkAsync("intro", await TestMedia.VideoAsync());
        (await client.UpdateAsync(id, new { introAssetId = intro })).EnsureSuccessStatusCode();
        // The preview plan: the render's order and frame-rounded lengths (2 s clips at the default 30 fps).
        var preview = await client.GetFromJsonAsync<System.Text.Json.JsonElement>(new Uri($"/api/v1/compilations/{id}/preview", UriKind.Relative));
        Assert.Equal(["intro", "clip", "clip"], preview.GetProperty("pieces").EnumerateArray().Select(p => p.GetProperty("kind").GetString()));
        Assert.Equal([a, b], preview.GetProperty("pieces").EnumerateArray().Skip(1).Select(p => p.GetProperty("clipId").GetInt64()));
        Assert.Equal(2.0, preview.GetProperty("pieces")[1].GetProperty("seconds").GetDouble(), 3);
        Assert.Equal([$"/api/v1/assets/{intro}/media", $"/api/v1/clips/{a}/media", $"/api/v1/clips/{b}/media"],
            preview.GetProperty("pieces").EnumerateArray().Select(p => p.GetProperty("src").GetString()));
        using var submit = await client.PostAsync(new Uri($"/api/v1/compilations/{id}/submit", UriKind.Relative), null);
        Assert.Equal(HttpStatusCode.Accepted, submit.StatusCode);
        var queued = await submit.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>();
        Assert.Equal($"/api/v1/renders/{queued.GetProperty("jobId").GetInt64()}", queued.GetProperty("location").GetString());
        Assert.Equal(queued.GetProperty("location").GetString(), submit.Headers.Location?.OriginalString);
        Assert.Equal(user.Id, (await client.GetCompilationAsync(id)).GetProperty("ownerId").GetInt64());

        using var workerClient = server.CreateClient(cookies: false);
        workerClient.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", worker.Secret);
        Assert.Equal(HttpStatusCode.Forbidden, (await workerClient.GetAsync(new Uri("/api/v1/compilations", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await workerClient.GetAsync(new Uri("/api/v1/assets", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await workerClient.GetAsync(new Uri($"/api/v1/compilations/{id}/preview", UriKind.Relative))).StatusCode);
    }
}
