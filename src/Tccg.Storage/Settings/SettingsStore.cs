using Dapper;
using Tccg.Storage.Database;

namespace Tccg.Storage.Settings;

/// <summary>
/// Named settings changed at run time (from the Admin page or the CLI) that override configuration without a
/// restart, e.g. <c>twitch.gql_client_id</c>. Values are text (JSON where structured).
/// </summary>
public interface ISettingsStore
{
    /// <summary>Every stored setting whose name starts with <paramref name="prefix"/>.</summary>
    Task<IReadOnlyDictionary<string, string>> GetAllAsync(string prefix, CancellationToken ct);

    Task<string?> GetAsync(string name, CancellationToken ct);

    /// <summary>Stores <paramref name="value"/>, or removes the setting when it is null.</summary>
    Task SetAsync(string name, string? value, CancellationToken ct);
}

public sealed class SettingsStore(TccgDatabase database, TimeProvider time) : ISettingsStore
{
    public async Task<IReadOnlyDictionary<string, string>> GetAllAsync(string prefix, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var rows = await connection.QueryAsync<(string Name, string Value)>(new CommandDefinition(
            "SELECT name, value FROM settings WHERE name LIKE @Pattern", new { Pattern = prefix.Replace("%", "", StringComparison.Ordinal) + "%" },
            cancellationToken: ct));
        return rows.ToDictionary(r => r.Name, r => r.Value, StringComparer.Ordinal);
    }

    public async Task<string?> GetAsync(string name, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<string>(new CommandDefinition(
            "SELECT value FROM settings WHERE name = @name", new { name }, cancellationToken: ct));
    }

    public async Task SetAsync(string name, string? value, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (name.Length > 128)
            throw new ArgumentException("A setting name is at most 128 characters.", nameof(name));
        await using var connection = await database.OpenAsync(ct);
        if (value is null)
        {
            await connection.ExecuteAsync(new CommandDefinition("DELETE FROM settings WHERE name = @name", new { name }, cancellationToken: ct));
            return;
        }
        await connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO settings (name, value, updated_at) VALUES (@name, @value, @now) "
            + database.Dialect.UpsertTail("name", ["value", "updated_at"]),
            new { name, value, now = Db.Ms(time.GetUtcNow()) }, cancellationToken: ct));
    }
}
