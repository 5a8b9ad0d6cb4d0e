using Dapper;
using Tccg.Storage.Database;

namespace Tccg.Storage.Accounts;

public sealed class UserStore(TccgDatabase database, TimeProvider time, LockoutPolicy? lockout = null) : IUserStore
{
    private const string Columns = "id, name, role, created_at, failed_logins, locked_until";

    // Verified against when the user does not exist, so unknown names take as long as wrong passwords.
    private static readonly Lazy<string> DummyHash = new(() => PasswordHasher.Hash("not a password"));

    private readonly LockoutPolicy lockout = lockout ?? LockoutPolicy.Default;

    public async Task<User> AddAsync(string name, string password, UserRole role, CancellationToken ct)
    {
        ValidateName(name);
        ValidatePassword(password);
        var hash = PasswordHasher.Hash(password);
        var created = Db.Ms(time.GetUtcNow());
        await using var connection = await database.OpenAsync(ct);
        try
        {
            var id = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                "INSERT INTO users (name, password_hash, role, created_at, failed_logins) VALUES (@name, @hash, @Role, @created, 0) RETURNING id",
                new { name, hash, Role = Db.Name(role), created }, cancellationToken: ct));
            return new User { Id = id, Name = name, Role = role, CreatedAt = Db.Time(created) };
        }
        catch (Exception e) when (database.Dialect.IsUniqueViolation(e))
        {
            throw new DuplicateInStoreException($"User {name}", e);
        }
    }

    public async Task<bool> RemoveAsync(string name, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return await connection.ExecuteAsync(new CommandDefinition("DELETE FROM users WHERE name = @name", new { name }, cancellationToken: ct)) == 1;
    }

    public async Task<bool> SetPasswordAsync(string name, string password, CancellationToken ct)
    {
        ValidatePassword(password);
        var hash = PasswordHasher.Hash(password);
        await using var connection = await database.OpenAsync(ct);
        return await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE users SET password_hash = @hash, failed_logins = 0, locked_until = NULL WHERE name = @name",
            new { name, hash }, cancellationToken: ct)) == 1;
    }

    public async Task<bool> SetRoleAsync(string name, UserRole role, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE users SET role = @Role WHERE name = @name", new { name, Role = Db.Name(role) }, cancellationToken: ct)) == 1;
    }

    public async Task<IReadOnlyList<User>> ListAsync(CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return (await connection.QueryAsync<User>(new CommandDefinition(
            $"SELECT {Columns} FROM users ORDER BY name", cancellationToken: ct))).AsList();
    }

    public async Task<User?> GetAsync(long id, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<User>(new CommandDefinition(
            $"SELECT {Columns} FROM users WHERE id = @id", new { id }, cancellationToken: ct));
    }

    public async Task<User?> GetByNameAsync(string name, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<User>(new CommandDefinition(
            $"SELECT {Columns} FROM users WHERE name = @name", new { name }, cancellationToken: ct));
    }

    public async Task<LoginOutcome> VerifyAsync(string name, string password, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var row = await connection.QuerySingleOrDefaultAsync<UserWithHash>(new CommandDefinition(
            $"SELECT {Columns}, password_hash FROM users WHERE name = @name", new { name }, cancellationToken: ct));
        if (row is null)
        {
            PasswordHasher.Verify(password, DummyHash.Value);
            return new LoginOutcome(LoginResult.UnknownUser, null);
        }

        var now = time.GetUtcNow();
        if (row.LockedUntil is { } until && until > now)
            return new LoginOutcome(LoginResult.LockedOut, null, until);

        if (PasswordHasher.Verify(password, row.PasswordHash))
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE users SET failed_logins = 0, locked_until = NULL WHERE id = @Id", new { row.Id }, cancellationToken: ct));
            if (PasswordHasher.NeedsRehash(row.PasswordHash))
            {
                await connection.ExecuteAsync(new CommandDefinition(
                    "UPDATE users SET password_hash = @Hash WHERE id = @Id", new { row.Id, Hash = PasswordHasher.Hash(password) }, cancellationToken: ct));
            }
            var user = await connection.QuerySingleAsync<User>(new CommandDefinition(
                $"SELECT {Columns} FROM users WHERE id = @Id", new { row.Id }, cancellationToken: ct));
            return new LoginOutcome(LoginResult.Ok, user);
        }

        // One statement, so concurrent wrong guesses are all counted. locked_until is assigned first:
        // MariaDB evaluates SET left to right with new values, SQLite with old ones; this order reads the same on both.
        var lockUntil = now + lockout.LockFor;
        await connection.ExecuteAsync(new CommandDefinition("""
            UPDATE users SET
              locked_until = CASE WHEN failed_logins + 1 >= @Max THEN @Until ELSE locked_until END,
              failed_logins = CASE WHEN failed_logins + 1 >= @Max THEN 0 ELSE failed_logins + 1 END
            WHERE id = @Id
            """, new { row.Id, Max = lockout.MaxFailures, Until = Db.Ms(lockUntil) }, cancellationToken: ct));
        var lockedUntil = await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
            "SELECT locked_until FROM users WHERE id = @Id", new { row.Id }, cancellationToken: ct));
        return lockedUntil is { } ms && ms > Db.Ms(now)
            ? new LoginOutcome(LoginResult.LockedOut, null, Db.Time(ms))
            : new LoginOutcome(LoginResult.WrongPassword, null);
    }

    private static void ValidateName(string name)
    {
        if (string.IsNullOrWhiteSpace(name) || name.Length > 64 || name.Trim() != name || name.Any(char.IsControl))
            throw new ArgumentException("A user name is 1 to 64 characters, without leading or trailing spaces or control characters.", nameof(name));
    }

    private static void ValidatePassword(string password)
    {
        if (string.IsNullOrEmpty(password) || password.Length < 8)
            throw new ArgumentException("A password needs at least 8 characters.", nameof(password));
    }

    private sealed class UserWithHash
    {
        public long Id { get; init; }
        public DateTimeOffset? LockedUntil { get; init; }
        public string PasswordHash { get; init; } = "";
    }
}
