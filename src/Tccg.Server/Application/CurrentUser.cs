using System.Security.Claims;
using Microsoft.AspNetCore.Authentication.Cookies;
using Tccg.Server.Auth;

namespace Tccg.Server.Application;

/// <summary>How the caller proved who they are.</summary>
public enum CredentialKind
{
    /// <summary>A person's browser session (cookie): the only kind the web editor accepts.</summary>
    Session,

    /// <summary>A script token acting as the user it belongs to.</summary>
    ScriptToken,

    /// <summary>A render worker: the generator protocol only.</summary>
    WorkerToken,

    /// <summary>The server itself or a local command (CLI, demo set-up) acting with full rights.</summary>
    System,

    /// <summary>Nobody signed in.</summary>
    Anonymous,
}

/// <summary>
/// The caller of the application layer: every service in <c>Features/*</c> takes one and applies roles,
/// ownership and sharing from it. Built once per request (API) or per action (editor circuit).
/// </summary>
public sealed record CurrentUser(long? Id, string Name, string Role, CredentialKind Kind)
{
    public static readonly CurrentUser Anonymous = new(null, "", "", CredentialKind.Anonymous);

    /// <summary>A local command run by whoever owns the machine (CLI, demo set-up): admin rights, no user row.</summary>
    public static CurrentUser System(string name = "system") => new(null, name, TccgClaims.RoleAdmin, CredentialKind.System);

    public bool IsAdmin => Role == TccgClaims.RoleAdmin;

    /// <summary>Admins and editors: people (or their script tokens) who may edit.</summary>
    public bool IsEditor => Role is TccgClaims.RoleAdmin or TccgClaims.RoleEditor && Kind != CredentialKind.WorkerToken;

    public bool IsWorker => Kind == CredentialKind.WorkerToken;

    public bool IsPerson => Kind == CredentialKind.Session;

    /// <summary>Refuses callers that are not admins or editors (worker tokens, anonymous): 403.</summary>
    public CurrentUser RequireEditor()
    {
        if (!IsEditor)
            throw RuleException.Forbidden("Only editors and admins may do this.", IsWorker ? "A worker token may only lease and render jobs." : null);
        return this;
    }

    /// <summary>Refuses everyone but admins: 403.</summary>
    public CurrentUser RequireAdmin()
    {
        if (!IsAdmin || IsWorker)
            throw RuleException.Forbidden("Only admins may do this.");
        return this;
    }

    /// <summary>True when the caller owns a thing with this owner, or is an admin.</summary>
    public bool OwnsOrAdmin(long? ownerId) => IsAdmin || (Id is { } me && ownerId == me);

    public static CurrentUser From(ClaimsPrincipal principal)
    {
        if (principal.Identity is not { IsAuthenticated: true } identity)
            return Anonymous;
        var role = principal.IsInRole(TccgClaims.RoleAdmin) ? TccgClaims.RoleAdmin
            : principal.IsInRole(TccgClaims.RoleEditor) ? TccgClaims.RoleEditor
            : principal.IsInRole(TccgClaims.RoleWorker) ? TccgClaims.RoleWorker
            : "";
        var kind = identity.AuthenticationType switch
        {
            CookieAuthenticationDefaults.AuthenticationScheme => CredentialKind.Session,
            TokenAuthenticationHandler.SchemeName when role == TccgClaims.RoleWorker => CredentialKind.WorkerToken,
            TokenAuthenticationHandler.SchemeName => CredentialKind.ScriptToken,
            _ => CredentialKind.Anonymous,
        };
        return new CurrentUser(principal.UserId(), identity.Name ?? "", role, kind);
    }
}
