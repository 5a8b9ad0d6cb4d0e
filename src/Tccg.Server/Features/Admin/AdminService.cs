using System.Globalization;
using Tccg.Core.Compilations;
using Tccg.Server.Application;
using Tccg.Server.Auth;
using Tccg.Storage;
using Tccg.Storage.Accounts;

namespace Tccg.Server.Features.Admin;

/// <summary>Users and API tokens (admins only): the Admin page, the admin API and <c>tccg user</c> / <c>tccg token</c> call this.</summary>
public sealed class AdminService(IUserStore users, ITokenStore tokens)
{
    public const int MinPasswordLength = 8;

    public async Task<IReadOnlyList<User>> ListUsersAsync(CurrentUser caller, CancellationToken ct)
    {
        caller.RequireAdmin();
        return await users.ListAsync(ct);
    }

    public async Task<User> AddUserAsync(CurrentUser caller, string? name, string? password, UserRole role, CancellationToken ct)
    {
        caller.RequireAdmin();
        if (EditorLimits.CheckName("name", name, 64) is { } problem)
            throw RuleException.Invalid(problem.Field, problem.Message);
        CheckPassword(password);
        try
        {
            return await users.AddAsync(name!.Trim(), password!, role, ct);
        }
        catch (DuplicateInStoreException)
        {
            throw RuleException.Conflict($"A user named {name!.Trim()} already exists.");
        }
        catch (ArgumentException e)
        {
            throw new RuleException(400, "Invalid user", e.Message);
        }
    }

    public async Task RemoveUserAsync(CurrentUser caller, string name, CancellationToken ct)
    {
        caller.RequireAdmin();
        if (string.Equals(name, caller.Name, StringComparison.Ordinal))
            throw RuleException.Conflict("You cannot remove yourself.");
        if (!await users.RemoveAsync(name, ct))
            throw NoUser(name);
    }

    public async Task SetPasswordAsync(CurrentUser caller, string name, string? password, CancellationToken ct)
    {
        caller.RequireAdmin();
        CheckPassword(password);
        if (!await users.SetPasswordAsync(name, password!, ct))
            throw NoUser(name);
    }

    public async Task SetRoleAsync(CurrentUser caller, string name, UserRole role, CancellationToken ct)
    {
        caller.RequireAdmin();
        if (string.Equals(name, caller.Name, StringComparison.Ordinal) && role != UserRole.Admin)
            throw RuleException.Conflict("You cannot take the admin role from yourself.");
        if (!await users.SetRoleAsync(name, role, ct))
            throw NoUser(name);
    }

    /// <summary>"Log out everywhere": ends every browser session of the user (a new security stamp); script tokens stay.</summary>
    public async Task EndSessionsAsync(CurrentUser caller, string name, CancellationToken ct)
    {
        caller.RequireAdmin();
        if (!await users.EndSessionsAsync(name, ct))
            throw NoUser(name);
    }

    public async Task<IReadOnlyList<ApiToken>> ListTokensAsync(CurrentUser caller, CancellationToken ct)
    {
        caller.RequireAdmin();
        return await tokens.ListAsync(ct);
    }

    /// <summary>A worker token, or a script token acting as the user named <paramref name="forUser"/>; the secret is in the result once.</summary>
    public async Task<CreatedToken> CreateTokenAsync(CurrentUser caller, string? name, TokenKind kind, string? forUser, CancellationToken ct)
    {
        caller.RequireAdmin();
        if (EditorLimits.CheckName("name", name, 64) is { } problem)
            throw RuleException.Invalid(problem.Field, problem.Message);
        long? userId = null;
        if (kind == TokenKind.Script)
        {
            if (string.IsNullOrWhiteSpace(forUser))
                throw RuleException.Invalid("user", "a script token acts as a user: name the user it belongs to");
            userId = (await users.GetByNameAsync(forUser.Trim(), ct) ?? throw RuleException.Invalid("user", $"there is no user named {forUser.Trim()}")).Id;
        }
        else if (!string.IsNullOrEmpty(forUser))
        {
            throw RuleException.Invalid("user", "a worker token belongs to no user: leave user out");
        }
        return await tokens.CreateAsync(name!.Trim(), kind, userId, ct);
    }

    public async Task RevokeTokenAsync(CurrentUser caller, long id, CancellationToken ct)
    {
        caller.RequireAdmin();
        if (!await tokens.RevokeAsync(id, ct))
            throw RuleException.NotFound($"No token with id {id.ToString(CultureInfo.InvariantCulture)}.");
    }

    /// <summary>"admin" or "editor" (any case; empty means editor); 400 naming <paramref name="field"/> otherwise.</summary>
    public static UserRole ParseRole(string? text, string field = "role")
    {
        if (string.IsNullOrEmpty(text) || text.Equals(TccgClaims.RoleEditor, StringComparison.OrdinalIgnoreCase))
            return UserRole.Editor;
        if (text.Equals(TccgClaims.RoleAdmin, StringComparison.OrdinalIgnoreCase))
            return UserRole.Admin;
        throw RuleException.Invalid(field, "must be admin or editor");
    }

    private static void CheckPassword(string? password)
    {
        if (password is null || password.Length < MinPasswordLength)
            throw RuleException.Invalid("password", $"a password needs at least {MinPasswordLength} characters");
    }

    private static RuleException NoUser(string name) => RuleException.NotFound($"No user named {name}.");
}
