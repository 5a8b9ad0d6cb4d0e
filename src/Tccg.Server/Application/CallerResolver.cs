using System.Security.Claims;
using Tccg.Server.Auth;
using Tccg.Storage.Accounts;

namespace Tccg.Server.Application;

/// <summary>
/// The caller of an editor action, re-read for every action of a long-lived circuit: a user removed or demoted
/// since the page opened is refused at their next click, with the reason in words.
/// </summary>
public sealed class CallerResolver(IUserStore users)
{
    public async Task<CurrentUser> ForEditorAsync(ClaimsPrincipal principal, CancellationToken ct)
    {
        var caller = CurrentUser.From(principal);
        if (caller.Kind != CredentialKind.Session)
            throw RuleException.Forbidden("The web editor is for people signed in with a browser session.", "Tokens work on /api/v1 only.");
        if (caller.Id is not { } id || await users.GetAsync(id, ct) is not { } user)
            throw RuleException.Forbidden("Your account no longer exists. Log in again.");
        var role = TccgClaims.RoleName(user.Role);
        if (role != caller.Role)
            throw RuleException.Forbidden($"Your role changed to {role} since this page opened. Reload the page (you may have to log in again).");
        return caller with { Name = user.Name };
    }
}
