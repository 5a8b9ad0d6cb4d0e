using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Tccg.TwitchSim.Hosting;

namespace Tccg.TwitchSim.Auth;

/// <summary>
/// The authorization-code flow of id.twitch.tv: <c>GET /oauth2/authorize</c> (approved at once by the simulator's
/// logged-in user, see <see cref="TwitchSimHost.AuthorizeAs"/>), and the <c>authorization_code</c> and
/// <c>refresh_token</c> grants of <c>POST /oauth2/token</c>.
/// </summary>
internal static class UserOAuthEndpoints
{
    public static readonly string[] KnownScopes = ["editor:manage:clips", "channel:manage:clips", "user:read:email", "clips:edit"];

    public static void MapUserOAuth(this IEndpointRouteBuilder app) => app.MapGet("/oauth2/authorize", Authorize);

    private static IResult Authorize(HttpRequest request, SimState state)
    {
        string Q(string name) => request.Query[name].FirstOrDefault() ?? "";
        if (!string.Equals(Q("client_id"), state.Options.ClientId, StringComparison.Ordinal))
            return TwitchJson.Error(400, "invalid client");
        if (!Uri.TryCreate(Q("redirect_uri"), UriKind.Absolute, out var redirect) || redirect.Scheme is not ("http" or "https"))
            return TwitchJson.Error(400, "Parameter redirect_uri does not match registered URI");
        if (Q("response_type") != "code")
            return TwitchJson.Error(400, "unsupported response_type");
        var scopes = Q("scope").Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (scopes.Any(s => !KnownScopes.Contains(s, StringComparer.Ordinal)))
            return TwitchJson.Error(400, "invalid scope requested");
        var userId = state.UserTokens.AuthorizingUserId ?? state.World.Broadcasters[0].Id;
        var code = state.UserTokens.IssueCode(new UserGrant(state.Options.ClientId, userId, scopes, redirect.ToString(), default));
        var query = $"code={code}&scope={Uri.EscapeDataString(string.Join(' ', scopes))}";
        if (Q("state").Length > 0)
            query += "&state=" + Uri.EscapeDataString(Q("state"));
        return Results.Redirect(new UriBuilder(redirect) { Query = query }.Uri.ToString());
    }

    /// <summary>The <c>authorization_code</c> and <c>refresh_token</c> grants (client id and secret already checked).</summary>
    public static IResult Grant(string grant, Func<string, string> param, SimState state)
    {
        UserGrant? user;
        string? refresh = null;
        if (grant == "authorization_code")
        {
            user = state.UserTokens.RedeemCode(param("code"));
            if (user is null)
                return TwitchJson.Error(400, "Invalid authorization code");
            if (!string.Equals(user.RedirectUri, param("redirect_uri"), StringComparison.Ordinal))
                return TwitchJson.Error(400, "Parameter redirect_uri does not match registered URI");
        }
        else
        {
            refresh = param("refresh_token");
            user = refresh.Length > 0 ? state.UserTokens.Refresh(refresh) : null;
            if (user is null)
                return TwitchJson.Error(400, "Invalid refresh token");
        }

        var (access, newRefresh) = state.UserTokens.IssueTokens(user, state.Options.UserTokenLifetime, refresh);
        state.Counters.TokenIssued();
        return Results.Json(new UserTokenResponse(access, newRefresh, (long)state.Options.UserTokenLifetime.TotalSeconds, user.Scopes.ToArray(), "bearer"),
            TwitchJson.Helix);
    }

    internal sealed record UserTokenResponse(string AccessToken, string RefreshToken, long ExpiresIn, string[] Scope, string TokenType);
}
