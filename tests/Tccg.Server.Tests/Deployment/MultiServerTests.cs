using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using MySqlConnector;
using Tccg.Storage.Accounts;
using Tccg.Storage.Renders;
using Tccg.Storage.Servers;
using Tccg.Twitch.Automation;

namespace Tccg.Server.Tests.Deployment;

/// <summary>
/// Two servers on one MariaDB database and one shared data folder (as docs/deploy.md describes), each a separate host
/// with its own services, connection pools and Data Protection. The database comes from TCCG_TEST_MYSQL
/// (scripts/test.sh starts a private MariaDB); an unreachable one fails the tests, it never skips them.
/// </summary>
public sealed class MultiServerTests : IAsyncLifetime
{
    private readonly string _database = "tccg_ms_" + Guid.NewGuid().ToString("N")[..12];
    private readonly string _shared = Path.Combine(Path.GetTempPath(), "tccg-shared-" + Guid.NewGuid().ToString("N"));
    private readonly List<TestServer> _servers = [];

    private static string ServerConnectionString =>
        Environment.GetEnvironmentVariable("TCCG_TEST_MYSQL") is { Length: > 0 } value
            ? value
            : "Server=127.0.0.1;Port=33071;User ID=tccg;Password=tccg;Database=tccg_test";

    private string ConnectionString => new MySqlConnectionStringBuilder(ServerConnectionString) { Database = _database }.ConnectionString;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_shared);
        var server = new MySqlConnectionStringBuilder(ServerConnectionString) { Database = "", ConnectionTimeout = 5 };
        try
        {
            await using var connection = new MySqlConnection(server.ConnectionString);
            await connection.OpenAsync();
            await connection.ExecuteAsync($"CREATE DATABASE `{_database}` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin");
        }
        catch (MySqlException e)
        {
            throw new InvalidOperationException($"MariaDB for the multi-server tests is unreachable at {server.Server}:{server.Port} ({e.Message}). Run scripts/mariadb.sh start.", e);
        }
    }

    public async Task DisposeAsync()
    {
        foreach (var server in _servers)
            await server.DisposeAsync();
        await using (var connection = new MySqlConnection(new MySqlConnectionStringBuilder(ServerConnectionString) { Database = "" }.ConnectionString))
        {
            await connection.OpenAsync();
            await connection.ExecuteAsync($"DROP DATABASE IF EXISTS `{_database}`");
        }
        Directory.Delete(_shared, recursive: true);
    }

    private async Task<TestServer> StartAsync(bool automation = false)
    {
        var server = await TestServer.StartAsync(new Dictionary<string, string?>
        {
            ["Tccg:Database:Provider"] = "MySql",
            ["Tccg:Database:ConnectionString"] = ConnectionString,
            ["Tccg:Storage:Root"] = _shared,
            ["Tccg:Server:Automation"] = automation ? "true" : "false",
            ["Tccg:Server:AutomationLeaseSeconds"] = "3",
        });
        _servers.Add(server);
        return server;
    }

    private async Task StopAsync(TestServer server)
    {
        _servers.Remove(server);
        await server.DisposeAsync();
    }

    [Fact]
    public async Task Session_FromOneServer_WorksOnTheOther_WithItsAntiforgeryToken()
    {
        var a = await StartAsync();
        var b = await StartAsync();
        await a.AddUserAsync("shared", "correct horse battery", UserRole.Editor);

        // One browser: cookies are per host, so both servers on 127.0.0.1 see the cookie a set.
        var cookies = new CookieContainer();
        HttpClient Client(TestServer s) => new(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false }) { BaseAddress = s.BaseUrl };
        using var onA = Client(a);
        using var onB = Client(b);
        var login = await onA.PostAsJsonAsync(new Uri("/api/v1/auth/login", UriKind.Relative), new { name = "shared", password = "correct horse battery" });
        login.EnsureSuccessStatusCode();
        var csrf = (await login.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("csrfToken").GetString();

        var session = await onB.GetFromJsonAsync<JsonElement>(new Uri("/api/v1/auth/session", UriKind.Relative));
        Assert.Equal("shared", session.GetProperty("name").GetString());

        // A state-changing request on b with the anti-forgery token a issued.
        using var logout = new HttpRequestMessage(HttpMethod.Post, new Uri("/api/v1/auth/logout", UriKind.Relative));
        logout.Headers.Add("X-CSRF-TOKEN", csrf);
        var response = await onB.SendAsync(logout);
        Assert.True(response.IsSuccessStatusCode, $"logout on b: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");

        // Both servers read one key ring, kept in the database and encrypted at rest.
        await using var connection = new MySqlConnection(ConnectionString);
        var keys = (await connection.QueryAsync<string>("SELECT xml FROM data_protection_keys")).AsList();
        Assert.Single(keys);
        Assert.Contains("tccgEncryptedKey", keys[0], StringComparison.Ordinal);
        Assert.DoesNotContain("<masterKey", keys[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Automation_RunsInOneServerOnly_AndFailsOverWhenItsHolderStops()
    {
        var a = await StartAsync(automation: true);
        var stateA = a.App.Services.GetRequiredService<AutomationState>();
        await WaitAsync(() => stateA.LastTick is not null, "server a never ran an automation pass");

        var b = await StartAsync(automation: true);
        var stateB = b.App.Services.GetRequiredService<AutomationState>();
        var leases = b.App.Services.GetRequiredService<ILeaseStore>();
        // Longer than the lease (3 s): b keeps trying and keeps being refused while a renews.
        await Task.Delay(TimeSpan.FromSeconds(4));
        Assert.Null(stateB.LastTick);
        var holder = (await leases.GetAsync(AutomationService.AutomationLease, CancellationToken.None))!.Holder;
        Assert.True(b.App.Services.GetRequiredService<AutomationService>().HoldsLease is false, "b claims the lease a holds");

        // A "run now" on the standby server does not start a second pass.
        await b.App.Services.GetRequiredService<AutomationService>().RunOnceAsync(CancellationToken.None);
        Assert.Null(stateB.LastTick);

        await StopAsync(a);
        await WaitAsync(() => stateB.LastTick is not null, "server b did not take over the automation");
        Assert.NotEqual(holder, (await leases.GetAsync(AutomationService.AutomationLease, CancellationToken.None))!.Holder);
    }

    [Fact]
    public async Task RenderQueue_LeasedFromTwoServersAtOnce_GivesEveryJobToExactlyOne()
    {
        var a = await StartAsync();
        var b = await StartAsync();
        var jobsA = a.App.Services.GetRequiredService<IRenderJobStore>();
        var jobsB = b.App.Services.GetRequiredService<IRenderJobStore>();
        var queued = new List<long>();
        for (var i = 0; i < 12; i++)
            queued.Add((await jobsA.EnqueueAsync(null, null, "{}", CancellationToken.None)).Id);

        var taken = new System.Collections.Concurrent.ConcurrentBag<(string Server, long Job)>();
        async Task WorkAsync(string name, IRenderJobStore store)
        {
            while (await store.LeaseAsync(name, TimeSpan.FromMinutes(5), CancellationToken.None) is { } lease)
                taken.Add((name, lease.Job.Id));
        }
        await Task.WhenAll(
            Task.Run(() => WorkAsync("a1", jobsA)), Task.Run(() => WorkAsync("a2", jobsA)),
            Task.Run(() => WorkAsync("b1", jobsB)), Task.Run(() => WorkAsync("b2", jobsB)));

        Assert.Equal(queued.Order(), taken.Select(t => t.Job).Order());
    }

    private static async Task WaitAsync(Func<bool> condition, string failure)
    {
        for (var i = 0; i < 200; i++)
        {
            if (condition())
                return;
            await Task.Delay(50);
        }
        Assert.Fail(failure);
    }
}
