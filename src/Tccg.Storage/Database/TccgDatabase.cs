using System.Data;
using System.Data.Common;
using System.Globalization;
using Dapper;
using Microsoft.Data.Sqlite;
using MySqlConnector;
using Tccg.Core.Configuration;

namespace Tccg.Storage.Database;

/// <summary>
/// Opens connections to the clip-bin database (SQLite or MariaDB/MySQL). One instance per database;
/// registered as a singleton by <c>AddTccgStorage()</c>. Every store opens a short-lived connection
/// per call (both providers pool them).
/// </summary>
public sealed class TccgDatabase
{
    static TccgDatabase() => DapperSetup.Configure();

    public TccgDatabase(DatabaseProvider provider, string connectionString)
    {
        Dialect = SqlDialect.For(provider);
        ConnectionString = provider == DatabaseProvider.Sqlite
            ? PrepareSqlite(connectionString)
            : PrepareMySql(connectionString);
    }

    /// <summary>
    /// Set on every new SQLite connection. The page cache is small (8 MB a connection) and nothing is
    /// memory-mapped: hot pages live in the OS page cache, shared and outside the server's memory.
    /// </summary>
    private static readonly string SqlitePragmas =
        "PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL; PRAGMA busy_timeout = 30000; " + SqliteCachePragma(SqliteCacheKb) + " PRAGMA mmap_size = 0;";

    /// <summary>The page cache of a SQLite connection, in KiB (a bulk upsert borrows a larger one and gives it back).</summary>
    internal const int SqliteCacheKb = 8192;

    /// <summary>The pragma that gives a SQLite connection a page cache of <paramref name="kb"/> KiB.</summary>
    internal static string SqliteCachePragma(int kb) => string.Create(CultureInfo.InvariantCulture, $"PRAGMA cache_size = -{kb};");

    private static readonly object Marker = new();

    /// <summary>The physical SQLite connections (pooled handles) that already have <see cref="SqlitePragmas"/>.</summary>
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<SQLitePCL.sqlite3, object> Prepared = new();

    public SqlDialect Dialect { get; }

    public DatabaseProvider Provider => Dialect.Provider;

    public string ConnectionString { get; }

    /// <summary>An open connection; SQLite connections get foreign keys on and a busy timeout.</summary>
    public async Task<DbConnection> OpenAsync(CancellationToken ct)
    {
        DbConnection connection = Provider == DatabaseProvider.Sqlite
            ? new SqliteConnection(ConnectionString)
            : new MySqlConnection(ConnectionString);
        try
        {
            await connection.OpenAsync(ct);
            // The title keys' triggers (migration 15) call this when a clip is inserted or deleted, or its title, date, game
            // or views change. On every open: a connection handed back to the pool does not keep its functions.
            if (connection is SqliteConnection sqlite)
                sqlite.CreateFunction<string?, string>(Clips.TitleKeys.Function, static title => Clips.TitleKeys.Json(title), isDeterministic: true);
            // Pragmas are per physical connection: a pooled one comes back with them already set.
            if (connection is SqliteConnection { Handle: { } handle } && !Prepared.TryGetValue(handle, out _))
            {
                await connection.ExecuteAsync(new CommandDefinition(SqlitePragmas, cancellationToken: ct));
                Prepared.AddOrUpdate(handle, Marker);
            }
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Gives a SQLite connection that borrowed a larger page cache its own back. If that fails, the connection leaves the
    /// pool (it would otherwise keep the larger cache, its pragmas counted as set), and the caller's own error, if any,
    /// is the one it sees.
    /// </summary>
    internal async Task RestoreSqliteCacheAsync(DbConnection connection)
    {
        try
        {
            await connection.ExecuteAsync(new CommandDefinition(SqliteCachePragma(SqliteCacheKb), cancellationToken: CancellationToken.None));
        }
        catch (DbException)
        {
            if (connection is SqliteConnection sqlite)
                SqliteConnection.ClearPool(sqlite);
        }
    }

    /// <summary>True when a connection opens and answers a trivial query (for readiness checks).</summary>
    public async Task<bool> CanConnectAsync(CancellationToken ct)
    {
        try
        {
            await using var connection = await OpenAsync(ct);
            return await connection.ExecuteScalarAsync<long>(new CommandDefinition("SELECT 1", cancellationToken: ct)) == 1;
        }
        catch (DbException)
        {
            return false;
        }
    }

    /// <summary>Opens a connection and begins a transaction on it; dispose both.</summary>
    internal async Task<(DbConnection Connection, DbTransaction Transaction)> BeginAsync(CancellationToken ct, IsolationLevel level = IsolationLevel.Unspecified)
    {
        var connection = await OpenAsync(ct);
        try
        {
            var transaction = await connection.BeginTransactionAsync(level, ct);
            return (connection, transaction);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    private static string PrepareSqlite(string connectionString)
    {
        var builder = new SqliteConnectionStringBuilder(connectionString);
        var file = builder.DataSource;
        if (file.Length > 0 && file != ":memory:" && builder.Mode is not SqliteOpenMode.Memory)
        {
            var dir = Path.GetDirectoryName(Path.GetFullPath(file));
            if (!string.IsNullOrEmpty(dir))
                Directory.CreateDirectory(dir);
        }
        if (!connectionString.Contains("Default Timeout", StringComparison.OrdinalIgnoreCase))
            builder.DefaultTimeout = 60;
        return builder.ToString();
    }

    private static string PrepareMySql(string connectionString)
    {
        // MySqlConnector always talks utf8mb4; the tables declare it too (SqlDialect.TableOptions).
        var builder = new MySqlConnectionStringBuilder(connectionString);
        return builder.ConnectionString;
    }
}

/// <summary>Time and enum conventions shared by every store.</summary>
internal static class Db
{
    /// <summary>Every time is stored as UTC milliseconds since the Unix epoch in a 64-bit integer.</summary>
    public static long Ms(DateTimeOffset time) => time.ToUnixTimeMilliseconds();

    public static long? Ms(DateTimeOffset? time) => time?.ToUnixTimeMilliseconds();

    public static DateTimeOffset Time(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);

    /// <summary>Enums are stored as lower-case names ("downloaded", "admin", "queued").</summary>
    public static string Name<T>(T value) where T : struct, Enum => value.ToString().ToLowerInvariant();

    public static T Parse<T>(string value) where T : struct, Enum => Enum.Parse<T>(value, ignoreCase: true);

    public static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}

/// <summary>Dapper settings for this project: snake_case columns map to PascalCase members; times read from integer ms.</summary>
internal static class DapperSetup
{
    private static int configured;

    public static void Configure()
    {
        if (Interlocked.Exchange(ref configured, 1) == 1)
            return;
        DefaultTypeMap.MatchNamesWithUnderscores = true;
        SqlMapper.AddTypeHandler(new UnixMsHandler());
        SqlMapper.AddTypeHandler(new NullableUnixMsHandler());
    }

    // Dapper uses these when reading. Parameters are always passed as long (Db.Ms): Dapper sends a
    // DateTimeOffset parameter natively and would bypass the handler.
    private sealed class UnixMsHandler : SqlMapper.TypeHandler<DateTimeOffset>
    {
        public override void SetValue(IDbDataParameter parameter, DateTimeOffset value)
        {
            parameter.DbType = DbType.Int64;
            parameter.Value = value.ToUnixTimeMilliseconds();
        }

        public override DateTimeOffset Parse(object value) => ToTime(value);
    }

    private sealed class NullableUnixMsHandler : SqlMapper.TypeHandler<DateTimeOffset?>
    {
        public override void SetValue(IDbDataParameter parameter, DateTimeOffset? value)
        {
            parameter.DbType = DbType.Int64;
            parameter.Value = value is { } v ? v.ToUnixTimeMilliseconds() : DBNull.Value;
        }

        public override DateTimeOffset? Parse(object value) => value is null or DBNull ? null : ToTime(value);
    }

    private static DateTimeOffset ToTime(object value) => value switch
    {
        DateTimeOffset time => time,
        DateTime time => new DateTimeOffset(DateTime.SpecifyKind(time, DateTimeKind.Utc)),
        _ => DateTimeOffset.FromUnixTimeMilliseconds(Convert.ToInt64(value, CultureInfo.InvariantCulture)),
    };
}
