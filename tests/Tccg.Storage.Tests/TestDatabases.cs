using MySqlConnector;
using Tccg.Core.Configuration;
using Tccg.Storage.Database;
using Tccg.Tests;

namespace Tccg.Storage.Tests;

/// <summary>Hands each test a migrated database of one provider.</summary>
public interface ITestDatabase
{
    /// <summary>A database for one test: SQLite gets a fresh file; MariaDB shares the test class's database.</summary>
    Task<TccgDatabase> CreateAsync();
}

/// <summary>A new SQLite file per test, deleted when the process exits.</summary>
public sealed class SqliteTestDatabase : ITestDatabase
{
    private static readonly string Root = Path.Combine(Path.GetTempPath(), "tccg-storage-tests-" + Environment.ProcessId);

    public async Task<TccgDatabase> CreateAsync()
    {
        var file = Path.Combine(Root, Guid.NewGuid().ToString("N") + ".db");
        var database = new TccgDatabase(DatabaseProvider.Sqlite, $"Data Source={file};Pooling=False");
        await new MigrationRunner(database).MigrateAsync(CancellationToken.None);
        return database;
    }
}

/// <summary>
/// A uniquely named MariaDB database per test class (xunit class fixture), dropped at the end.
/// The server comes from TCCG_TEST_MYSQL (scripts/test.sh starts one). An unreachable server fails the
/// tests with a message saying so; they are never skipped.
/// </summary>
public sealed class MariaDbTestDatabase : ITestDatabase, IAsyncLifetime
{
    private readonly string name = "tccg_t_" + Guid.NewGuid().ToString("N")[..12];
    private TccgDatabase? database;

    // xunit needs exactly one public constructor on a class fixture.
    public MariaDbTestDatabase()
        : this(TestMariaDb.ServerConnectionString)
    {
    }

    private MariaDbTestDatabase(string serverConnectionString) => ServerConnectionString = serverConnectionString;

    public string ServerConnectionString { get; }

    /// <summary>A fixture for another server (to test how an unreachable one fails).</summary>
    public static MariaDbTestDatabase ForServer(string serverConnectionString) => new(serverConnectionString);

    public async Task InitializeAsync()
    {
        database = new TccgDatabase(DatabaseProvider.MySql, await TestMariaDb.CreateDatabaseAsync(ServerConnectionString, name));
        await new MigrationRunner(database).MigrateAsync(CancellationToken.None);
    }

    public Task<TccgDatabase> CreateAsync() =>
        Task.FromResult(database ?? throw new InvalidOperationException("The MariaDB fixture did not start."));

    public async Task DisposeAsync()
    {
        if (database is null)
            return;
        await TestMariaDb.DropAsync(database.ConnectionString);
        await using var pooled = new MySqlConnection(database.ConnectionString);
        MySqlConnection.ClearPool(pooled);
    }
}

/// <summary>Base of every storage test class: a migrated database and a fake clock.</summary>
public abstract class StorageTestBase(ITestDatabase provider) : IAsyncLifetime
{
    protected TccgDatabase Database { get; private set; } = null!;

    protected Microsoft.Extensions.Time.Testing.FakeTimeProvider Time { get; } =
        new(new DateTimeOffset(2026, 11, 20, 12, 0, 0, TimeSpan.Zero));

    protected static CancellationToken Ct => CancellationToken.None;

    public async Task InitializeAsync() => Database = await provider.CreateAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    /// <summary>A Twitch-style id no other test uses.</summary>
    protected static string Unique(string prefix) => prefix + Guid.NewGuid().ToString("N")[..10];
}
