namespace Tccg.Storage.Accounts;

public enum UserRole
{
    Admin,
    Editor,
}

/// <summary>A person who logs in to the web editor. The password hash never leaves the store.</summary>
public sealed class User
{
    public long Id { get; init; }
    public string Name { get; init; } = "";
    public UserRole Role { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public int FailedLogins { get; init; }
    public DateTimeOffset? LockedUntil { get; init; }
}

public enum LoginResult
{
    Ok,
    UnknownUser,
    WrongPassword,
    /// <summary>Too many wrong passwords; the password is not even checked until <see cref="LoginOutcome.LockedUntil"/>.</summary>
    LockedOut,
}

public sealed record LoginOutcome(LoginResult Result, User? User, DateTimeOffset? LockedUntil = null)
{
    public bool Succeeded => Result == LoginResult.Ok;
}

/// <summary>After <paramref name="MaxFailures"/> wrong passwords in a row an account is locked for <paramref name="LockFor"/>.</summary>
public sealed record LockoutPolicy(int MaxFailures, TimeSpan LockFor)
{
    public static readonly LockoutPolicy Default = new(5, TimeSpan.FromMinutes(15));
}

public interface IUserStore
{
    /// <exception cref="DuplicateInStoreException">The name is taken.</exception>
    Task<User> AddAsync(string name, string password, UserRole role, CancellationToken ct);

    Task<bool> RemoveAsync(string name, CancellationToken ct);

    /// <summary>Sets a new password and lifts any lockout.</summary>
    Task<bool> SetPasswordAsync(string name, string password, CancellationToken ct);

    Task<bool> SetRoleAsync(string name, UserRole role, CancellationToken ct);

    Task<IReadOnlyList<User>> ListAsync(CancellationToken ct);

    Task<User?> GetAsync(long id, CancellationToken ct);

    Task<User?> GetByNameAsync(string name, CancellationToken ct);

    /// <summary>Checks a login, counting failures and locking the account per <see cref="LockoutPolicy"/>.</summary>
    Task<LoginOutcome> VerifyAsync(string name, string password, CancellationToken ct);
}

public enum TokenKind
{
    /// <summary>A video generator leasing render jobs.</summary>
    Worker,
    /// <summary>A script calling the API.</summary>
    Script,
}

/// <summary>A bearer token's record. The secret itself is never stored, only its SHA-256.</summary>
public sealed class ApiToken
{
    public long Id { get; init; }
    public string Name { get; init; } = "";
    public TokenKind Kind { get; init; }
    public long? UserId { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? LastUsedAt { get; init; }
    public DateTimeOffset? RevokedAt { get; init; }
    public bool IsRevoked => RevokedAt is not null;
}

/// <summary>A new token and its secret: show the secret once, it cannot be recovered.</summary>
public sealed record CreatedToken(ApiToken Token, string Secret);

public interface ITokenStore
{
    Task<CreatedToken> CreateAsync(string name, TokenKind kind, long? userId, CancellationToken ct);

    /// <summary>The token for a presented secret, or null when unknown or revoked. Records the use.</summary>
    Task<ApiToken?> VerifyAsync(string secret, CancellationToken ct);

    Task<IReadOnlyList<ApiToken>> ListAsync(CancellationToken ct);

    /// <summary>False when no such token (revoking twice is fine and returns true).</summary>
    Task<bool> RevokeAsync(long id, CancellationToken ct);

    /// <summary>
    /// Deletes every token called <paramref name="name"/> except <paramref name="keepId"/> (a service's tokens from its
    /// earlier runs, revoked at their stop or left behind by a killed process); returns how many.
    /// </summary>
    Task<int> DeleteOthersNamedAsync(string name, long keepId, CancellationToken ct);
}
