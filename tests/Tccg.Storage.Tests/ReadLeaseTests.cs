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
}
