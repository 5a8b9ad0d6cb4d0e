using Dapper;
using Tccg.Storage.Database;

namespace Tccg.Storage.Accounts;

public sealed class UserStore(TccgDatabase database, TimeProvider time) : IUserStore
{
    private const string Columns = "id, name, role, created_at, security_stamp";

    // Verified against when the user does not exist, so unknown names take as long as wrong passwords.
    private static readonly Lazy<string> DummyHash = new(() => PasswordHasher.Hash("not a password"));

    /// <summary>A fresh security stamp: 128 random bits as hex.</summary>
    internal static string NewStamp() => Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));

    public async Task<User> AddAsync(string name, string password, UserRole role, CancellationToken ct)
    {
        ValidateName(name);
        ValidatePassword(password);
        var hash = PasswordHasher.Hash(password);
        var created = Db.Ms(time.GetUtcNow());
        var stamp = NewStamp();
        await using var connection = await database.OpenAsync(ct);
        try
        {
            var id = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                "INSERT INTO users (name, password_hash, role, created_at, failed_logins, security_stamp) VALUES (@name, @hash, @Role, @created, 0, @stamp) RETURNING id",
                new { name, hash, Role = Db.Name(role), created, stamp }, cancellationToken: ct));
            return new User { Id = id, Name = name, Role = role, CreatedAt = Db.Time(created), SecurityStamp = stamp };
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
            "UPDATE users SET password_hash = @hash, security_stamp = @stamp WHERE name = @name",
            new { name, hash, stamp = NewStamp() }, cancellationToken: ct)) == 1;
    }

    public async Task<bool> SetRoleAsync(string name, UserRole role, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        // The stamp is computed before role is assigned (MariaDB evaluates SET left to right with new values).
        return await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE users SET security_stamp = CASE WHEN role = @Role THEN security_stamp ELSE @stamp END, role = @Role WHERE name = @name",
            new { name, Role = Db.Name(role), stamp = NewStamp() }, cancellationToken: ct)) == 1;
    }

    public async Task<bool> EndSessionsAsync(string name, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE users SET security_stamp = @stamp WHERE name = @name", new { name, stamp = NewStamp() }, cancellationToken: ct)) == 1;
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

        if (!PasswordHasher.Verify(password, row.PasswordHash))
            return new LoginOutcome(LoginResult.WrongPassword, null);

        if (PasswordHasher.NeedsRehash(row.PasswordHash))
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE users SET password_hash = @Hash WHERE id = @Id", new { row.Id, Hash = PasswordHasher.Hash(password) }, cancellationToken: ct));
        }
        return new LoginOutcome(LoginResult.Ok, row.ToUser());
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
        public string Name { get; init; } = "";
        public UserRole Role { get; init; }
        public DateTimeOffset CreatedAt { get; init; }
        public string SecurityStamp { get; init; } = "";
        public string PasswordHash { get; init; } = "";

        public User ToUser() => new() { Id = Id, Name = Name, Role = Role, CreatedAt = CreatedAt, SecurityStamp = SecurityStamp };
    }
}
