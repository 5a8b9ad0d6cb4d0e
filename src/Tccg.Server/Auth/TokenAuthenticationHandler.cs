using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Tccg.Storage.Accounts;

namespace Tccg.Server.Auth;

/// <summary>
/// <c>Authorization: Bearer SECRET</c> for generators and scripts. Worker tokens get the worker role; a
/// script token acts as the user it belongs to.
/// </summary>
internal sealed class TokenAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    ITokenStore tokens,
    IUserStore users) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "Token";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
            return AuthenticateResult.NoResult();
        var secret = header["Bearer ".Length..].Trim();
        if (secret.Length == 0)
            return AuthenticateResult.Fail("Empty bearer token.");

        var token = await tokens.VerifyAsync(secret, Context.RequestAborted);
        if (token is null)
            return AuthenticateResult.Fail("Unknown or revoked token.");

        ClaimsIdentity identity;
        if (token.Kind == TokenKind.Worker)
        {
            identity = new ClaimsIdentity(
            [
                new Claim(ClaimTypes.Name, token.Name),
                new Claim(ClaimTypes.Role, TccgClaims.RoleWorker),
            ], SchemeName);
        }
        else
        {
            var user = token.UserId is { } id ? await users.GetAsync(id, Context.RequestAborted) : null;
            if (user is null)
                return AuthenticateResult.Fail("The token's user no longer exists.");
            identity = TccgClaims.ForUser(user, SchemeName);
        }

        identity.AddClaim(new Claim(TccgClaims.TokenId, token.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }
}
