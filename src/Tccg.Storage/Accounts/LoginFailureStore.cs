using Dapper;
using Tccg.Storage.Database;

namespace Tccg.Storage.Accounts;

/// <summary>Failed-login counters in <c>login_failures</c>, so every server on the database sees the same counts.</summary>
public sealed class LoginFailureStore(TccgDatabase database) : ILoginFailureStore
{
    public async Task<DateTimeOffset?> BlockedUntilAsync(IReadOnlyCollection<string> keys, DateTimeOffset now, CancellationToken ct)
    {
        if (keys.Count == 0)
            return null;
        await using var connection = await database.OpenAsync(ct);
        var until = await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
            "SELECT MAX(blocked_until) FROM login_failures WHERE k IN @keys AND blocked_until > @Now",
            new { keys, Now = Db.Ms(now) }, cancellationToken: ct));
        return until is { } ms ? Db.Time(ms) : null;
    }

    public async Task<int> RecordFailureAsync(string key, DateTimeOffset now, TimeSpan forgetAfter, CancellationToken ct)
    {
        var args = new { key, Now = Db.Ms(now), Stale = Db.Ms(now - forgetAfter) };
        await using var connection = await database.OpenAsync(ct);
        // One statement counts, so concurrent failures are all counted. failures is assigned before last_at:
        // MariaDB evaluates SET left to right with new values, SQLite with old ones; this order reads the same on both.
        const string Count = "UPDATE login_failures SET failures = CASE WHEN last_at < @Stale THEN 1 ELSE failures + 1 END, last_at = @Now WHERE k = @key";
        if (await connection.ExecuteAsync(new CommandDefinition(Count, args, cancellationToken: ct)) == 0)
        {
            try
            {
                await connection.ExecuteAsync(new CommandDefinition(
                    "INSERT INTO login_failures (k, failures, last_at, blocked_until) VALUES (@key, 1, @Now, 0)", args, cancellationToken: ct));
            }
            catch (Exception e) when (database.Dialect.IsUniqueViolation(e))
            {
                // Another attempt inserted the row first: count on it.
                await connection.ExecuteAsync(new CommandDefinition(Count, args, cancellationToken: ct));
            }
        }
        return await connection.ExecuteScalarAsync<int>(new CommandDefinition(
            "SELECT failures FROM login_failures WHERE k = @key", args, cancellationToken: ct));
    }

    public async Task BlockAsync(string key, DateTimeOffset until, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE login_failures SET blocked_until = @Until WHERE k = @key AND blocked_until < @Until",
            new { key, Until = Db.Ms(until) }, cancellationToken: ct));
    }

    public async Task ClearAsync(string key, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition("DELETE FROM login_failures WHERE k = @key", new { key }, cancellationToken: ct));
    }

    public async Task<int> PruneAsync(DateTimeOffset before, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM login_failures WHERE last_at < @Before AND blocked_until < @Before",
            new { Before = Db.Ms(before) }, cancellationToken: ct));
    }
}
