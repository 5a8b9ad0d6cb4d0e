using Dapper;
using MySqlConnector;
using Tccg.Core.Configuration;
using Tccg.Storage.Database;

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
    public const string DefaultConnectionString = "Server=127.0.0.1;Port=33071;User ID=tccg;Password=tccg;Database=tccg_test";

    private readonly string name = "tccg_t_" + Guid.NewGuid().ToString("N")[..12];
    private TccgDatabase? database;

    // xunit needs exactly one public constructor on a class fixture.
    public MariaDbTestDatabase()
        : this(Environment.GetEnvironmentVariable("TCCG_TEST_MYSQL") is { Length: > 0 } value ? value : DefaultConnectionString)
    {
    }

    private MariaDbTestDatabase(string serverConnectionString) => ServerConnectionString = serverConnectionString;

    public string ServerConnectionString { get; }

    /// <summary>A fixture for another server (to test how an unreachable one fails).</summary>
    public static MariaDbTestDatabase ForServer(string serverConnectionString) => new(serverConnectionString);

    public async Task InitializeAsync()
    {
        var server = new MySqlConnectionStringBuilder(ServerConnectionString) { Database = "", ConnectionTimeout = 5 };
        try
        {
            await using var connection = new MySqlConnection(server.ConnectionString);
            await connection.OpenAsync();
            await connection.ExecuteAsync($"CREATE DATABASE `{name}` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin");
        }
        catch (MySqlException e)
        {
            throw new InvalidOperationException(
                $"MariaDB for the storage tests is unreachable at {server.Server}:{server.Port} ({e.Message}). " +
                "Run scripts/mariadb.sh start (or scripts/test.sh), or point TCCG_TEST_MYSQL at a server where the user may create databases.", e);
        }
        var builder = new MySqlConnectionStringBuilder(ServerConnectionString) { Database = name };
        database = new TccgDatabase(DatabaseProvider.MySql, builder.ConnectionString);
        await new MigrationRunner(database).MigrateAsync(CancellationToken.None);
    }

    public Task<TccgDatabase> CreateAsync() =>
        Task.FromResult(database ?? throw new InvalidOperationException("The MariaDB fixture did not start."));

    public async Task DisposeAsync()
    {
        if (database is null)
            return;
        var server = new MySqlConnectionStringBuilder(ServerConnectionString) { Database = "" };
        await using var connection = new MySqlConnection(server.ConnectionString);
        await connection.OpenAsync();
        await connection.ExecuteAsync($"DROP DATABASE IF EXISTS `{name}`");
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
