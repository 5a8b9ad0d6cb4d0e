using System.Data.Common;
using Dapper;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Tccg.Core.Configuration;

namespace Tccg.Storage.Database;

/// <summary>
/// Brings the database to the latest schema version. Hosts call <see cref="MigrateAsync"/> once at
/// start; running it again (or from two processes at once) is harmless.
/// </summary>
public sealed class MigrationRunner(TccgDatabase database, ILogger<MigrationRunner>? logger = null, TimeProvider? time = null)
{
    private readonly ILogger logger = logger ?? NullLogger<MigrationRunner>.Instance;
    private readonly TimeProvider time = time ?? TimeProvider.System;

    /// <summary>The schema version this build expects.</summary>
    public static int LatestVersion => Schema.Latest;

    /// <summary>Applies every migration not yet recorded in <c>schema_version</c>; returns how many ran.</summary>
    public async Task<int> MigrateAsync(CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var dialect = database.Dialect;
        if (database.Provider == DatabaseProvider.Sqlite)
        {
            // WAL lets readers work while the downloader writes; it is a property of the file.
            await connection.ExecuteAsync(new CommandDefinition("PRAGMA journal_mode = WAL", cancellationToken: ct));
        }
        else
        {
            var got = await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
                "SELECT GET_LOCK('tccg_migrate', 120)", cancellationToken: ct));
            if (got != 1)
                throw new InvalidOperationException("Another process is migrating the database; timed out waiting for it.");
        }

        try
        {
            await connection.ExecuteAsync(new CommandDefinition(dialect.Expand("""
                CREATE TABLE IF NOT EXISTS schema_version (
                  version INT NOT NULL PRIMARY KEY,
                  name VARCHAR(255) NOT NULL,
                  applied_at BIGINT NOT NULL
                ) {opts}
                """), cancellationToken: ct));

            var current = await connection.ExecuteScalarAsync<int?>(new CommandDefinition(
                "SELECT MAX(version) FROM schema_version", cancellationToken: ct)) ?? 0;
            if (current > Schema.Latest)
            {
                throw new InvalidOperationException(
                    $"The database is at schema version {current}, newer than this build of tccg understands ({Schema.Latest}). Upgrade tccg.");
            }

            var applied = 0;
            foreach (var migration in Schema.Migrations)
            {
                if (await ApplyAsync(connection, migration, ct))
                    applied++;
            }
            return applied;
        }
        finally
        {
            if (database.Provider == DatabaseProvider.MySql)
                await connection.ExecuteAsync(new CommandDefinition("SELECT RELEASE_LOCK('tccg_migrate')", cancellationToken: CancellationToken.None));
        }
    }

    /// <summary>The highest applied version, or 0 for an empty database.</summary>
    public async Task<int> CurrentVersionAsync(CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        try
        {
            return await connection.ExecuteScalarAsync<int?>(new CommandDefinition(
                "SELECT MAX(version) FROM schema_version", cancellationToken: ct)) ?? 0;
        }
        catch (DbException)
        {
            return 0;
        }
    }

    private async Task<bool> ApplyAsync(DbConnection connection, Migration migration, CancellationToken ct)
    {
        // SQLite DDL is transactional, MariaDB's is not: there every statement is written to be re-runnable.
        await using var tx = await connection.BeginTransactionAsync(ct);
        var done = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT COUNT(*) FROM schema_version WHERE version = @Version", new { migration.Version }, tx, cancellationToken: ct));
        if (done > 0)
            return false;

        if (logger.IsEnabled(LogLevel.Information))
            logger.LogInformation("Applying database migration {Version}: {Name}", migration.Version, migration.Name);
        foreach (var statement in migration.Statements(database.Dialect))
            await connection.ExecuteAsync(new CommandDefinition(database.Dialect.Expand(statement), transaction: tx, cancellationToken: ct));
        await connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO schema_version (version, name, applied_at) VALUES (@Version, @Name, @At)",
            new { migration.Version, migration.Name, At = Db.Ms(time.GetUtcNow()) }, tx, cancellationToken: ct));
        await tx.CommitAsync(ct);
        return true;
    }
}
