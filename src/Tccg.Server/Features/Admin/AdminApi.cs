using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Tccg.Server.Application;
using Tccg.Server.Auth;
using Tccg.Storage.Accounts;

namespace Tccg.Server.Features.Admin;

public sealed record UserView(long Id, string Name, string Role, DateTimeOffset CreatedAt);
public sealed record NewUserRequest(string? Name, string? Password, string? Role);
public sealed record PasswordRequest(string? Password);
public sealed record RoleRequest(string? Role);
public sealed record TokenView(long Id, string Name, string Kind, long? UserId, DateTimeOffset CreatedAt, DateTimeOffset? LastUsedAt, DateTimeOffset? RevokedAt);

/// <summary>A new token: <c>kind</c> worker (default) or script; a script token names the <c>user</c> it acts as.</summary>
public sealed record NewTokenRequest(string? Name, string? Kind, string? User = null);
public sealed record CreatedTokenView(TokenView Token, string Secret);

/// <summary>Admin endpoints for users and tokens, mirroring <c>tccg user</c> and <c>tccg token</c>; the rules are in <see cref="AdminService"/>.</summary>
public static class AdminApi
{
    public static RouteGroupBuilder MapAdminApi(this RouteGroupBuilder api)
    {
        var users = api.MapGroup("/admin/users").WithTags("Admin").RequireAuthorization(Policies.Admin);
        users.MapGet("/", ListUsersAsync).WithName("ListUsers").WithSummary("All users");
        users.MapPost("/", AddUserAsync).WithName("AddUser").WithSummary("Add a user (role admin or editor)");
        users.MapDelete("/{name}", RemoveUserAsync).WithName("RemoveUser").WithSummary("Remove a user (their sessions end at once)");
        users.MapPut("/{name}/password", SetPasswordAsync).WithName("SetUserPassword").WithSummary("Reset a user's password; their sessions end");
        users.MapPut("/{name}/role", SetRoleAsync).WithName("SetUserRole").WithSummary("Change a user's role; their sessions end");
        users.MapPost("/{name}/logout", EndSessionsAsync).WithName("LogOutUserEverywhere")
            .WithSummary("End every browser session of the user (script tokens stay)");

        var tokens = api.MapGroup("/admin/tokens").WithTags("Admin").RequireAuthorization(Policies.Admin);
        tokens.MapGet("/", ListTokensAsync).WithName("ListTokens").WithSummary("All API tokens (never their secrets)");
        tokens.MapPost("/", CreateTokenAsync).WithName("CreateToken")
            .WithSummary("Create a worker token, or a script token for a user (kind script, user NAME); the secret is shown once");
        tokens.MapDelete("/{id:long}", RevokeTokenAsync).WithName("RevokeToken").WithSummary("Revoke a token");
        return api;
    }

    private static UserView View(User u) => new(u.Id, u.Name, TccgClaims.RoleName(u.Role), u.CreatedAt);

    private static TokenView View(ApiToken t) =>
        new(t.Id, t.Name, t.Kind.ToString().ToLowerInvariant(), t.UserId, t.CreatedAt, t.LastUsedAt, t.RevokedAt);

    // Refusals are RuleExceptions from AdminService; the /api/v1 group turns them into problems (400 naming the field, 403, 404, 409).

    public static async Task<Ok<UserView[]>> ListUsersAsync(HttpContext http, AdminService admin, CancellationToken ct) =>
        TypedResults.Ok((await admin.ListUsersAsync(http.Caller(), ct)).Select(View).ToArray());

    public static async Task<Created<UserView>> AddUserAsync(NewUserRequest request, HttpContext http, AdminService admin, CancellationToken ct)
    {
        var user = await admin.AddUserAsync(http.Caller(), request.Name, request.Password, AdminService.ParseRole(request.Role), ct);
        return TypedResults.Created($"/api/v1/admin/users/{Uri.EscapeDataString(user.Name)}", View(user));
    }

    public static async Task<NoContent> RemoveUserAsync(string name, HttpContext http, AdminService admin, CancellationToken ct)
    {
        await admin.RemoveUserAsync(http.Caller(), name, ct);
        return TypedResults.NoContent();
    }

    public static async Task<NoContent> SetPasswordAsync(string name, PasswordRequest request, HttpContext http, AdminService admin, CancellationToken ct)
    {
        await admin.SetPasswordAsync(http.Caller(), name, request.Password, ct);
        return TypedResults.NoContent();
    }

    public static async Task<NoContent> SetRoleAsync(string name, RoleRequest request, HttpContext http, AdminService admin, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(request.Role))
            throw RuleException.Invalid("role", "must be admin or editor");
        await admin.SetRoleAsync(http.Caller(), name, AdminService.ParseRole(request.Role), ct);
        return TypedResults.NoContent();
    }

    public static async Task<NoContent> EndSessionsAsync(string name, HttpContext http, AdminService admin, CancellationToken ct)
    {
        await admin.EndSessionsAsync(http.Caller(), name, ct);
        return TypedResults.NoContent();
    }

    public static async Task<Ok<TokenView[]>> ListTokensAsync(HttpContext http, AdminService admin, CancellationToken ct) =>
        TypedResults.Ok((await admin.ListTokensAsync(http.Caller(), ct)).Select(View).ToArray());

    public static async Task<Created<CreatedTokenView>> CreateTokenAsync(NewTokenRequest request, HttpContext http, AdminService admin, CancellationToken ct)
    {
        var created = await admin.CreateTokenAsync(http.Caller(), request.Name, ParseKind(request.Kind), request.User, ct);
        return TypedResults.Created($"/api/v1/admin/tokens/{created.Token.Id}", new CreatedTokenView(View(created.Token), created.Secret));
    }

    public static async Task<NoContent> RevokeTokenAsync(long id, HttpContext http, AdminService admin, CancellationToken ct)
    {
        await admin.RevokeTokenAsync(http.Caller(), id, ct);
        return TypedResults.NoContent();
    }

    /// <summary>"worker" (the default) or "script"; 400 naming <c>kind</c> otherwise.</summary>
    public static TokenKind ParseKind(string? text) => text?.Trim().ToLowerInvariant() switch
    {
        null or "" or "worker" => TokenKind.Worker,
        "script" => TokenKind.Script,
        _ => throw RuleException.Invalid("kind", "must be worker or script"),
    };
}
