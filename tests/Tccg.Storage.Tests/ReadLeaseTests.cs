using Dapper;
using Tccg.Core.Configuration;
using Tccg.Storage.Clips;
using Tccg.Storage.Database;
using Xunit;

namespace Tccg.Storage.Tests;

/// <summary>
/// The read connections SQLite keeps open with their statements prepared (<see cref="TccgDatabase.OpenForReadsAsync"/>),
/// pooled as the server runs it.
/// </summary>
public sealed class ReadLeaseTests : IDisposable
{
    private readonly string file = Path.Combine(Path.GetTempPath(), "tccg-reads-" + Guid.NewGuid().ToString("N") + ".db");

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        foreach (var f in Directory.EnumerateFiles(Path.GetTempPath(), Path.GetFileName(file) + "*"))
            File.Delete(f);
    }

    private async Task<TccgDatabase> CreateAsync(string options = "")
    {
        var database = new TccgDatabase(DatabaseProvider.Sqlite, $"Data Source={file}{options}");
        await new MigrationRunner(database).MigrateAsync(CancellationToken.None);
        return database;
    }

    private static async Task<long> PlusOneAsync(ReadLease lease, long x)
    {
        var p = new DynamicParameters();
        p.Add("X", x);
        await using var reader = await lease.Command("SELECT @X + 1", p).ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        return reader.GetInt64(0);
    }

    [Fact]
    public async Task AConnectionHandedBack_IsTheNextOne_WithItsCommandStillThere_AndNewValuesBound()
    {
        using var database = await CreateAsync();
        System.Data.Common.DbConnection first;
        System.Data.Common.DbCommand command;
        await using (var lease = await database.OpenForReadsAsync(CancellationToken.None))
        {
            Assert.Equal(2, await PlusOneAsync(lease, 1));
            first = lease.Connection;
            command = lease.Command("SELECT @X + 1", new DynamicParameters(new { X = 0 }));
        }
        await using (var lease = await database.OpenForReadsAsync(CancellationToken.None))
        {
            Assert.Same(first, lease.Connection);
            Assert.Equal(6, await PlusOneAsync(lease, 5));
            Assert.Same(command, lease.Command("SELECT @X + 1", new DynamicParameters(new { X = 0 })));
            Assert.Equal(1, lease.PreparedCount);
        }
    }

    [Fact]
    public async Task TwoReadsAtOnce_GetTwoConnections_AndBothAreKept()
    {
        using var database = await CreateAsync();
        var a = await database.OpenForReadsAsync(CancellationToken.None);
        var b = await database.OpenForReadsAsync(CancellationToken.None);
        Assert.NotSame(a.Connection, b.Connection);
        await a.DisposeAsync();
        await b.DisposeAsync();
        var again = new[] { await database.OpenForReadsAsync(CancellationToken.None), await database.OpenForReadsAsync(CancellationToken.None) };
        Assert.Equal(new[] { a.Connection, b.Connection }.ToHashSet(), again.Select(l => l.Connection).ToHashSet());
        foreach (var lease in again)
            await lease.DisposeAsync();
    }

    [Fact]
    public async Task TheLeastRecentlyUsedStatement_IsFinalized_PastTheLimit()
    {
        using var database = await CreateAsync();
        await using var lease = await database.OpenForReadsAsync(CancellationToken.None);
        var oldest = lease.Command("SELECT 0", new DynamicParameters());
        for (var i = 1; i <= ReadLease.MaxStatements; i++)
        {
            await using var reader = await lease.Command($"SELECT {i}", new DynamicParameters()).ExecuteReaderAsync();
            Assert.True(await reader.ReadAsync());
            Assert.Equal(i, reader.GetInt64(0));
        }
        Assert.Equal(ReadLease.MaxStatements, lease.PreparedCount);
        Assert.NotSame(oldest, lease.Command("SELECT 0", new DynamicParameters()));
        Assert.Equal(ReadLease.MaxStatements, lease.PreparedCount);
    }

    [Fact]
    public async Task DisposingTheDatabase_ClosesTheKeptConnections_AndKeepsNoMore()
    {
        var database = await CreateAsync();
        System.Data.Common.DbConnection kept;
        await using (var lease = await database.OpenForReadsAsync(CancellationToken.None))
            kept = lease.Connection;
        var held = await database.OpenForReadsAsync(CancellationToken.None); // kept, then handed back after the dispose
        Assert.Same(kept, held.Connection);
        database.Dispose();
        await held.DisposeAsync();
        Assert.Equal(System.Data.ConnectionState.Closed, kept.State);
        await using var after = await database.OpenForReadsAsync(CancellationToken.None);
        Assert.Equal(3, await PlusOneAsync(after, 2));
        await after.DisposeAsync();
        Assert.Equal(System.Data.ConnectionState.Closed, after.Connection.State);
    }

    [Fact]
    public async Task WithoutPooling_TheConnectionIsClosedWhenHandedBack()
    {
        using var database = await CreateAsync(";Pooling=False");
        var lease = await database.OpenForReadsAsync(CancellationToken.None);
        Assert.Equal(2, await PlusOneAsync(lease, 1));
        await lease.DisposeAsync();
        Assert.Equal(System.Data.ConnectionState.Closed, lease.Connection.State);
    }

    [Fact]
    public async Task AKeptConnection_SeesWhatOthersWroteSince_AndAFailedStatementLeavesItUsable()
    {
        using var database = await CreateAsync();
        var store = new ClipStore(database, TimeProvider.System);
        await store.UpsertFoundAsync([ClipStoreTests.Clip("kept", 1)], CancellationToken.None);
        var query = new ClipQuery { GameId = "kept", Limit = 10 };
        Assert.Single((await store.QueryAsync(query, CancellationToken.None)).Items);
        await store.UpsertFoundAsync([ClipStoreTests.Clip("kept", 2)], CancellationToken.None);
        Assert.Equal(2, (await store.QueryAsync(query, CancellationToken.None)).Items.Count);

        await using (var lease = await database.OpenForReadsAsync(CancellationToken.None))
        {
            await Assert.ThrowsAsync<Microsoft.Data.Sqlite.SqliteException>(async () =>
                await lease.Command("SELECT * FROM no_such_table", new DynamicParameters()).ExecuteReaderAsync());
            Assert.Equal(8, await PlusOneAsync(lease, 7));
        }
        Assert.Equal(2, (await store.QueryAsync(query, CancellationToken.None)).Items.Count);
    }

    [Fact]
    public async Task Rows_AreReadTypedFromTheKeptStatement_WithEachCallsValuesBound()
    {
        using var database = await CreateAsync();
        const string sql = "SELECT @Text || '!', @Number + 1, @Real * 2, @Nothing IS NULL, NULL, 0, @Flag UNION ALL SELECT 'second', 0, 0.5, 0, 'x', 0, 0";
        static (string, long, double, long, string?, long, int) Read(SqlRow r) =>
            (r.GetString(0), r.GetInt64(1), r.GetDouble(2), r.GetInt64(3), r.IsDBNull(4) ? null : r.GetString(4), r.GetInt64(5), r.GetInt32(6));
        DynamicParameters Values(string text, long number)
        {
            var p = new DynamicParameters();
            p.Add("Text", text);
            p.Add("Number", number);
            p.Add("Real", 1.25);
            p.Add("Nothing", null);
            p.Add("Flag", true);
            p.Add("NotInTheSql", "ignored");
            return p;
        }

        await using (var lease = await database.OpenForReadsAsync(CancellationToken.None))
        {
            var rows = await lease.RowsAsync(sql, Values("héllo", 41), Read, 2, CancellationToken.None);
            Assert.Equal([("héllo!", 42L, 2.5, 1L, null, 0L, 1), ("second", 0L, 0.5, 0L, "x", 0L, 0)], rows);
            Assert.Equal(1, lease.PreparedCount);
        }
        await using (var lease = await database.OpenForReadsAsync(CancellationToken.None))
        {
            var rows = await lease.RowsAsync(sql, Values("again", -1), Read, 2, CancellationToken.None);
            Assert.Equal(("again!", 0L, 2.5, 1L, null, 0L, 1), rows[0]);
            Assert.Equal(1, lease.PreparedCount); // the same statement, its values bound again
        }
    }

    [Fact]
    public async Task Rows_AreReadFromTheSqliteLibraryMicrosoftDataSqliteLoaded_WholeTextsInUtf8_AndARowOfNothingRefuses()
    {
        // The column getters are called at their addresses in the very library SQLitePCLRaw loaded (else the data reader
        // would be used): the server's rows come this way.
        Assert.True(SqliteColumns.Available);
        using var database = await CreateAsync();
        await using var lease = await database.OpenForReadsAsync(CancellationToken.None);
        var p = new DynamicParameters();
        p.Add("Text", "日本語 ✓ — ok");
        var rows = await lease.RowsAsync("SELECT @Text, length(@Text), 42, '', 'a' || char(0) || 'b'", p,
            r => (r.GetString(0), r.GetInt64(1), r.GetString(2), r.GetString(3), r.GetString(4)), 1, CancellationToken.None);
        // Every byte SQLite holds, a character past a NUL included; a number read as text, as the data reader reads it.
        Assert.Equal([("日本語 ✓ — ok", 10L, "42", "", "a\0b")], rows);
        Assert.Throws<InvalidOperationException>(() => default(SqlRow).GetInt64(0));

        // Text past the last column is refused as the data reader refuses it, and a NULL read as text is refused.
        var refused = await lease.RowsAsync("SELECT 'only', NULL", new DynamicParameters(), r => (
            Assert.Throws<ArgumentOutOfRangeException>(() => r.GetString(2)).ParamName,
            Assert.Throws<InvalidOperationException>(() => r.GetString(1)).Message), 1, CancellationToken.None);
        Assert.Equal("i", refused[0].Item1);
        Assert.Contains("NULL at ordinal 1", refused[0].Item2, StringComparison.Ordinal);

        // A row kept past its callback refuses once its statement is finalized (here with the database's connections).
        var kept = (await lease.RowsAsync("SELECT 7", new DynamicParameters(), r => r, 1, CancellationToken.None))[0];
        await lease.DisposeAsync();
        database.Dispose();
        Assert.Throws<InvalidOperationException>(() => kept.GetInt64(0));
    }

    [Fact]
    public async Task Rows_RefuseNullsReadAsValues_MissingValues_AndBadSql_AndTheConnectionStaysUsable()
    {
        using var database = await CreateAsync();
        await using var lease = await database.OpenForReadsAsync(CancellationToken.None);
        var none = new DynamicParameters();

        var text = await Assert.ThrowsAsync<InvalidOperationException>(() => lease.RowsAsync("SELECT NULL", none, r => r.GetString(0), 1, CancellationToken.None));
        Assert.Contains("NULL at ordinal 0", text.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<InvalidOperationException>(() => lease.RowsAsync("SELECT NULL", none, r => r.GetInt64(0), 1, CancellationToken.None));
        await Assert.ThrowsAsync<InvalidOperationException>(() => lease.RowsAsync("SELECT NULL", none, r => r.GetDouble(0), 1, CancellationToken.None));
        Assert.Equal([0L], await lease.RowsAsync("SELECT 0", none, r => r.GetInt64(0), 1, CancellationToken.None));
        Assert.Equal([""], await lease.RowsAsync("SELECT ''", none, r => r.GetString(0), 1, CancellationToken.None));

        var missing = await Assert.ThrowsAsync<InvalidOperationException>(() => lease.RowsAsync("SELECT @A + @B", Values(("A", 1L)), r => r.GetInt64(0), 1, CancellationToken.None));
        Assert.Contains("@B", missing.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<Microsoft.Data.Sqlite.SqliteException>(() => lease.RowsAsync("SELECT * FROM no_such_table", none, r => r.GetInt64(0), 1, CancellationToken.None));
        await Assert.ThrowsAsync<ArgumentException>(() => lease.RowsAsync("SELECT @A", Values(("A", new DateTimeOffset())), r => r.GetInt64(0), 1, CancellationToken.None));

        await Assert.ThrowsAsync<ArgumentException>(() => lease.RowsAsync("SELECT @A", Values(("A", double.NaN)), r => r.GetInt64(0), 1, CancellationToken.None));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => lease.RowsAsync("SELECT 1", none, r => r.IsDBNull(1), 1, CancellationToken.None));
        Assert.Equal([7L], await lease.RowsAsync("SELECT @A", Values(("A", (short)7)), r => r.GetInt64(0), 1, CancellationToken.None));

        // SQL that prepares to no statement, or fails to prepare, is refused and nothing of it is kept.
        var kept = lease.PreparedCount;
        await Assert.ThrowsAsync<ArgumentException>(() => lease.RowsAsync(" -- nothing", none, r => r.GetInt64(0), 1, CancellationToken.None));
        await Assert.ThrowsAsync<Microsoft.Data.Sqlite.SqliteException>(() => lease.RowsAsync("SELEKT 1", none, r => r.GetInt64(0), 1, CancellationToken.None));
        Assert.Equal(kept, lease.PreparedCount);

        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => lease.RowsAsync("SELECT 1", none, r => r.GetInt64(0), 1, cancelled.Token));
        Assert.Equal([8L], await lease.RowsAsync("SELECT @A + 1", Values(("A", 7L)), r => r.GetInt64(0), 1, CancellationToken.None));
        Assert.Equal(8, await PlusOneAsync(lease, 7));
    }

    private static DynamicParameters Values(params (string Name, object? Value)[] values)
    {
        var p = new DynamicParameters();
        foreach (var (name, value) in values)
            p.Add(name, value);
        return p;
    }

    [Fact]
    public async Task ALeaseDisposedTwice_IsHandedBackOnce()
    {
        using var database = await CreateAsync();
        var first = await database.OpenForReadsAsync(CancellationToken.None);
        await first.DisposeAsync();
        await first.DisposeAsync();
        await using var a = await database.OpenForReadsAsync(CancellationToken.None);
        await using var b = await database.OpenForReadsAsync(CancellationToken.None);
        Assert.Same(first, a);
        Assert.NotSame(a, b);
        Assert.NotSame(a.Connection, b.Connection);
    }
}
