using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Tccg.Server.Auth;
using Tccg.Storage;
using Tccg.Storage.Accounts;

namespace Tccg.Server.Features.Admin;

public sealed record UserView(long Id, string Name, string Role, DateTimeOffset CreatedAt, DateTimeOffset? LockedUntil);
public sealed record NewUserRequest(string? Name, string? Password, string? Role);
public sealed record PasswordRequest(string? Password);
public sealed record RoleRequest(string? Role);
public sealed record TokenView(long Id, string Name, string Kind, long? UserId, DateTimeOffset CreatedAt, DateTimeOffset? LastUsedAt, DateTimeOffset? RevokedAt);
public sealed record NewTokenRequest(string? Name, string? Kind);
public sealed record CreatedTokenView(TokenView Token, string Secret);

/// <summary>Admin endpoints for users and tokens, mirroring <c>tccg user</c> and <c>tccg token</c>.</summary>
public static class AdminApi
{
    public static RouteGroupBuilder MapAdminApi(this RouteGroupBuilder api)
    {
        var users = api.MapGroup("/admin/users").WithTags("Admin").RequireAuthorization(Policies.Admin);
        users.MapGet("/", ListUsersAsync).WithName("ListUsers").WithSummary("All users");
        users.MapPost("/", AddUserAsync).WithName("AddUser").WithSummary("Add a user (role admin or editor)");
        users.MapDelete("/{name}", RemoveUserAsync).WithName("RemoveUser").WithSummary("Remove a user");
        users.MapPut("/{name}/password", SetPasswordAsync).WithName("SetUserPassword").WithSummary("Reset a user's password");
        users.MapPut("/{name}/role", SetRoleAsync).WithName("SetUserRole").WithSummary("Change a user's role");

        var tokens = api.MapGroup("/admin/tokens").WithTags("Admin").RequireAuthorization(Policies.Admin);
        tokens.MapGet("/", ListTokensAsync).WithName("ListTokens").WithSummary("All API tokens (never their secrets)");
        tokens.MapPost("/", CreateTokenAsync).WithName("CreateToken").WithSummary("Create a worker token; the secret is shown once");
        tokens.MapDelete("/{id:long}", RevokeTokenAsync).WithName("RevokeToken").WithSummary("Revoke a token");
        return api;
    }

    private static UserView View(User u) => new(u.Id, u.Name, TccgClaims.RoleName(u.Role), u.CreatedAt, u.LockedUntil);

    private static TokenView View(ApiToken t) =>
        new(t.Id, t.Name, t.Kind.ToString().ToLowerInvariant(), t.UserId, t.CreatedAt, t.LastUsedAt, t.RevokedAt);

    private static bool TryParseRole(string? text, out UserRole role)
    {
        role = UserRole.Editor;
        if (string.IsNullOrEmpty(text) || text.Equals(TccgClaims.RoleEditor, StringComparison.OrdinalIgnoreCase))
            return true;
        if (text.Equals(TccgClaims.RoleAdmin, StringComparison.OrdinalIgnoreCase))
        {
            role = UserRole.Admin;
            return true;
        }

        return false;
    }

    public static async Task<Ok<UserView[]>> ListUsersAsync(IUserStore users, CancellationToken ct) =>
        TypedResults.Ok((await users.ListAsync(ct)).Select(View).ToArray());

    public static async Task<Results<Created<UserView>, ProblemHttpResult>> AddUserAsync(NewUserRequest request, IUserStore users, CancellationToken ct)
    {
        if (!TryParseRole(request.Role, out var role))
            return TypedResults.Problem(statusCode: 400, title: "Role must be admin or editor.");
        try
        {
            var user = await users.AddAsync(request.Name ?? "", request.Password ?? "", role, ct);
            return TypedResults.Created($"/api/v1/admin/users/{Uri.EscapeDataString(user.Name)}", View(user));
        }
        catch (ArgumentException e)
        {
            return TypedResults.Problem(statusCode: 400, title: "Invalid user", detail: e.Message);
        }
        catch (DuplicateInStoreException)
        {
            return TypedResults.Problem(statusCode: 409, title: $"A user named {request.Name} already exists.");
        }
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> RemoveUserAsync(string name, HttpContext http, IUserStore users, CancellationToken ct)
    {
        if (string.Equals(name, http.User.Identity?.Name, StringComparison.Ordinal))
            return TypedResults.Problem(statusCode: 409, title: "You cannot remove yourself.");
        return await users.RemoveAsync(name, ct)
            ? TypedResults.NoContent()
            : TypedResults.Problem(statusCode: 404, title: $"No user named {name}.");
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> SetPasswordAsync(string name, PasswordRequest request, IUserStore users, CancellationToken ct)
    {
        try
        {
            return await users.SetPasswordAsync(name, request.Password ?? "", ct)
                ? TypedResults.NoContent()
                : TypedResults.Problem(statusCode: 404, title: $"No user named {name}.");
        }
        catch (ArgumentException e)
        {
            return TypedResults.Problem(statusCode: 400, title: "Invalid password", detail: e.Message);
        }
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> SetRoleAsync(string name, RoleRequest request, IUserStore users, CancellationToken ct)
    {
        if (!TryParseRole(request.Role, out var role) || request.Role is null)
            return TypedResults.Problem(statusCode: 400, title: "Role must be admin or editor.");
        return await users.SetRoleAsync(name, role, ct)
            ? TypedResults.NoContent()
            : TypedResults.Problem(statusCode: 404, title: $"No user named {name}.");
    }

    public static async Task<Ok<TokenView[]>> ListTokensAsync(ITokenStore tokens, CancellationToken ct) =>
        TypedResults.Ok((await tokens.ListAsync(ct)).Select(View).ToArray());

    public static async Task<Results<Created<CreatedTokenView>, ProblemHttpResult>> CreateTokenAsync(
        NewTokenRequest request, HttpContext http, ITokenStore tokens, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(request.Name) || request.Name.Length > 64)
            return TypedResults.Problem(statusCode: 400, title: "A token needs a name of 1 to 64 characters.");
        var kind = request.Kind?.ToLowerInvariant() switch
        {
            null or "" or "worker" => TokenKind.Worker,
            "script" => TokenKind.Script,
            _ => (TokenKind?)null,
        };
        if (kind is null)
            return TypedResults.Problem(statusCode: 400, title: "Kind must be worker or script.");
        var created = await tokens.CreateAsync(request.Name.Trim(), kind.Value, kind == TokenKind.Script ? http.User.UserId() : null, ct);
        return TypedResults.Created($"/api/v1/admin/tokens/{created.Token.Id}", new CreatedTokenView(View(created.Token), created.Secret));
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> RevokeTokenAsync(long id, ITokenStore tokens, CancellationToken ct) =>
        await tokens.RevokeAsync(id, ct)
            ? TypedResults.NoContent()
            : TypedResults.Problem(statusCode: 404, title: $"No token {id}.");
}
