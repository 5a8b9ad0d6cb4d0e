using Dapper;
using MySqlConnector;

namespace Tccg.Tests;

/// <summary>
/// Databases of their own on the test MariaDB (TCCG_TEST_MYSQL; scripts/test.sh starts a private server). An
/// unreachable server fails the test with a message saying how to start one; it never skips it.
/// </summary>
internal static class TestMariaDb
{
    public const string DefaultConnectionString = "Server=127.0.0.1;Port=33071;User ID=tccg;Password=tccg;Database=tccg_test";

    public static string ServerConnectionString =>
        Environment.GetEnvironmentVariable("TCCG_TEST_MYSQL") is { Length: > 0 } value ? value : DefaultConnectionString;

    /// <summary>Creates a new, empty database named <paramref name="prefix"/> and a random part; its connection string.</summary>
    public static Task<string> CreateAsync(string prefix) =>
        CreateDatabaseAsync(ServerConnectionString, prefix + Guid.NewGuid().ToString("N")[..12]);

    /// <summary>Creates the empty database <paramref name="name"/> on the server of <paramref name="serverConnectionString"/>; its connection string.</summary>
    public static async Task<string> CreateDatabaseAsync(string serverConnectionString, string name)
    {
        var server = new MySqlConnectionStringBuilder(serverConnectionString) { Database = "", ConnectionTimeout = 5 };
        try
        {
            await using var connection = new MySqlConnection(server.ConnectionString);
            await connection.OpenAsync();
            await connection.ExecuteAsync($"CREATE DATABASE `{name}` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin");
        }
        catch (MySqlException e)
        {
            throw new InvalidOperationException(
                $"The test MariaDB is unreachable at {server.Server}:{server.Port} ({e.Message}). " +
                "Run scripts/mariadb.sh start (or scripts/test.sh), or point TCCG_TEST_MYSQL at a server where the user may create databases.", e);
        }
        return new MySqlConnectionStringBuilder(serverConnectionString) { Database = name }.ConnectionString;
    }

    /// <summary>Drops the database <paramref name="connectionString"/> names.</summary>
    public static async Task DropAsync(string connectionString)
    {
        var name = new MySqlConnectionStringBuilder(connectionString).Database;
        await using var connection = new MySqlConnection(new MySqlConnectionStringBuilder(connectionString) { Database = "" }.ConnectionString);
        await connection.OpenAsync();
        await connection.ExecuteAsync($"DROP DATABASE IF EXISTS `{name}`");
    }
}
