using Tccg.Core.Text;
using Tccg.Server.Application;
using Tccg.Server.Auth;
using Tccg.Storage;
using Tccg.Storage.Accounts;

namespace Tccg.Server.Features.Admin;

/// <summary>
/// Users and tokens: the rules behind <c>/api/v1/admin/*</c>, the Admin page and <c>tccg user|token</c>. Only admins
/// (a person's session, their script token, or a local command) may call it; refusals are <see cref="RuleException"/>s.
/// </summary>
public sealed class AccountsService(IUserStore users, ITokenStore tokens)
{
    public const int MaxTokenName = 64;

    public async Task<IReadOnlyList<User>> ListUsersAsync(CurrentUser caller, CancellationToken ct)
    {
        RequireAdmin(caller);
        return await users.ListAsync(ct);
    }

    public async Task<User> AddUserAsync(CurrentUser caller, string? name, string? password, string? role, CancellationToken ct)
    {
        RequireAdmin(caller);
        var parsed = ParseRole(role) ?? UserRole.Editor;
        name ??= "";
        if (string.IsNullOrWhiteSpace(name) || name.Length > 64 || name.Trim() != name)
            throw RuleException.Invalid("name", "a user name has 1 to 64 characters, without leading or trailing spaces");
        if (NameRules.HasControlCharacters(name))
            throw RuleException.Invalid("name", "a user name " + NameRules.ControlCharactersMessage);
        if (string.IsNullOrEmpty(password) || password.Length < 8)
            throw RuleException.Invalid("password", "a password needs at least 8 characters");
        try
        {
            return await users.AddAsync(name, password, parsed, ct);
        }
        catch (DuplicateInStoreException)
        {
            throw RuleException.Conflict($"A user named {name} already exists.");
        }
    }

    public async Task RemoveUserAsync(CurrentUser caller, string name, CancellationToken ct)
    {
        RequireAdmin(caller);
        if (caller.Kind != CredentialKind.System && string.Equals(name, caller.Name, StringComparison.Ordinal))
            throw RuleException.Conflict("You cannot remove yourself.");
        if (!await users.RemoveAsync(name, ct))
            throw NoUser(name);
    }

    /// <summary>Sets a new password; every session of the user ends.</summary>
    public async Task SetPasswordAsync(CurrentUser caller, string name, string? password, CancellationToken ct)
    {
        RequireAdmin(caller);
        if (string.IsNullOrEmpty(password) || password.Length < 8)
            throw RuleException.Invalid("password", "a password needs at least 8 characters");
        if (!await users.SetPasswordAsync(name, password, ct))
            throw NoUser(name);
    }

    /// <summary>Changes the role; when it really changes, every session of the user ends.</summary>
    public async Task SetRoleAsync(CurrentUser caller, string name, string? role, CancellationToken ct)
    {
        RequireAdmin(caller);
        var parsed = ParseRole(role) ?? throw RuleException.Invalid("role", "role must be admin or editor");
        if (!await users.SetRoleAsync(name, parsed, ct))
            throw NoUser(name);
    }

    /// <summary>"Log out everywhere": ends every browser session of the user (their script tokens stay; revoke those separately).</summary>
    public async Task EndSessionsAsync(CurrentUser caller, string name, CancellationToken ct)
    {
        RequireAdmin(caller);
        if (!await users.EndSessionsAsync(name, ct))
            throw NoUser(name);
    }

    public async Task<IReadOnlyList<ApiToken>> ListTokensAsync(CurrentUser caller, CancellationToken ct)
    {
        RequireAdmin(caller);
        return await tokens.ListAsync(ct);
    }

    /// <summary>
    /// A worker token (for a video generator), or a script token that acts as <paramref name="userName"/> (required:
    /// a script token with no user could never be used).
    /// </summary>
    public async Task<CreatedToken> CreateTokenAsync(CurrentUser caller, string? name, string? kind, string? userName, CancellationToken ct)
    {
        RequireAdmin(caller);
        name = name?.Trim() ?? "";
        if (name.Length is 0 or > MaxTokenName)
            throw RuleException.Invalid("name", $"a token needs a name of 1 to {MaxTokenName} characters");
        if (NameRules.HasControlCharacters(name))
            throw RuleException.Invalid("name", "a token name " + NameRules.ControlCharactersMessage);
        var parsed = kind?.Trim().ToLowerInvariant() switch
        {
            null or "" or "worker" => TokenKind.Worker,
            "script" => TokenKind.Script,
            _ => throw RuleException.Invalid("kind", "kind must be worker or script"),
        };
        long? userId = null;
        if (parsed == TokenKind.Script)
        {
            if (string.IsNullOrWhiteSpace(userName))
                throw RuleException.Invalid("user", "a script token acts as a user: name the user it belongs to");
            var user = await users.GetByNameAsync(userName, ct)
                ?? throw RuleException.Invalid("user", $"there is no user named {userName}");
            userId = user.Id;
        }
        else if (!string.IsNullOrEmpty(userName))
        {
            throw RuleException.Invalid("user", "a worker token belongs to no user: leave user out");
        }
        return await tokens.CreateAsync(name, parsed, userId, ct);
    }

    public async Task RevokeTokenAsync(CurrentUser caller, long id, CancellationToken ct)
    {
        RequireAdmin(caller);
        if (!await tokens.RevokeAsync(id, ct))
            throw RuleException.NotFound($"No token {id}.");
    }

    /// <summary>"admin" or "editor" (any case); null for an empty value; a <see cref="RuleException"/> for anything else.</summary>
    private static UserRole? ParseRole(string? text)
    {
        if (string.IsNullOrEmpty(text))
            return null;
        if (text.Equals(TccgClaims.RoleEditor, StringComparison.OrdinalIgnoreCase))
            return UserRole.Editor;
        if (text.Equals(TccgClaims.RoleAdmin, StringComparison.OrdinalIgnoreCase))
            return UserRole.Admin;
        throw RuleException.Invalid("role", "role must be admin or editor");
    }

    private static void RequireAdmin(CurrentUser caller)
    {
        if (!caller.IsAdmin || caller.IsWorker)
            throw RuleException.Forbidden("Only an admin may manage users and tokens.");
    }

    private static RuleException NoUser(string name) => RuleException.NotFound($"No user named {name}.");
}
