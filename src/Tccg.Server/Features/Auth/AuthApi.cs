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
        LoginRequest request, HttpContext http, IUserStore users, IAntiforgery antiforgery, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(request.Name) || string.IsNullOrEmpty(request.Password))
            return TypedResults.Problem(statusCode: 400, title: "Name and password are required.");

        var outcome = await users.VerifyAsync(request.Name, request.Password, ct);
        switch (outcome.Result)
        {
            case LoginResult.LockedOut:
                http.Response.Headers.RetryAfter = outcome.LockedUntil is { } until
                    ? Math.Max(1, (int)Math.Ceiling((until - DateTimeOffset.UtcNow).TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture)
                    : "60";
                return TypedResults.Problem(statusCode: 429, title: "Too many failed logins",
                    detail: $"This account is locked until {outcome.LockedUntil:u}; try again later.");
            case LoginResult.Ok:
                break;
            default:
                return TypedResults.Problem(statusCode: 401, title: "Wrong name or password.");
        }

        var principal = new ClaimsPrincipal(TccgClaims.ForUser(outcome.User!, CookieAuthenticationDefaults.AuthenticationScheme));
        await http.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, principal);
        http.User = principal; // the anti-forgery token is bound to the signed-in user
        var tokens = antiforgery.GetAndStoreTokens(http);
        return TypedResults.Ok(new SessionInfo(outcome.User!.Name, TccgClaims.RoleName(outcome.User.Role), outcome.User.Id, tokens.RequestToken));
    }

    public static async Task<NoContent> LogoutAsync(HttpContext http, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        await http.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        return TypedResults.NoContent();
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
