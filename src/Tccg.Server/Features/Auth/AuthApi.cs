using System.Security.Claims;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Tccg.Server.Auth;
using Tccg.Storage.Accounts;

namespace Tccg.Server.Features.Auth;

public sealed record LoginRequest(string? Name, string? Password);

/// <summary>Who is asking, and the anti-forgery token a browser sends with every change.</summary>
public sealed record SessionInfo(string Name, string Role, long? UserId, string? CsrfToken);

/// <summary>Browser login, logout and the current session.</summary>
public static class AuthApi
{
    public static RouteGroupBuilder MapAuthApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/auth").WithTags("Auth");
        group.MapPost("/login", LoginAsync).AllowAnonymous()
            .WithName("Login").WithSummary("Log in with name and password; sets the session cookie");
        group.MapPost("/logout", LogoutAsync)
            .WithName("Logout").WithSummary("End the browser session");
        group.MapGet("/session", GetSession)
            .WithName("GetSession").WithSummary("The caller, their role and a fresh anti-forgery token");
        return api;
    }

    public static async Task<Results<Ok<SessionInfo>, ProblemHttpResult>> LoginAsync(
        LoginRequest request, HttpContext http, LoginService login, IAntiforgery antiforgery, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(request.Name) || string.IsNullOrEmpty(request.Password))
            return TypedResults.Problem(statusCode: 400, title: "Name and password are required.");

        var attempt = await login.LoginAsync(request.Name, request.Password, http.Connection.RemoteIpAddress, ct);
        switch (attempt.Status)
        {
            case LoginStatus.Throttled:
                var seconds = LoginService.RetryAfterSeconds(attempt.RetryAfter);
                http.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
                return TypedResults.Problem(statusCode: 429, title: "Too many failed logins",
                    detail: $"Too many failed logins from your address; try again in {seconds} s.");
            case LoginStatus.Ok:
                break;
            default:
                return TypedResults.Problem(statusCode: 401, title: "Wrong name or password.");
        }

        var principal = new ClaimsPrincipal(TccgClaims.ForUser(attempt.User!, CookieAuthenticationDefaults.AuthenticationScheme));
        await http.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, principal);
        http.User = principal; // the anti-forgery token is bound to the signed-in user
        var tokens = antiforgery.GetAndStoreTokens(http);
        return TypedResults.Ok(new SessionInfo(attempt.User!.Name, TccgClaims.RoleName(attempt.User.Role), attempt.User.Id, tokens.RequestToken));
    }

    /// <summary>Ends the caller's browser sessions on the server (every copy of the cookie stops working) and clears the cookie.</summary>
    public static async Task<NoContent> LogoutAsync(HttpContext http, IUserStore users, CancellationToken ct)
    {
        await EndSessionAsync(http, users, ct);
        return TypedResults.NoContent();
    }

    /// <summary>
    /// Logout for the API and the form: a new security stamp ends every session of the user (this browser's and
    /// any copy of its cookie), then the cookie is cleared. Script tokens are not sessions and keep working.
    /// </summary>
    internal static async Task EndSessionAsync(HttpContext http, IUserStore users, CancellationToken ct)
    {
        if (http.User.Identity?.AuthenticationType == CookieAuthenticationDefaults.AuthenticationScheme && http.User.Identity.Name is { } name)
            await users.EndSessionsAsync(name, ct);
        await http.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
    }

    public static Ok<SessionInfo> GetSession(HttpContext http, IAntiforgery antiforgery)
    {
        var user = http.User;
        var role = user.FindFirstValue(ClaimTypes.Role) ?? "";
        var csrf = user.Identity?.AuthenticationType == CookieAuthenticationDefaults.AuthenticationScheme
            ? antiforgery.GetAndStoreTokens(http).RequestToken
            : null;
        return TypedResults.Ok(new SessionInfo(user.Identity?.Name ?? "", role, user.UserId(), csrf));
    }
}
