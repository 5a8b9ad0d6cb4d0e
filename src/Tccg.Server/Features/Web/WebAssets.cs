using System.Collections.Frozen;
using System.Reflection;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Tccg.Server.Features.Web;

/// <summary>
/// The editor's static files (its CSS, its JS module and the framework's <c>blazor.web.js</c>) embedded in this assembly,
/// so they are served whichever program hosts the server (the <c>tccg</c> CLI, tests, benchmarks).
/// </summary>
public sealed class WebAssets
{
    private const string Prefix = "tccgweb/";
    private readonly FrozenDictionary<string, Asset> _assets;

    public WebAssets()
    {
        var assembly = typeof(WebAssets).Assembly;
        _assets = assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(Prefix, StringComparison.Ordinal))
            .ToFrozenDictionary(n => "/" + n[Prefix.Length..], n => Load(assembly, n), StringComparer.Ordinal);
    }

    public IEnumerable<string> Paths => _assets.Keys;

    private static Asset Load(Assembly assembly, string name)
    {
        using var stream = assembly.GetManifestResourceStream(name)!;
        using var memory = new MemoryStream();
        stream.CopyTo(memory);
        var bytes = memory.ToArray();
        var type = Path.GetExtension(name) switch
        {
            ".js" => "text/javascript; charset=utf-8",
            ".css" => "text/css; charset=utf-8",
            ".svg" => "image/svg+xml",
            _ => "application/octet-stream",
        };
        return new Asset(bytes, type, "\"" + Convert.ToHexStringLower(SHA256.HashData(bytes))[..16] + "\"");
    }

    internal IResult Serve(HttpContext http)
    {
        if (!_assets.TryGetValue(http.Request.Path.Value ?? "", out var asset))
            return TypedResults.NotFound();
        http.Response.Headers.CacheControl = "no-cache";
        http.Response.Headers.ETag = asset.ETag;
        if (http.Request.Headers.IfNoneMatch.ToString() == asset.ETag)
            return TypedResults.StatusCode(StatusCodes.Status304NotModified);
        return TypedResults.Bytes(asset.Bytes, asset.ContentType);
    }

    private sealed record Asset(byte[] Bytes, string ContentType, string ETag);
}

internal static class WebAssetsEndpoints
{
    public static void MapWebAssets(this IEndpointRouteBuilder app)
    {
        var assets = app.ServiceProvider.GetRequiredService<WebAssets>();
        foreach (var path in assets.Paths)
        {
            app.MapMethods(path, [HttpMethods.Get, HttpMethods.Head], (HttpContext http) => assets.Serve(http))
                .AllowAnonymous().ExcludeFromDescription();
        }
    }
}
