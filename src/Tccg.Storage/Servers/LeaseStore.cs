using Dapper;
using Tccg.Storage.Database;

namespace Tccg.Storage.Servers;

/// <summary>
/// Named leases in the database: work that only one of several servers on one database may do at a time.
/// Taking or renewing is one conditional UPDATE (<c>holder = me OR expired</c>), so of two servers racing
/// for the same row exactly one changes it, on both providers.
/// </summary>
public interface ILeaseStore
{
    /// <summary>Takes or renews the lease <paramref name="name"/> for <paramref name="holder"/>; false while another holder's lease runs.</summary>
    Task<bool> TryAcquireAsync(string name, string holder, TimeSpan duration, CancellationToken ct);

    /// <summary>Gives the lease up (only when <paramref name="holder"/> holds it), so another server takes it at once.</summary>
    Task ReleaseAsync(string name, string holder, CancellationToken ct);

    /// <summary>The current holder and expiry, or null when the lease was never taken.</summary>
    Task<ServerLease?> GetAsync(string name, CancellationToken ct);
}

public sealed record ServerLease(string Name, string Holder, DateTimeOffset ExpiresAt, DateTimeOffset AcquiredAt);

public sealed class LeaseStore(TccgDatabase database, TimeProvider time) : ILeaseStore
{
    public async Task<bool> TryAcquireAsync(string name, string holder, TimeSpan duration, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var now = time.GetUtcNow();
        var args = new { name, holder, Now = Db.Ms(now), Expires = Db.Ms(now + duration) };
        // Keeps acquired_at when the holder renews; a new holder starts its own.
        var changed = await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE server_leases SET acquired_at = CASE WHEN holder = @holder THEN acquired_at ELSE @Now END, holder = @holder, expires_at = @Expires " +
            "WHERE name = @name AND (holder = @holder OR expires_at < @Now)", args, cancellationToken: ct));
        if (changed == 1)
            return true;
        try
        {
            return await connection.ExecuteAsync(new CommandDefinition(
                "INSERT INTO server_leases (name, holder, expires_at, acquired_at) VALUES (@name, @holder, @Expires, @Now)",
                args, cancellationToken: ct)) == 1;
        }
        catch (Exception e) when (database.Dialect.IsUniqueViolation(e))
        {
            return false; // the row exists and another holder's lease runs
        }
    }

    public async Task ReleaseAsync(string name, string holder, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE server_leases SET expires_at = 0 WHERE name = @name AND holder = @holder", new { name, holder }, cancellationToken: ct));
    }

    public async Task<ServerLease?> GetAsync(string name, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var row = await connection.QuerySingleOrDefaultAsync<(string Holder, long ExpiresAt, long AcquiredAt)>(new CommandDefinition(
            "SELECT holder, expires_at, acquired_at FROM server_leases WHERE name = @name", new { name }, cancellationToken: ct));
        return row.Holder is null
            ? null
            : new ServerLease(name, row.Holder, DateTimeOffset.FromUnixTimeMilliseconds(row.ExpiresAt), DateTimeOffset.FromUnixTimeMilliseconds(row.AcquiredAt));
    }
}

/// <summary>The ASP.NET Core Data Protection key ring's XML elements, kept in the database so every server shares them.</summary>
public interface IDataProtectionKeyStore
{
    Task<IReadOnlyList<string>> ListXmlAsync(CancellationToken ct);

    /// <summary>Adds an element; a second element of the same name is ignored (keys never change once written).</summary>
    Task AddAsync(string name, string xml, CancellationToken ct);
}

public sealed class DataProtectionKeyStore(TccgDatabase database, TimeProvider time) : IDataProtectionKeyStore
{
    public async Task<IReadOnlyList<string>> ListXmlAsync(CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return (await connection.QueryAsync<string>(new CommandDefinition(
            "SELECT xml FROM data_protection_keys ORDER BY id", cancellationToken: ct))).AsList();
    }

    public async Task AddAsync(string name, string xml, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        try
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "INSERT INTO data_protection_keys (name, xml, created_at) VALUES (@name, @xml, @At)",
                new { name, xml, At = Db.Ms(time.GetUtcNow()) }, cancellationToken: ct));
        }
        catch (Exception e) when (database.Dialect.IsUniqueViolation(e))
        {
        }
    }
}
