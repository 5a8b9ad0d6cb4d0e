using System.Net;
using System.Text.Json;

namespace Tccg.Server.Tests;

public class HealthAndOpenApiTests
{
    [Fact]
    public async Task Healthz_Live_Returns200()
    {
        await using var server = await TestServer.StartAsync();
        using var client = server.CreateClient();
        var response = await client.GetAsync(new Uri("/healthz", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Readyz_ChecksStorageAndFfmpeg()
    {
        await using var server = await TestServer.StartAsync();
        using var client = server.CreateClient();
        var response = await client.GetAsync(new Uri("/readyz", UriKind.Relative));
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var checks = body.GetProperty("checks");
        Assert.Equal("Healthy", checks.GetProperty("storage").GetProperty("status").GetString());
        Assert.Equal("Healthy", checks.GetProperty("ffmpeg").GetProperty("status").GetString());
    }

    [Fact]
    public async Task Readyz_UnwritableDataFolder_Returns503()
    {
        await using var server = await TestServer.StartAsync();
        using var client = server.CreateClient();
        // The data folder turns into a file under the running server: nothing can be written there.
        Directory.Delete(server.DataDir, recursive: true);
        await File.WriteAllTextAsync(server.DataDir, "not a folder");
        var response = await client.GetAsync(new Uri("/readyz", UriKind.Relative));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Contains("storage", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenApiDocument_ListsApiRoutes()
    {
        await using var server = await TestServer.StartAsync();
        using var client = server.CreateClient();
        var json = JsonDocument.Parse(await client.GetStringAsync(new Uri("/openapi/v1.json", UriKind.Relative))).RootElement;
        var paths = json.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToList();
        Assert.Contains("/api/v1/version", paths);
    }

    [Fact]
    public async Task UnknownRoute_Returns404ProblemDetails()
    {
        await using var server = await TestServer.StartAsync();
        using var client = await server.LoginAsNewUserAsync("walt", Tccg.Storage.Accounts.UserRole.Editor);
        var response = await client.GetAsync(new Uri("/api/v1/nope", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }
}
