using Tccg.Storage.Servers;

namespace Tccg.Storage.Tests;

/// <summary>Leases that make one of several servers on one database do a piece of work (migration 5).</summary>
public abstract class ServerLeaseTests(ITestDatabase provider) : StorageTestBase(provider)
{
    private static readonly TimeSpan For = TimeSpan.FromSeconds(30);

    private LeaseStore Leases => new(Database, Time);

    [Fact]
    public async Task Lease_HeldByOne_IsRefusedToAnotherUntilItExpires()
    {
        var name = Unique("work");
        Assert.True(await Leases.TryAcquireAsync(name, "server-a", For, Ct));
        Assert.False(await Leases.TryAcquireAsync(name, "server-b", For, Ct));

        Time.Advance(TimeSpan.FromSeconds(20));
        Assert.True(await Leases.TryAcquireAsync(name, "server-a", For, Ct)); // renewed: runs 30 s from now
        Time.Advance(TimeSpan.FromSeconds(20));
        Assert.False(await Leases.TryAcquireAsync(name, "server-b", For, Ct));

        // A stops renewing: B takes over once it has expired, and A no longer holds it.
        Time.Advance(TimeSpan.FromSeconds(11));
        Assert.True(await Leases.TryAcquireAsync(name, "server-b", For, Ct));
        Assert.False(await Leases.TryAcquireAsync(name, "server-a", For, Ct));
        var lease = (await Leases.GetAsync(name, Ct))!;
        Assert.Equal(("server-b", Time.GetUtcNow()), (lease.Holder, lease.AcquiredAt));
    }

    [Fact]
    public async Task Release_LetsAnotherTakeItAtOnce_ButOnlyTheHolderReleases()
    {
        var name = Unique("work");
        Assert.True(await Leases.TryAcquireAsync(name, "server-a", For, Ct));
        await Leases.ReleaseAsync(name, "server-b", Ct);
        Assert.False(await Leases.TryAcquireAsync(name, "server-b", For, Ct));
        await Leases.ReleaseAsync(name, "server-a", Ct);
        Assert.True(await Leases.TryAcquireAsync(name, "server-b", For, Ct));
    }

    [Fact]
    public async Task Lease_RacedForByEightServers_GoesToExactlyOne()
    {
        var name = Unique("race");
        // Separate stores (and connections) per server, started together.
        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(() =>
            new LeaseStore(Database, Time).TryAcquireAsync(name, "server-" + i, For, Ct))));
        Assert.Single(results, held => held);
    }

    [Fact]
    public async Task DataProtectionKeys_AreSharedAndWrittenOnce()
    {
        var keys = new DataProtectionKeyStore(Database, Time);
        var name = Unique("key-");
        await keys.AddAsync(name, "<key id=\"1\" />", Ct);
        await keys.AddAsync(name, "<key id=\"2\" />", Ct);
        var all = await new DataProtectionKeyStore(Database, Time).ListXmlAsync(Ct);
        Assert.Contains("<key id=\"1\" />", all);
        Assert.DoesNotContain("<key id=\"2\" />", all);
    }
}

public sealed class ServerLeaseSqliteTests() : ServerLeaseTests(new SqliteTestDatabase());

public sealed class ServerLeaseMariaDbTests(MariaDbTestDatabase db) : ServerLeaseTests(db), IClassFixture<MariaDbTestDatabase>;
