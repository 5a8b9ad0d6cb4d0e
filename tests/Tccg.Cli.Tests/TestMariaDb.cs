using Dapper;
using MySqlConnector;

namespace Tccg.Cli.Tests;

/// <summary>
/// Databases of their own on the test MariaDB (TCCG_TEST_MYSQL; scripts/test.sh starts a private server). An
/// unreachable server fails the test, it never skips it.
/// </summary>
internal static class TestMariaDb
{
    public static string ServerConnectionString =>
        Environment.GetEnvironmentVariable("TCCG_TEST_MYSQL") is { Length: > 0 } value
            ? value
            : "Server=127.0.0.1;Port=33071;User ID=tccg;Password=tccg;Database=tccg_test";

    /// <summary>Creates a new, empty database and returns its connection string.</summary>
    public static async Task<string> CreateAsync(string prefix)
    {
        var name = prefix + Guid.NewGuid().ToString("N")[..12];
        var server = new MySqlConnectionStringBuilder(ServerConnectionString) { Database = "", ConnectionTimeout = 5 };
        try
        {
            await using var connection = new MySqlConnection(server.ConnectionString);
            await connection.OpenAsync();
            await connection.ExecuteAsync($"CREATE DATABASE `{name}` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin");
        }
        catch (MySqlException e)
        {
            throw new InvalidOperationException($"The test MariaDB is unreachable at {server.Server}:{server.Port} ({e.Message}). Run scripts/mariadb.sh start.", e);
        }
        return new MySqlConnectionStringBuilder(ServerConnectionString) { Database = name }.ConnectionString;
    }

    public static async Task DropAsync(string connectionString)
    {
        var name = new MySqlConnectionStringBuilder(connectionString).Database;
        await using var connection = new MySqlConnection(new MySqlConnectionStringBuilder(connectionString) { Database = "" }.ConnectionString);
        await connection.OpenAsync();
        await connection.ExecuteAsync($"DROP DATABASE IF EXISTS `{name}`");
    }
}
