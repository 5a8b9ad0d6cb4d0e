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
/// per call (both providers pool them); hot reads borrow a SQLite connection that keeps its prepared statements
/// (<see cref="OpenForReadsAsync"/>).
/// </summary>
public sealed class TccgDatabase : IDisposable
{
    static TccgDatabase()
    {
        DapperSetup.Configure();
        // Before SQLite starts (its first connection in this process; later, SQLite refuses and keeps its defaults): a
        // connection is only ever used by one caller at a time (a pooled one, or a kept read connection, is handed to one
        // caller), so SQLite needs no mutex of its own around each call (multi-thread mode), nor one global mutex around
        // every allocation for its memory statistics (never read here). Both were a few percent of a clip page's CPU,
        // and the global one is shared by every request at once.
        SQLitePCL.Batteries_V2.Init();
        _ = SQLitePCL.raw.sqlite3_config(SQLitePCL.raw.SQLITE_CONFIG_MULTITHREAD);
        _ = SQLitePCL.raw.sqlite3_config(SQLitePCL.raw.SQLITE_CONFIG_MEMSTATUS, 0);
    }

    public TccgDatabase(DatabaseProvider provider, string connectionString)
    {
        Dialect = SqlDialect.For(provider);
        ConnectionString = provider == DatabaseProvider.Sqlite
            ? PrepareSqlite(connectionString)
            : PrepareMySql(connectionString);
        keepReaders = provider == DatabaseProvider.Sqlite && new SqliteConnectionStringBuilder(ConnectionString).Pooling;
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
    /// A connection for reads whose statements stay prepared from one call to the next: with SQLite, one of a few connections
    /// kept open, each with the statements of its last <see cref="ReadLease.MaxStatements"/> SQL texts. Microsoft.Data.Sqlite prepares the SQL
    /// of every new command again (dotnet/efcore#14044), and planning a clip page against the clips' many indexes cost 0.1–0.3
    /// ms of its 0.5–1 ms. With MariaDB (or SQLite without pooling) it is an ordinary connection. Dispose the lease to hand
    /// it back; reads only (no transactions).
    /// </summary>
    public async Task<ReadLease> OpenForReadsAsync(CancellationToken ct)
    {
        if (keepReaders && !disposed && idleReaders.TryPop(out var kept))
        {
            kept.HandOut();
            return kept;
        }
        var connection = await OpenAsync(ct);
        return new ReadLease(connection, keepReaders && !disposed ? this : null);
    }

    /// <summary>Takes back a SQLite read connection (<see cref="OpenForReadsAsync"/>); closes it when enough are kept or this is disposed.</summary>
    internal void Return(ReadLease lease)
    {
        if (!disposed && lease.Connection.State == ConnectionState.Open && idleReaders.Count < MaxIdleReaders)
        {
            idleReaders.Push(lease);
            if (disposed)
                Dispose(); // it ran meanwhile and may have missed this one
            return;
        }
        lease.Close();
    }

    /// <summary>Closes the read connections kept open (<see cref="OpenForReadsAsync"/>).</summary>
    public void Dispose()
    {
        disposed = true;
        while (idleReaders.TryPop(out var lease))
            lease.Close();
    }

    /// <summary>At most this many read connections are kept open, idle (as many as requests read at once, and a few more).</summary>
    private static readonly int MaxIdleReaders = Math.Max(4, Environment.ProcessorCount * 2);

    private readonly bool keepReaders;
    private readonly System.Collections.Concurrent.ConcurrentStack<ReadLease> idleReaders = new();
    private volatile bool disposed;

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

/// <summary>
/// A connection for reads (<see cref="TccgDatabase.OpenForReadsAsync"/>) and its statements, kept prepared by SQL text (those
/// of the most recently used <see cref="MaxStatements"/> texts). Used by one caller at a time; dispose it to hand it back.
/// </summary>
public sealed class ReadLease : IAsyncDisposable
{
    /// <summary>The most statements a kept connection holds prepared; the least recently used is finalized first.</summary>
    public const int MaxStatements = 48;

    private readonly TccgDatabase? owner;
    private readonly Dictionary<string, LinkedListNode<Kept>> bySql = new(StringComparer.Ordinal);
    private readonly LinkedList<Kept> recent = new();

    internal ReadLease(DbConnection connection, TccgDatabase? owner)
    {
        Connection = connection;
        this.owner = owner;
    }

    public DbConnection Connection { get; }

    /// <summary>How many SQL texts this connection holds prepared.</summary>
    public int PreparedCount => recent.Count;

    /// <summary>
    /// The command for <paramref name="sql"/> with <paramref name="parameters"/> bound (by name, as Dapper names them): the
    /// one kept for this text, its statement still prepared, or a new one. Only values added with
    /// <see cref="DynamicParameters.Add(string, object?, System.Data.DbType?, ParameterDirection?, int?)"/> are bound, as
    /// they are (not a template object's, and without Dapper's type handlers: pass times as <c>Db.Ms</c>). Read its reader
    /// to the end or dispose it before the lease.
    /// </summary>
    public DbCommand Command(string sql, DynamicParameters parameters)
    {
        var kept = Keep(sql, bySql.GetValueOrDefault(sql));
        if (kept.Command is { } command)
        {
            command.Parameters.Clear();
        }
        else
        {
            command = kept.Command = Connection.CreateCommand();
            command.CommandText = sql;
        }
        foreach (var name in parameters.ParameterNames)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = "@" + name;
            parameter.Value = parameters.Get<object?>(name) ?? DBNull.Value;
            command.Parameters.Add(parameter);
        }
        return command;
    }

    /// <summary>
    /// Runs <paramref name="sql"/> (one statement) with <paramref name="parameters"/> bound by name as <see cref="Command"/>
    /// names them, and reads every row with <paramref name="read"/>. With SQLite the statement is stepped through
    /// SQLitePCLRaw, the library under Microsoft.Data.Sqlite, and its values read by <see cref="SqliteColumns"/> (SQLite's
    /// own getters, without the data reader's extra call a value to ask the column's type, nor SQLitePCLRaw's handle
    /// reference and switch out of managed code a call). The statement stays prepared beside the command of the same text.
    /// Values bound: null, text, whole numbers, booleans and numbers that are not NaN (anything else is refused); a locked
    /// database is waited for as long as the connection's <c>busy_timeout</c> (30 s), without the data reader's own
    /// retries. Any other database, or SQLite where <see cref="SqliteColumns.Available"/> is false, reads through its data
    /// reader.
    /// </summary>
    public async Task<List<T>> RowsAsync<T>(string sql, DynamicParameters parameters, Func<SqlRow, T> read, int capacity, CancellationToken ct)
    {
        var rows = new List<T>(capacity);
        if (Connection is not SqliteConnection { Handle: { } db } || !SqliteColumns.Available)
        {
            await using var reader = await Command(sql, parameters).ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
                rows.Add(read(new SqlRow(reader)));
            return rows;
        }

        // Prepared before it is kept: SQL that fails to prepare leaves nothing behind (and evicts nothing).
        var known = bySql.GetValueOrDefault(sql);
        var statement = known?.Value.Statement ?? Prepare(db, sql);
        Keep(sql, known).Statement = statement;
        var held = false;
        try
        {
            Bind(db, statement, parameters);
            // The rows read the statement's values through its raw handle, held here for the whole loop.
            statement.DangerousAddRef(ref held);
            var handle = statement.DangerousGetHandle();
            while (true)
            {
                ct.ThrowIfCancellationRequested();
                var rc = SQLitePCL.raw.sqlite3_step(statement);
                if (rc == SQLitePCL.raw.SQLITE_DONE)
                    break;
                if (rc != SQLitePCL.raw.SQLITE_ROW)
                    SqliteException.ThrowExceptionForRC(rc, db);
                rows.Add(read(new SqlRow(statement, handle)));
            }
        }
        finally
        {
            try
            {
                _ = SQLitePCL.raw.sqlite3_reset(statement);
            }
            finally
            {
                if (held)
                    statement.DangerousRelease();
            }
        }
        return rows;
    }

    private static SQLitePCL.sqlite3_stmt Prepare(SQLitePCL.sqlite3 db, string sql)
    {
        var rc = SQLitePCL.raw.sqlite3_prepare_v3(db, sql, SQLitePCL.raw.SQLITE_PREPARE_PERSISTENT, out var statement, out var tail);
        if (rc != SQLitePCL.raw.SQLITE_OK)
        {
            statement.Dispose();
            SqliteException.ThrowExceptionForRC(rc, db);
        }
        if (statement.IsInvalid)
        {
            // SQL of only whitespace or comments prepares to no statement: a handle that must not be stepped.
            statement.Dispose();
            throw new ArgumentException("The SQL holds no statement.", nameof(sql));
        }
        if (!string.IsNullOrWhiteSpace(tail))
        {
            statement.Dispose();
            throw new ArgumentException("Only one statement can be read as rows.", nameof(sql));
        }
        return statement;
    }

    /// <summary>Binds each value by name; every parameter of the statement must have one (as Microsoft.Data.Sqlite checks).</summary>
    private static void Bind(SQLitePCL.sqlite3 db, SQLitePCL.sqlite3_stmt statement, DynamicParameters parameters)
    {
        _ = SQLitePCL.raw.sqlite3_clear_bindings(statement);
        var bound = 0;
        foreach (var name in parameters.ParameterNames)
        {
            var index = SQLitePCL.raw.sqlite3_bind_parameter_index(statement, "@" + name);
            if (index == 0)
                continue; // not in this SQL: ignored, as the data reader's command ignores it
            var value = parameters.Get<object?>(name);
            var rc = value switch
            {
                null or DBNull => SQLitePCL.raw.sqlite3_bind_null(statement, index),
                string text => SQLitePCL.raw.sqlite3_bind_text(statement, index, text),
                long n => SQLitePCL.raw.sqlite3_bind_int64(statement, index, n),
                int or short or byte or sbyte or ushort or uint => SQLitePCL.raw.sqlite3_bind_int64(statement, index, Convert.ToInt64(value, CultureInfo.InvariantCulture)),
                bool b => SQLitePCL.raw.sqlite3_bind_int64(statement, index, b ? 1 : 0),
                double d when !double.IsNaN(d) => SQLitePCL.raw.sqlite3_bind_double(statement, index, d),
                float f when !float.IsNaN(f) => SQLitePCL.raw.sqlite3_bind_double(statement, index, f),
                var other => throw new ArgumentException($"Parameter @{name}: {other} ({other.GetType().Name}) is not bound here (text, a whole number, or a number that is not NaN).", nameof(parameters)),
            };
            if (rc != SQLitePCL.raw.SQLITE_OK)
                SqliteException.ThrowExceptionForRC(rc, db);
            bound++;
        }
        var count = SQLitePCL.raw.sqlite3_bind_parameter_count(statement);
        if (bound != count)
        {
            var missing = Enumerable.Range(1, count).Select(i => SQLitePCL.raw.sqlite3_bind_parameter_name(statement, i).utf8_to_string())
                .Where(n => n is not null && !parameters.ParameterNames.Contains(n[1..], StringComparer.Ordinal));
            throw new InvalidOperationException($"Must add values for the following parameters: {string.Join(", ", missing)}");
        }
    }

    /// <summary>
    /// The entry kept for <paramref name="sql"/> (<paramref name="node"/>, as the caller found it, or a new one), now the most
    /// recent; the least recent is finalized past <see cref="MaxStatements"/>. The text is looked up once a call.
    /// </summary>
    private Kept Keep(string sql, LinkedListNode<Kept>? node)
    {
        if (node is not null)
        {
            recent.Remove(node);
            recent.AddFirst(node);
            return node.Value;
        }
        var kept = new Kept(sql);
        bySql[sql] = recent.AddFirst(kept);
        if (recent.Count > MaxStatements)
        {
            var last = recent.Last!;
            recent.RemoveLast();
            bySql.Remove(last.Value.Sql);
            last.Value.Dispose();
        }
        return kept;
    }

    /// <summary>Set when handed back, cleared when handed out again: a second dispose by the same holder does nothing.</summary>
    private int returned;

    internal void HandOut() => Volatile.Write(ref returned, 0);

    /// <summary>Hands the lease back (or closes it). Never close or dispose <see cref="Connection"/> itself: its statements belong to the lease.</summary>
    public ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref returned, 1) == 1)
            return ValueTask.CompletedTask;
        if (owner is not null)
            owner.Return(this);
        else
            Close();
        return ValueTask.CompletedTask;
    }

    /// <summary>Finalizes the statements and closes the connection.</summary>
    internal void Close()
    {
        foreach (var kept in recent)
            kept.Dispose();
        recent.Clear();
        bySql.Clear();
        Connection.Dispose();
    }

    /// <summary>One SQL text kept prepared: as a command (<see cref="Command"/>), as a SQLite statement (<see cref="RowsAsync"/>), or both.</summary>
    private sealed class Kept(string sql) : IDisposable
    {
        public string Sql { get; } = sql;

        public DbCommand? Command { get; set; }

        public SQLitePCL.sqlite3_stmt? Statement { get; set; }

        public void Dispose()
        {
            Command?.Dispose();
            Statement?.Dispose();
        }
    }
}

/// <summary>
/// The current row of <see cref="ReadLease.RowsAsync"/>, read by ordinal: from a SQLite statement (SQLite's getters, through
/// <see cref="SqliteColumns"/>) or from a data reader. Valid only inside the callback: a row kept past it reads whatever its
/// statement holds later (no row, or a later call's), and refuses once the statement is finalized.
/// </summary>
public readonly unsafe struct SqlRow
{
    private readonly SQLitePCL.sqlite3_stmt? owner;
    private readonly nint statement;
    private readonly DbDataReader? reader;

    internal SqlRow(SQLitePCL.sqlite3_stmt owner, nint statement)
    {
        this.owner = owner;
        this.statement = statement;
    }

    internal SqlRow(DbDataReader reader) => this.reader = reader;

    /// <summary>The statement's handle while it is alive (a default row has neither a statement nor a reader).</summary>
    private nint Statement => owner is { IsClosed: false }
        ? statement
        : throw new InvalidOperationException("This row is not a live row of RowsAsync (read it inside the callback).");

    public bool IsDBNull(int i) => reader is null ? IsNull(Statement, i) : reader.IsDBNull(i);

    /// <summary>SQLite reads a column past the last as NULL; the data reader throws, and so does this.</summary>
    private static bool IsNull(nint statement, int i) =>
        SqliteColumns.Type(statement, i) == SQLitePCL.raw.SQLITE_NULL
        && ((uint)i < (uint)SqliteColumns.Count(statement)
            ? true
            : throw new ArgumentOutOfRangeException(nameof(i), i, "There is no column at this ordinal."));

    public long GetInt64(int i) => reader is null ? NotNull(i, SqliteColumns.Int64(Statement, i)) : reader.GetInt64(i);

    public int GetInt32(int i) => reader is null ? checked((int)GetInt64(i)) : reader.GetInt32(i);

    public double GetDouble(int i) => reader is null ? NotNull(i, SqliteColumns.Double(Statement, i)) : reader.GetDouble(i);

    public string GetString(int i)
    {
        if (reader is not null)
            return reader.GetString(i);
        var handle = Statement;
        // A value stored as text is read where it lies; any other is converted by SQLite (which allocates: the getter
        // that may, called the usual way). The text first, then its length in bytes (the order SQLite asks for).
        var text = SqliteColumns.Type(handle, i) switch
        {
            SQLitePCL.raw.SQLITE_TEXT => SqliteColumns.Text(handle, i),
            SQLitePCL.raw.SQLITE_NULL when IsNull(handle, i) => throw Null(i),
            _ => SqliteColumns.TextConverted(handle, i),
        };
        return System.Text.Encoding.UTF8.GetString(text, SqliteColumns.Bytes(handle, i));
    }

    /// <summary>
    /// A zero read from SQLite is also what a NULL reads as: only then is the type asked (the data reader throws on NULL,
    /// and so does this).
    /// </summary>
    private T NotNull<T>(int i, T value) where T : System.Numerics.INumberBase<T> =>
        T.IsZero(value) && IsDBNull(i) ? throw Null(i) : value;

    private static InvalidOperationException Null(int i) =>
        new($"The data is NULL at ordinal {i}. This method can't be called on NULL values. Check using IsDBNull before calling.");
}

/// <summary>
/// The column getters of the SQLite library under Microsoft.Data.Sqlite (e_sqlite3), called at their addresses. Through
/// SQLitePCLRaw each call cost a provider lookup, an interface call, a reference taken and released on the statement's
/// handle and a switch out of managed code and back; a 50-row page reads over a thousand values. The caller holds the
/// statement's handle (<see cref="ReadLease.RowsAsync"/>). All but <see cref="TextConverted"/> run without that switch: they
/// read a value of the current row where it lies, never block nor call back. (SQLite runs in multi-thread mode, set by
/// <see cref="TccgDatabase"/> before it starts, so they take no lock; had SQLite started earlier in serialized mode, each
/// would take its connection's mutex, which no other thread holds: a connection serves one caller at a time.) Not
/// available, and the data reader used instead, unless the library found is the very one SQLitePCLRaw loaded: its version
/// text at the same address.
/// </summary>
internal static unsafe class SqliteColumns
{
    public static readonly bool Available;
    public static readonly delegate* unmanaged[Cdecl, SuppressGCTransition]<nint, int> Count;
    public static readonly delegate* unmanaged[Cdecl, SuppressGCTransition]<nint, int, int> Type;
    public static readonly delegate* unmanaged[Cdecl, SuppressGCTransition]<nint, int, int> Bytes;
    public static readonly delegate* unmanaged[Cdecl, SuppressGCTransition]<nint, int, long> Int64;
    public static readonly delegate* unmanaged[Cdecl, SuppressGCTransition]<nint, int, double> Double;

    /// <summary>A value stored as text (<c>sqlite3_column_text</c> on a TEXT value: no conversion, no allocation).</summary>
    public static readonly delegate* unmanaged[Cdecl, SuppressGCTransition]<nint, int, byte*> Text;

    /// <summary>The same getter, the usual way, for a value SQLite converts to text (it allocates).</summary>
    public static readonly delegate* unmanaged[Cdecl]<nint, int, byte*> TextConverted;

    static SqliteColumns()
    {
        // SQLitePCLRaw's provider set, and SQLite's mode chosen, before anything here is looked up.
        System.Runtime.CompilerServices.RuntimeHelpers.RunClassConstructor(typeof(TccgDatabase).TypeHandle);
        nint library = 0;
        try
        {
            if (!System.Runtime.InteropServices.NativeLibrary.TryLoad("e_sqlite3", typeof(SQLitePCL.SQLite3Provider_e_sqlite3).Assembly, null, out library))
                return;
            nint Export(string name) => System.Runtime.InteropServices.NativeLibrary.TryGetExport(library, name, out var address) ? address : 0;
            var version = (delegate* unmanaged[Cdecl]<byte*>)Export("sqlite3_libversion");
            Count = (delegate* unmanaged[Cdecl, SuppressGCTransition]<nint, int>)Export("sqlite3_column_count");
            Type = (delegate* unmanaged[Cdecl, SuppressGCTransition]<nint, int, int>)Export("sqlite3_column_type");
            Bytes = (delegate* unmanaged[Cdecl, SuppressGCTransition]<nint, int, int>)Export("sqlite3_column_bytes");
            Int64 = (delegate* unmanaged[Cdecl, SuppressGCTransition]<nint, int, long>)Export("sqlite3_column_int64");
            Double = (delegate* unmanaged[Cdecl, SuppressGCTransition]<nint, int, double>)Export("sqlite3_column_double");
            Text = (delegate* unmanaged[Cdecl, SuppressGCTransition]<nint, int, byte*>)Export("sqlite3_column_text");
            TextConverted = (delegate* unmanaged[Cdecl]<nint, int, byte*>)Export("sqlite3_column_text");
            if (version is null || Count is null || Type is null || Bytes is null || Int64 is null || Double is null || Text is null)
                return;
            fixed (byte* loaded = SQLitePCL.raw.sqlite3_libversion())
                Available = version() == loaded;
        }
        catch (Exception e) when (e is DllNotFoundException or BadImageFormatException or EntryPointNotFoundException or InvalidOperationException)
        {
            Available = false;
        }
        finally
        {
            // Loading again only counted one more user of the library SQLitePCLRaw loaded; a different one is let go.
            if (library != 0 && !Available)
                System.Runtime.InteropServices.NativeLibrary.Free(library);
        }
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
