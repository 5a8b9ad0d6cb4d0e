using System.Net;
using System.Net.Http.Json;
using MySqlConnector;
using Tccg.Storage.Accounts;

namespace Tccg.Server.Tests.Compilations;

/// <summary>
/// Two server processes' worth of state on one MariaDB: nothing in memory coordinates them, so the database's version
/// check must. The same edit sent to both at once lands once and the other gets 409; keeps sent to both at once all land.
/// </summary>
public sealed class TwoServersConcurrencyTests
{
    [Fact]
    public async Task TwoServers_OnOneMariaDb_SameVersionSavedOnBoth_OneWinsOneGets409()
    {
        var settings = await FreshMariaDbAsync();
        await using var first = await TestServer.StartAsync(settings);
        await using var second = await TestServer.StartAsync(settings);
        var onFirst = await first.LoginAsNewUserAsync("ed", UserRole.Editor);
        var onSecond = await second.LoginAsync("ed");
        var created = await onFirst.CreateCompilationAsync();
        var id = created.GetProperty("id").GetInt64();
        var version = created.GetProperty("version").GetInt64();

        var uri = new Uri($"/api/v1/compilations/{id}", UriKind.Relative);
        var answers = await Task.WhenAll(
            onFirst.PutAsJsonAsync(uri, new { version, name = "From the first" }),
            onSecond.PutAsJsonAsync(uri, new { version, name = "From the second" }));
        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.Conflict], answers.Select(a => a.StatusCode).Order());
        var winner = answers.Single(a => a.StatusCode == HttpStatusCode.OK) == answers[0] ? "From the first" : "From the second";
        var stored = await onSecond.GetCompilationAsync(id);
        Assert.Equal((winner, version + 1), (stored.GetProperty("name").GetString(), stored.GetProperty("version").GetInt64()));
        foreach (var answer in answers)
            answer.Dispose();
    }

    [Fact]
    public async Task TwoServers_OnOneMariaDb_KeepsSentToBothAtOnce_AllLand()
    {
        var settings = await FreshMariaDbAsync();
        await using var first = await TestServer.StartAsync(settings);
        await using var second = await TestServer.StartAsync(settings);
        var onFirst = await first.LoginAsNewUserAsync("ed", UserRole.Editor);
        var onSecond = await second.LoginAsync("ed");
        var clips = new List<long>();
        for (var i = 0; i < 12; i++)
            clips.Add(await first.SeedClipAsync("k" + i, download: false));
        var id = (await onFirst.CreateCompilationAsync()).GetProperty("id").GetInt64();

        var uri = new Uri($"/api/v1/compilations/{id}/review", UriKind.Relative);
        var answers = await Task.WhenAll(clips.Select((clip, i) =>
            (i % 2 == 0 ? onFirst : onSecond).PostAsJsonAsync(uri, new { clipId = clip, decision = "keep" })));
        Assert.All(answers, a => Assert.Equal(HttpStatusCode.OK, a.StatusCode));
        var items = (await onFirst.GetCompilationAsync(id)).GetProperty("items").EnumerateArray().Select(i => i.GetProperty("clipId").GetInt64());
        Assert.Equal(clips.Order(), items.Order());
        foreach (var answer in answers)
            answer.Dispose();
    }

    /// <summary>Settings for a server on a new, empty database of the test MariaDB.</summary>
    private static async Task<Dictionary<string, string?>> FreshMariaDbAsync()
    {
        var server = new MySqlConnectionStringBuilder(Environment.GetEnvironmentVariable("TCCG_TEST_MYSQL") is { Length: > 0 } value
            ? value : "Server=127.0.0.1;Port=33071;User ID=tccg;Password=tccg;Database=tccg_test");
        var name = "tccg_s_" + Guid.NewGuid().ToString("N")[..12];
        await using (var connection = new MySqlConnection(new MySqlConnectionStringBuilder(server.ConnectionString) { Database = "" }.ConnectionString))
        {
            await connection.OpenAsync();
            await using var create = new MySqlCommand($"CREATE DATABASE `{name}` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin", connection);
            await create.ExecuteNonQueryAsync();
        }
        server.Database = name;
        return new Dictionary<string, string?>
        {
            ["Tccg:Database:Provider"] = "MySql",
            ["Tccg:Database:ConnectionString"] = server.ConnectionString,
        };
    }
}
