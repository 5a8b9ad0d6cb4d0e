using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Tccg.Server.Auth;
using Tccg.Server.Features.Auth;
using Tccg.Storage.Accounts;

namespace Tccg.Server.Features.Web;

/// <summary>The login page's form posts: sign in with the same cookie scheme as <c>/api/v1/auth/login</c>, and sign out.</summary>
internal static class AccountForms
{
    public static void MapAccountForms(this IEndpointRouteBuilder app)
    {
        app.MapPost("/account/login", LoginAsync).AllowAnonymous().ExcludeFromDescription();
        app.MapPost("/account/logout", LogoutAsync).ExcludeFromDescription();
    }

    private static async Task<IResult> LoginAsync(
        [FromForm] string? name, [FromForm] string? password, [FromForm] string? returnUrl,
        HttpContext http, LoginService login, CancellationToken ct)
    {
        var back = SafeReturnUrl(returnUrl);
        if (string.IsNullOrWhiteSpace(name) || string.IsNullOrEmpty(password))
            return Back("missing", back, name);

        var attempt = await login.LoginAsync(name, password, http.Connection.RemoteIpAddress, ct);
        switch (attempt.Status)
        {
            case LoginStatus.Ok:
                break;
            case LoginStatus.Throttled:
                var seconds = LoginService.RetryAfterSeconds(attempt.RetryAfter);
                http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
                return Back("throttled", back, name, "&seconds=" + seconds.ToString(CultureInfo.InvariantCulture));
            default:
                return Back("wrong", back, name);
        }

        var principal = new ClaimsPrincipal(TccgClaims.ForUser(attempt.User!, CookieAuthenticationDefaults.AuthenticationScheme));
        await http.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, principal);
        return TypedResults.LocalRedirect(back);
    }

    private static async Task<IResult> LogoutAsync(HttpContext http, IUserStore users, CancellationToken ct)
    {
        await AuthApi.EndSessionAsync(http, users, ct);
        return TypedResults.LocalRedirect("/login");
    }

    private static IResult Back(string error, string returnUrl, string? name, string extra = "") =>
        TypedResults.LocalRedirect("/login?error=" + error + extra
            + "&name=" + Uri.EscapeDataString(name ?? "")
            + "&returnUrl=" + Uri.EscapeDataString(returnUrl));

    /// <summary>
    /// Only a path on this site ("/…", not "//host", "/\host", an absolute URL, or anything holding a control
    /// character or space, which browsers strip or reinterpret); anything else goes to the dashboard.
    /// </summary>
    internal static string SafeReturnUrl(string? url) =>
        url is { Length: > 0 and <= 2048 } && url[0] == '/' && (url.Length == 1 || (url[1] != '/' && url[1] != '\\'))
            && !url.Any(c => char.IsControl(c) || char.IsWhiteSpace(c) || c == '\\')
            && !url.StartsWith("/login", StringComparison.OrdinalIgnoreCase)
            ? url
            : "/";
}
