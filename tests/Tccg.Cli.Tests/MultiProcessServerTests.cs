using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using MySqlConnector;
using Tccg.Tests;

namespace Tccg.Cli.Tests;

/// <summary>
/// Two <c>tccg server</c> OS processes (the built program, as systemd would run it) on one MariaDB database and
/// one data folder, as docs/deploy.md describes: a login on one is valid on the other, the automatic
/// finder/downloader runs in one only and moves to the other when that process is killed, and two saves of one
/// compilation based on the same version give exactly one 409.
/// </summary>
public sealed class MultiProcessServerTests : IAsyncLifetime
{
    private const string Password = "correct horse battery";
    private readonly string _work = CliRunner.NewWorkDir();
    private string _database = "";

    public async Task InitializeAsync() => _database = await TestMariaDb.CreateAsync("tccg_mp_");

    public async Task DisposeAsync()
    {
        await TestMariaDb.DropAsync(_database);
        Directory.Delete(_work, recursive: true);
    }

    [Fact]
    public async Task TwoServerProcesses_ShareSessions_RunAutomationOnceWithFailover_AndGiveOne409()
    {
        string[] global =
        [
            "--data", Path.Combine(_work, "shared"),
            "--set", "Tccg:Database:Provider=MySql", "--set", "Tccg:Database:ConnectionString=" + _database,
            "--set", "Tccg:Server:Automation=true", "--set", "Tccg:Server:AutomationLeaseSeconds=5", // renewed every 1.7 s: slack for a busy machine
            "--set", "Tccg:Server:InProcessGenerator=false",
        ];
        var (exit, output) = await TccgProcess.RunAsync([.. global, "user", "add", "alice", "--admin", "--password-stdin"], stdin: Password);
        Assert.True(exit == 0, output);

        await using var a = await TccgProcess.StartServerAsync(global);
        await using var b = await TccgProcess.StartServerAsync(global);
        Assert.NotEqual(a.Id, b.Id);
        Assert.NotEqual(a.BaseUrl, b.BaseUrl);

        // One browser's cookies (they belong to the host, 127.0.0.1, whichever port): log in on a, use it on b.
        var cookies = new CookieContainer();
        HttpClient Client(TccgProcess server) => new(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false }) { BaseAddress = server.BaseUrl };
        using var onA = Client(a);
        using var onB = Client(b);
        var login = await onA.PostAsJsonAsync(new Uri("api/v1/auth/login", UriKind.Relative), new { name = "alice", password = Password });
        Assert.True(login.IsSuccessStatusCode, $"login on a: {(int)login.StatusCode} {a.Output}");
        var csrf = (await login.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("csrfToken").GetString()!;
        onA.DefaultRequestHeaders.Add("X-CSRF-TOKEN", csrf);
        onB.DefaultRequestHeaders.Add("X-CSRF-TOKEN", csrf);
        var session = await onB.GetFromJsonAsync<JsonElement>(new Uri("api/v1/auth/session", UriKind.Relative));
        Assert.Equal("alice", session.GetProperty("name").GetString());

        // Concurrent saves of one compilation, both based on the version read: one wins, the other gets 409.
        var created = await onA.PostAsJsonAsync(new Uri("api/v1/compilations", UriKind.Relative), new { name = "Shared", shared = true });
        Assert.True(created.StatusCode == HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        var compilation = await created.Content.ReadFromJsonAsync<JsonElement>();
        var id = compilation.GetProperty("id").GetInt64();
        var version = (await onB.GetFromJsonAsync<JsonElement>(new Uri($"api/v1/compilations/{id}", UriKind.Relative))).GetProperty("version").GetInt64();
        var saves = await Task.WhenAll(
            onA.PutAsJsonAsync(new Uri($"api/v1/compilations/{id}", UriKind.Relative), new { version, name = "Edited on a", shared = true, items = Array.Empty<object>() }),
            onB.PutAsJsonAsync(new Uri($"api/v1/compilations/{id}", UriKind.Relative), new { version, name = "Edited on b", shared = true, items = Array.Empty<object>() }));
        var codes = saves.Select(r => r.StatusCode).ToList();
        Assert.True(codes.Count(c => c == HttpStatusCode.OK) == 1 && codes.Count(c => c == HttpStatusCode.Conflict) == 1,
            "expected one 200 and one 409, got " + string.Join(", ", codes.Select(c => (int)c)));
        var winner = codes[0] == HttpStatusCode.OK ? "Edited on a" : "Edited on b";
        var stored = await onB.GetFromJsonAsync<JsonElement>(new Uri($"api/v1/compilations/{id}", UriKind.Relative));
        Assert.Equal((winner, version + 1), (stored.GetProperty("name").GetString(), stored.GetProperty("version").GetInt64()));

        // Automation: exactly one process runs passes; the other stands by for longer than the lease.
        async Task<bool> RanAsync(HttpClient client) =>
            (await client.GetFromJsonAsync<JsonElement>(new Uri("api/v1/automation", UriKind.Relative))).GetProperty("lastTick").ValueKind != JsonValueKind.Null;
        await WaitAsync(async () => await RanAsync(onA) || await RanAsync(onB), "neither server ran an automation pass");
        var (holder, standby, holderClient, standbyClient) = await RanAsync(onA) ? (a, b, onA, onB) : (b, a, onB, onA);
        await Task.Delay(TimeSpan.FromSeconds(6)); // longer than the lease: the holder kept renewing it
        Assert.True(await RanAsync(holderClient));
        Assert.False(await RanAsync(standbyClient), "both servers ran the automation");
        Assert.Equal(holder.Id, await LeaseHolderPidAsync());

        // "Run now" on the standby does not start a second pass there.
        var run = await standbyClient.PostAsync(new Uri("api/v1/automation/run", UriKind.Relative), null);
        Assert.Equal(HttpStatusCode.Accepted, run.StatusCode);
        await WaitAsync(() => Task.FromResult(standby.Output.Contains("Automation pass skipped: another server holds the automation lease", StringComparison.Ordinal)),
            "the standby did not skip the pass it was asked for: " + standby.Output);
        Assert.False(await RanAsync(standbyClient), "the standby ran a pass");

        // The holder is killed (no chance to release the lease): the other takes over once the lease runs out.
        holder.Kill();
        await WaitAsync(() => RanAsync(standbyClient), "the standby server did not take the automation over: " + standby.Output);
        Assert.Equal(standby.Id, await LeaseHolderPidAsync());
        session = await standbyClient.GetFromJsonAsync<JsonElement>(new Uri("api/v1/auth/session", UriKind.Relative));
        Assert.Equal("alice", session.GetProperty("name").GetString());
    }

    /// <summary>The process id in the automation lease's holder name (host:pid:random).</summary>
    private async Task<int> LeaseHolderPidAsync()
    {
        await using var connection = new MySqlConnection(_database);
        var holder = await connection.QuerySingleAsync<string>("SELECT holder FROM server_leases WHERE name = 'automation'");
        return int.Parse(holder.Split(':')[1], System.Globalization.CultureInfo.InvariantCulture);
    }

    private static async Task WaitAsync(Func<Task<bool>> condition, string failure)
    {
        for (var i = 0; i < 600; i++)
        {
            if (await condition())
                return;
            await Task.Delay(50);
        }
        Assert.Fail(failure);
    }
}
