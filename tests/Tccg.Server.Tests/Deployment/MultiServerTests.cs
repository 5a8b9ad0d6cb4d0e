using Microsoft.Extensions.DependencyInjection;
using MySqlConnector;
using Tccg.Storage.Renders;
using Tccg.Tests;

namespace Tccg.Server.Tests.Deployment;

/// <summary>
/// Two servers on one MariaDB database and one shared data folder (as docs/deploy.md describes), each a separate host
/// with its own services and connection pools: the render queue's leases across servers. (Sessions, automation
/// failover and concurrent edits across two <c>tccg server</c> OS processes: Tccg.Cli.Tests.MultiProcessServerTests.) The database comes from TCCG_TEST_MYSQL
/// (scripts/test.sh starts a private MariaDB); an unreachable one fails the tests, it never skips them.
/// </summary>
public sealed class MultiServerTests : IAsyncLifetime
{
    private readonly string _database = "tccg_ms_" + Guid.NewGuid().ToString("N")[..12];
    private readonly string _shared = Path.Combine(Path.GetTempPath(), "tccg-shared-" + Guid.NewGuid().ToString("N"));
    private readonly List<TestServer> _servers = [];

    private string ConnectionString => new MySqlConnectionStringBuilder(TestMariaDb.ServerConnectionString) { Database = _database }.ConnectionString;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_shared);
        await TestMariaDb.CreateDatabaseAsync(TestMariaDb.ServerConnectionString, _database);
    }

    public async Task DisposeAsync()
    {
        foreach (var server in _servers)
            await server.DisposeAsync();
        await TestMariaDb.DropAsync(ConnectionString);
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
}
