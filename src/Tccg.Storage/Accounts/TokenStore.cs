using System.Security.Cryptography;
using System.Text;
using Dapper;
using Tccg.Storage.Database;

namespace Tccg.Storage.Accounts;

/// <summary>Bearer tokens: 32 random bytes as <c>tccg_</c> + base64url, stored only as their SHA-256 (hex).</summary>
public sealed class TokenStore(TccgDatabase database, TimeProvider time) : ITokenStore
{
    public const string Prefix = "tccg_";
    private const string Columns = "id, name, kind, user_id, created_at, last_used_at, revoked_at";

    // last_used_at is written at most this often per token, so busy workers do not write on every call.
    private static readonly TimeSpan UseResolution = TimeSpan.FromMinutes(1);

    public async Task<CreatedToken> CreateAsync(string name, TokenKind kind, long? userId, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(name) || name.Length > 128 || name.Any(char.IsControl))
            throw new ArgumentException("A token name is 1 to 128 characters, without control characters.", nameof(name));
        var secret = Prefix + Base64Url(RandomNumberGenerator.GetBytes(32));
        var created = Db.Ms(time.GetUtcNow());
        await using var connection = await database.OpenAsync(ct);
        var id = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "INSERT INTO api_tokens (name, secret_hash, kind, user_id, created_at) VALUES (@name, @Hash, @Kind, @userId, @created) RETURNING id",
            new { name, Hash = HashOf(secret), Kind = Db.Name(kind), userId, created }, cancellationToken: ct));
        return new CreatedToken(new ApiToken { Id = id, Name = name, Kind = kind, UserId = userId, CreatedAt = Db.Time(created) }, secret);
    }

    public async Task<ApiToken?> VerifyAsync(string secret, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(secret) || !secret.StartsWith(Prefix, StringComparison.Ordinal))
            return null;
        await using var connection = await database.OpenAsync(ct);
        var token = await connection.QuerySingleOrDefaultAsync<ApiToken>(new CommandDefinition(
            $"SELECT {Columns} FROM api_tokens WHERE secret_hash = @Hash", new { Hash = HashOf(secret) }, cancellationToken: ct));
        if (token is null || token.IsRevoked)
            return null;
        var now = time.GetUtcNow();
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE api_tokens SET last_used_at = @Now WHERE id = @Id AND (last_used_at IS NULL OR last_used_at < @Stale)",
            new { token.Id, Now = Db.Ms(now), Stale = Db.Ms(now - UseResolution) }, cancellationToken: ct));
        return token;
    }

    public async Task<IReadOnlyList<ApiToken>> ListAsync(CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return (await connection.QueryAsync<ApiToken>(new CommandDefinition(
            $"SELECT {Columns} FROM api_tokens ORDER BY id", cancellationToken: ct))).AsList();
    }

    public async Task<bool> RevokeAsync(long id, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE api_tokens SET revoked_at = @Now WHERE id = @id AND revoked_at IS NULL",
            new { id, Now = Db.Ms(time.GetUtcNow()) }, cancellationToken: ct));
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT COUNT(*) FROM api_tokens WHERE id = @id", new { id }, cancellationToken: ct)) == 1;
    }

    public async Task<int> DeleteOthersNamedAsync(string name, long keepId, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM api_tokens WHERE name = @name AND id <> @keepId", new { name, keepId }, cancellationToken: ct));
    }

    internal static string HashOf(string secret) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    private static string Base64Url(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
