using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Tccg.Server.Auth;
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
        HttpContext http, IUserStore users, TimeProvider time, CancellationToken ct)
    {
        var back = SafeReturnUrl(returnUrl);
        if (string.IsNullOrWhiteSpace(name) || string.IsNullOrEmpty(password))
            return Back("missing", back, name);

        var outcome = await users.VerifyAsync(name, password, ct);
        switch (outcome.Result)
        {
            case LoginResult.Ok:
                break;
            case LoginResult.LockedOut:
                var minutes = outcome.LockedUntil is { } until
                    ? Math.Max(1, (int)Math.Ceiling((until - time.GetUtcNow()).TotalMinutes))
                    : 1;
                return Back("locked", back, name, "&minutes=" + minutes.ToString(CultureInfo.InvariantCulture));
            default:
                return Back("wrong", back, name);
        }

        var principal = new ClaimsPrincipal(TccgClaims.ForUser(outcome.User!, CookieAuthenticationDefaults.AuthenticationScheme));
        await http.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, principal);
        return TypedResults.LocalRedirect(back);
    }

    private static async Task<IResult> LogoutAsync(HttpContext http, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        await http.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        return TypedResults.LocalRedirect("/login");
    }

    private static IResult Back(string error, string returnUrl, string? name, string extra = "") =>
        TypedResults.LocalRedirect("/login?error=" + error + extra
            + "&name=" + Uri.EscapeDataString(name ?? "")
            + "&returnUrl=" + Uri.EscapeDataString(returnUrl));

    /// <summary>Only a path on this site ("/…", not "//host" or "/\host"); anything else goes to the dashboard.</summary>
    internal static string SafeReturnUrl(string? url) =>
        url is { Length: > 0 } && url[0] == '/' && (url.Length == 1 || (url[1] != '/' && url[1] != '\\'))
            && !url.StartsWith("/login", StringComparison.OrdinalIgnoreCase)
            ? url
            : "/";
}
