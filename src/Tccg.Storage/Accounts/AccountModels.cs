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

    /// <summary>
    /// A random value replaced whenever the user's sessions must end (password or role change, logout, "log out
    /// everywhere"). A browser session carries the stamp it was issued with and is refused once they differ.
    /// </summary>
    public string SecurityStamp { get; init; } = "";

}

public enum LoginResult
{
    Ok,
    UnknownUser,
    WrongPassword,
}

public sealed record LoginOutcome(LoginResult Result, User? User)
{
    public bool Succeeded => Result == LoginResult.Ok;
}

public interface IUserStore
{
    /// <exception cref="DuplicateInStoreException">The name is taken.</exception>
    Task<User> AddAsync(string name, string password, UserRole role, CancellationToken ct);

    Task<bool> RemoveAsync(string name, CancellationToken ct);

    /// <summary>Sets a new password and ends the user's sessions (a new security stamp).</summary>
    Task<bool> SetPasswordAsync(string name, string password, CancellationToken ct);

    /// <summary>Changes the role; a real change ends the user's sessions (a new security stamp).</summary>
    Task<bool> SetRoleAsync(string name, UserRole role, CancellationToken ct);

    /// <summary>Ends every browser session of the user (a new security stamp); false when no such user.</summary>
    Task<bool> EndSessionsAsync(string name, CancellationToken ct);

    Task<IReadOnlyList<User>> ListAsync(CancellationToken ct);

    Task<User?> GetAsync(long id, CancellationToken ct);

    Task<User?> GetByNameAsync(string name, CancellationToken ct);

    /// <summary>
    /// Checks a name and password. An unknown name costs a password hash too, so it takes as long as a wrong
    /// password. Throttling repeated failures is the caller's job (<see cref="ILoginFailureStore"/>).
    /// </summary>
    Task<LoginOutcome> VerifyAsync(string name, string password, CancellationToken ct);
}

/// <summary>
/// Failed-login counters shared by every server on the database, under opaque keys chosen by the caller
/// (e.g. a hash of account and source address). A counter is forgotten when its last failure is older
/// than the window given to <see cref="RecordFailureAsync"/>.
/// </summary>
public interface ILoginFailureStore
{
    /// <summary>The latest <c>blocked_until</c> among <paramref name="keys"/> that is after <paramref name="now"/>, if any.</summary>
    Task<DateTimeOffset?> BlockedUntilAsync(IReadOnlyCollection<string> keys, DateTimeOffset now, CancellationToken ct);

    /// <summary>Counts one failure (atomically) and returns the count, restarting at 1 after <paramref name="forgetAfter"/> without failures.</summary>
    Task<int> RecordFailureAsync(string key, DateTimeOffset now, TimeSpan forgetAfter, CancellationToken ct);

    /// <summary>Refuses attempts under <paramref name="key"/> until <paramref name="until"/> (never shortens an existing block).</summary>
    Task BlockAsync(string key, DateTimeOffset until, CancellationToken ct);

    Task ClearAsync(string key, CancellationToken ct);

    /// <summary>Deletes counters whose last failure is before <paramref name="before"/> and that block nothing any more.</summary>
    Task<int> PruneAsync(DateTimeOffset before, CancellationToken ct);
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
