using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Tccg.Storage.Accounts;

namespace Tccg.Server.Tests.Security;

/// <summary>Every API route, found from the server's own endpoint table, checks who is asking.</summary>
public partial class RouteSweepTests
{
    /// <summary>The only API routes a stranger may call.</summary>
    private static readonly HashSet<string> PublicApiRoutes = new(StringComparer.Ordinal) { "POST /api/v1/auth/login" };

    private static List<(string Method, string Pattern)> ApiRoutes(TestServer server) =>
        server.App.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.StartsWith("/api/", StringComparison.Ordinal) == true)
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET"])
                .Select(m => (m, e.RoutePattern.RawText!.TrimEnd('/'))))
            .Distinct()
            .ToList();

    /// <summary>A concrete URL for a route pattern: ids become 1, names become x.</summary>
    private static string Concrete(string pattern) =>
        Parameter().Replace(pattern, m => m.Groups[1].Value.Contains(":long", StringComparison.Ordinal) || m.Groups[1].Value.Contains(":int", StringComparison.Ordinal) ? "1" : "x");

    /// <summary>Calls a route with an empty JSON body where it takes one.</summary>
    private static async Task<HttpResponseMessage> SendEmptyAsync(HttpClient client, string method, string pattern)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), new Uri(Concrete(pattern), UriKind.Relative));
        if (method is "POST" or "PUT" or "PATCH")
            request.Content = new StringContent("{}", System.Text.Encoding.UTF8, "application/json");
        return await client.SendAsync(request);
    }

    [GeneratedRegex(@"\{([^}]+)\}")]
    private static partial Regex Parameter();

    [Fact]
    public async Task EveryApiRoute_WithoutCredentials_Returns401()
    {
        await using var server = await TestServer.StartAsync();
        using var client = server.CreateClient();
        var routes = ApiRoutes(server);
        Assert.True(routes.Count > 40, $"only {routes.Count} API routes found");

        var failures = new List<string>();
        foreach (var (method, pattern) in routes.Where(r => !PublicApiRoutes.Contains($"{r.Method} {r.Pattern}")))
        {
            using var response = await SendEmptyAsync(client, method, pattern);
            if (response.StatusCode != HttpStatusCode.Unauthorized)
                failures.Add($"{method} {pattern} → {(int)response.StatusCode}");
        }

        Assert.True(failures.Count == 0, "Reachable without credentials:\n" + string.Join("\n", failures));
    }

    [Fact]
    public async Task OnlyLoginHealthAndOpenApi_AreAnonymous()
    {
        await using var server = await TestServer.StartAsync();
        var anonymous = server.App.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<IAllowAnonymous>() is not null)
            .Select(e => e.RoutePattern.RawText ?? "")
            .Where(p => p.StartsWith("/api/", StringComparison.Ordinal))
            .Distinct()
            .ToList();
        Assert.Equal(["/api/v1/auth/login"], anonymous);
    }

    [Fact]
    public async Task AdminRoutes_WithAnEditorSession_Return403()
    {
        await using var server = await TestServer.StartAsync();
        using var editor = await server.LoginAsNewUserAsync("ed", UserRole.Editor);
        var failures = new List<string>();
        foreach (var (method, pattern) in ApiRoutes(server).Where(r => r.Pattern.StartsWith("/api/v1/admin", StringComparison.Ordinal)
                                                                    || r.Pattern.StartsWith("/api/v1/generator", StringComparison.Ordinal)))
        {
            using var response = await SendEmptyAsync(editor, method, pattern);
            if (response.StatusCode != HttpStatusCode.Forbidden)
                failures.Add($"{method} {pattern} → {(int)response.StatusCode}");
        }

        Assert.True(failures.Count == 0, "Editors reached admin or generator routes:\n" + string.Join("\n", failures));
    }
}
