using System.Security.Claims;
using Tccg.Storage.Accounts;

namespace Tccg.Server.Auth;

/// <summary>Claim types, roles and policies of the server, and how to read the caller from a principal.</summary>
public static class TccgClaims
{
    public const string TokenId = "tccg:token_id";

    /// <summary>The user's security stamp when the session began; the session ends when the user's row has another.</summary>
    public const string SecurityStamp = "tccg:stamp";
    public const string RoleAdmin = "admin";
    public const string RoleEditor = "editor";
    public const string RoleWorker = "worker";

    public static string RoleName(UserRole role) => role == UserRole.Admin ? RoleAdmin : RoleEditor;

    /// <summary>The user id of a browser session or of a user's script token; null for worker tokens.</summary>
    public static long? UserId(this ClaimsPrincipal principal) =>
        long.TryParse(principal.FindFirstValue(ClaimTypes.NameIdentifier), System.Globalization.CultureInfo.InvariantCulture, out var id) ? id : null;

    public static long RequiredUserId(this ClaimsPrincipal principal) =>
        principal.UserId() ?? throw new InvalidOperationException("The caller is not a user.");

    public static bool IsAdmin(this ClaimsPrincipal principal) => principal.IsInRole(RoleAdmin);

    public static ClaimsIdentity ForUser(User user, string scheme) =>
        new(
        [
            new Claim(ClaimTypes.NameIdentifier, user.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            new Claim(ClaimTypes.Name, user.Name),
            new Claim(ClaimTypes.Role, RoleName(user.Role)),
            new Claim(SecurityStamp, user.SecurityStamp),
        ], scheme);
}

/// <summary>Authorization policies applied at route groups.</summary>
public static class Policies
{
    /// <summary>Users, tokens, games and downloader control.</summary>
    public const string Admin = "admin";

    /// <summary>Review, compilations, assets and renders: editors and admins.</summary>
    public const string Editor = "editor";

    /// <summary>The render-queue protocol: worker tokens (and admins, for tools).</summary>
    public const string Worker = "worker";
}
