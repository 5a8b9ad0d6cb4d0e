using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Tccg.Core.Configuration;
using Tccg.Server.Auth;

namespace Tccg.Server.Features.Web;

/// <summary>
/// The web editor is for people: its pages, its static files and its circuit (<c>/_blazor</c>: negotiate and WebSocket)
/// refuse bearer tokens of any kind (403), and the circuit takes only a cookie session of an admin or editor whose
/// browser page comes from the server's own origin (or one listed in <c>Tccg:Server:AllowedOrigins</c>), so a page of
/// another site — or another port of the same host, which the SameSite cookie does not stop — cannot drive it.
/// </summary>
public static class EditorGate
{
    public static IApplicationBuilder UseEditorGate(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        var request = context.Request;
        if (IsApi(request.Path))
        {
            await next();
            return;
        }

        if (request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            await RefuseAsync(context, "The web editor is for people signed in with a browser session.",
                "Bearer tokens work on /api/v1 only.");
            return;
        }

        if (request.Path.StartsWithSegments("/_blazor", StringComparison.Ordinal))
        {
            var allowed = context.RequestServices.GetRequiredService<IOptionsMonitor<ServerOptions>>().CurrentValue.AllowedOrigins;
            if (!OriginAllowed(request, allowed, required: NeedsOrigin(context)))
            {
                await RefuseAsync(context, "The editor's connection must come from the editor's own page.",
                    "The Origin of this request is not the server's own origin nor one in Tccg:Server:AllowedOrigins.");
                return;
            }
            if (!IsPersonSession(context) && !IsInitializers(request))
            {
                await RefuseAsync(context, "The editor's connection needs a signed-in admin or editor.", "Log in at /login.");
                return;
            }
        }

        await next();
    });

    private static bool IsApi(PathString path) =>
        path.StartsWithSegments("/api", StringComparison.Ordinal)
        || path.StartsWithSegments("/openapi", StringComparison.Ordinal)
        || path.StartsWithSegments("/healthz", StringComparison.Ordinal)
        || path.StartsWithSegments("/readyz", StringComparison.Ordinal);

    /// <summary>Negotiating and opening the circuit must name the page's origin (every browser sends it there).</summary>
    private static bool NeedsOrigin(HttpContext context) =>
        context.WebSockets.IsWebSocketRequest || !HttpMethods.IsGet(context.Request.Method);

    /// <summary>The list of JS initializers Blazor fetches before it starts (no state, no circuit).</summary>
    private static bool IsInitializers(HttpRequest request) =>
        HttpMethods.IsGet(request.Method) && request.Path.Equals("/_blazor/initializers", StringComparison.Ordinal);

    private static bool IsPersonSession(HttpContext context) =>
        context.User.Identity is { IsAuthenticated: true, AuthenticationType: CookieAuthenticationDefaults.AuthenticationScheme }
        && (context.User.IsInRole(TccgClaims.RoleAdmin) || context.User.IsInRole(TccgClaims.RoleEditor));

    /// <summary>True when the request's Origin is the server's own (as the browser sees it) or listed; absent is allowed only when not required.</summary>
    public static bool OriginAllowed(HttpRequest request, IReadOnlyList<string> allowed, bool required)
    {
        var origin = request.Headers.Origin.ToString();
        if (origin.Length == 0)
            return !required;
        if (!Uri.TryCreate(origin, UriKind.Absolute, out var given))
            return false;
        var own = $"{request.Scheme}://{request.Host.Value}";
        return Same(given, own) || allowed.Any(a => Same(given, a));
    }

    private static bool Same(Uri given, string origin) =>
        Uri.TryCreate(origin.TrimEnd('/'), UriKind.Absolute, out var other)
        && string.Equals(given.Scheme, other.Scheme, StringComparison.OrdinalIgnoreCase)
        && string.Equals(given.Host, other.Host, StringComparison.OrdinalIgnoreCase)
        && given.Port == other.Port;

    private static Task RefuseAsync(HttpContext context, string title, string detail) =>
        Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: title, detail: detail).ExecuteAsync(context);
}
