using System.Net;
using System.Net.Http.Headers;
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
        using var submit = await client.PostAsync(new Uri($"/api/v1/compilations/{id}/submit", UriKind.Relative), null);
        Assert.Equal(HttpStatusCode.Accepted, submit.StatusCode);
        Assert.Equal(user.Id, (await client.GetCompilationAsync(id)).GetProperty("ownerId").GetInt64());

        using var workerClient = server.CreateClient(cookies: false);
        workerClient.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", worker.Secret);
        Assert.Equal(HttpStatusCode.Forbidden, (await workerClient.GetAsync(new Uri("/api/v1/compilations", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await workerClient.GetAsync(new Uri("/api/v1/assets", UriKind.Relative))).StatusCode);
    }
}
