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

/// <summary>Admin endpoints for users and tokens, mirroring <c>tccg user</c> and <c>tccg token</c>; the rules are in <see cref="AccountsService"/>.</summary>
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

    /// <summary>The refusal as an RFC 7807 problem, with <c>errors</c> naming the fields.</summary>
    internal static ProblemHttpResult Problem(RuleException e) =>
        TypedResults.Problem(statusCode: e.Status, title: e.Title, detail: e.Detail,
            extensions: e.Errors.Count == 0 ? null : new Dictionary<string, object?>
            {
                ["errors"] = e.Errors.GroupBy(m => m.Field).ToDictionary(g => g.Key, g => g.Select(m => m.Message).ToArray()),
            });

    public static async Task<Results<Ok<UserView[]>, ProblemHttpResult>> ListUsersAsync(HttpContext http, AccountsService accounts, CancellationToken ct)
    {
        try
        {
            return TypedResults.Ok((await accounts.ListUsersAsync(CurrentUser.From(http.User), ct)).Select(View).ToArray());
        }
        catch (RuleException e)
        {
            return Problem(e);
        }
    }

    public static async Task<Results<Created<UserView>, ProblemHttpResult>> AddUserAsync(
        NewUserRequest request, HttpContext http, AccountsService accounts, CancellationToken ct)
    {
        try
        {
            var user = await accounts.AddUserAsync(CurrentUser.From(http.User), request.Name, request.Password, request.Role, ct);
            return TypedResults.Created($"/api/v1/admin/users/{Uri.EscapeDataString(user.Name)}", View(user));
        }
        catch (RuleException e)
        {
            return Problem(e);
        }
    }

    public static Task<Results<NoContent, ProblemHttpResult>> RemoveUserAsync(string name, HttpContext http, AccountsService accounts, CancellationToken ct) =>
        RunAsync(() => accounts.RemoveUserAsync(CurrentUser.From(http.User), name, ct));

    public static Task<Results<NoContent, ProblemHttpResult>> SetPasswordAsync(
        string name, PasswordRequest request, HttpContext http, AccountsService accounts, CancellationToken ct) =>
        RunAsync(() => accounts.SetPasswordAsync(CurrentUser.From(http.User), name, request.Password, ct));

    public static Task<Results<NoContent, ProblemHttpResult>> SetRoleAsync(
        string name, RoleRequest request, HttpContext http, AccountsService accounts, CancellationToken ct) =>
        RunAsync(() => accounts.SetRoleAsync(CurrentUser.From(http.User), name, request.Role, ct));

    public static Task<Results<NoContent, ProblemHttpResult>> EndSessionsAsync(string name, HttpContext http, AccountsService accounts, CancellationToken ct) =>
        RunAsync(() => accounts.EndSessionsAsync(CurrentUser.From(http.User), name, ct));

    public static async Task<Results<Ok<TokenView[]>, ProblemHttpResult>> ListTokensAsync(HttpContext http, AccountsService accounts, CancellationToken ct)
    {
        try
        {
            return TypedResults.Ok((await accounts.ListTokensAsync(CurrentUser.From(http.User), ct)).Select(View).ToArray());
        }
        catch (RuleException e)
        {
            return Problem(e);
        }
    }

    public static async Task<Results<Created<CreatedTokenView>, ProblemHttpResult>> CreateTokenAsync(
        NewTokenRequest request, HttpContext http, AccountsService accounts, CancellationToken ct)
    {
        try
        {
            var created = await accounts.CreateTokenAsync(CurrentUser.From(http.User), request.Name, request.Kind, request.User, ct);
            return TypedResults.Created($"/api/v1/admin/tokens/{created.Token.Id}", new CreatedTokenView(View(created.Token), created.Secret));
        }
        catch (RuleException e)
        {
            return Problem(e);
        }
    }

    public static Task<Results<NoContent, ProblemHttpResult>> RevokeTokenAsync(long id, HttpContext http, AccountsService accounts, CancellationToken ct) =>
        RunAsync(() => accounts.RevokeTokenAsync(CurrentUser.From(http.User), id, ct));

    private static async Task<Results<NoContent, ProblemHttpResult>> RunAsync(Func<Task> action)
    {
        try
        {
            await action();
            return TypedResults.NoContent();
        }
        catch (RuleException e)
        {
            return Problem(e);
        }
    }
}
