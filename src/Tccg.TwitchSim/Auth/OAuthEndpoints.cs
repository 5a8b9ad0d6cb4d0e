using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Tccg.TwitchSim.Hosting;

namespace Tccg.TwitchSim.Auth;

/// <summary><c>id.twitch.tv</c>: the client-credentials grant (user grants: <see cref="UserOAuthEndpoints"/>) and token validation.</summary>
internal static class OAuthEndpoints
{
    public static void MapOAuth(this IEndpointRouteBuilder app)
    {
        app.MapPost("/oauth2/token", IssueTokenAsync);
        app.MapGet("/oauth2/validate", Validate);
    }

    /// <summary>
    /// <c>POST /oauth2/token?grant_type=client_credentials&amp;client_id=…&amp;client_secret=…</c> (query or form).
    /// Twitch answers a wrong client id with 400 "invalid client" and a wrong secret with 403 "invalid client secret".
    /// </summary>
    private static async Task<IResult> IssueTokenAsync(HttpContext context, SimState state)
    {
        var form = context.Request.HasFormContentType
            ? await context.Request.ReadFormAsync(context.RequestAborted)
            : null;
        string Param(string name) =>
            context.Request.Query[name].FirstOrDefault() ?? form?[name].FirstOrDefault() ?? "";

        var clientId = Param("client_id");
        var secret = Param("client_secret");
        var grant = Param("grant_type");
        if (clientId.Length == 0)
            return Fail(state, 400, "missing client id");
        if (!string.Equals(clientId, state.Options.ClientId, StringComparison.Ordinal))
            return Fail(state, 400, "invalid client");
        if (secret.Length == 0)
            return Fail(state, 400, "missing client secret");
        if (!string.Equals(secret, state.Options.ClientSecret, StringComparison.Ordinal))
            return Fail(state, 403, "invalid client secret");
        if (grant is "authorization_code" or "refresh_token")
            return UserOAuthEndpoints.Grant(grant, Param, state);
        if (!string.Equals(grant, "client_credentials", StringComparison.Ordinal))
            return Fail(state, 400, "unsupported grant type");

        var (token, expiresIn) = state.Tokens.Issue(clientId, state.Options.TokenLifetime);
        state.Counters.TokenIssued();
        return Results.Json(new TokenResponse(token, (long)expiresIn.TotalSeconds, "bearer"), TwitchJson.Helix);
    }

    /// <summary><c>GET /oauth2/validate</c> with <c>Authorization: OAuth TOKEN</c> (or Bearer).</summary>
    private static IResult Validate(HttpContext context, SimState state)
    {
        var header = context.Request.Headers.Authorization.ToString();
        var space = header.IndexOf(' ', StringComparison.Ordinal);
        var token = space > 0 ? header[(space + 1)..].Trim() : "";
        var remaining = TimeSpan.Zero;
        if (token.Length > 0 && state.UserTokens.Validate(token) is { } user)
        {
            var login = state.World.UsersById.TryGetValue(user.UserId, out var u) ? u.Login : "";
            return Results.Json(new UserValidateResponse(user.ClientId, login, user.Scopes.ToArray(), user.UserId,
                (long)(user.ExpiresAt - state.Time.GetUtcNow()).TotalSeconds), TwitchJson.Helix);
        }
        var owner = token.Length > 0 ? state.Tokens.Validate(token, out remaining) : null;
        if (owner is null)
        {
            state.Counters.UnauthorizedSent();
            return Results.Json(new StatusMessage(401, "invalid access token"), TwitchJson.Helix, statusCode: 401);
        }

        return Results.Json(new ValidateResponse(owner, [], (long)remaining.TotalSeconds), TwitchJson.Helix);
    }

    private static IResult Fail(SimState state, int status, string message)
    {
        if (status == 401)
            state.Counters.UnauthorizedSent();
        return Results.Json(new StatusMessage(status, message), TwitchJson.Helix, statusCode: status);
    }

    internal sealed record TokenResponse(string AccessToken, long ExpiresIn, string TokenType);

    internal sealed record UserValidateResponse(string ClientId, string Login, string[] Scopes, string UserId, long ExpiresIn);

    internal sealed record ValidateResponse(string ClientId, string[] Scopes, long ExpiresIn);

    /// <summary>id.twitch.tv's error shape: <c>{"status":400,"message":"invalid client"}</c>.</summary>
    internal sealed record StatusMessage(int Status, string Message);
}
