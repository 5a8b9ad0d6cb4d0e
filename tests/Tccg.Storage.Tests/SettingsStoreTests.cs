using Tccg.Storage.Settings;

namespace Tccg.Storage.Tests;

/// <summary>Run-time settings and connected Twitch accounts (migration 6) on both databases.</summary>
public abstract class SettingsStoreTests(ITestDatabase provider) : StorageTestBase(provider)
{
    [Fact]
    public async Task Settings_SetOverwriteListByPrefixAndRemove()
    {
        var store = new SettingsStore(Database, Time);
        var prefix = Unique("t.") + ".";
        await store.SetAsync(prefix + "a", "1", Ct);
        await store.SetAsync(prefix + "b", "two", Ct);
        await store.SetAsync(prefix + "a", "one", Ct);
        await store.SetAsync(Unique("other."), "x", Ct);
        var all = await store.GetAllAsync(prefix, Ct);
        Assert.Equal(2, all.Count);
        Assert.Equal("one", all[prefix + "a"]);
        await store.SetAsync(prefix + "a", null, Ct);
        Assert.Null(await store.GetAsync(prefix + "a", Ct));
        Assert.Equal("two", await store.GetAsync(prefix + "b", Ct));
    }

    [Fact]
    public async Task Connections_SaveReplacesByTwitchUser_ListAndDelete()
    {
        var store = new TwitchConnectionStore(Database, Time);
        var id = Unique("");
        await store.SaveAsync(new TwitchConnection { TwitchUserId = id, Login = "someone", ProtectedRefreshToken = "p1", Channels = [id] }, Ct);
        var saved = await store.SaveAsync(new TwitchConnection
        {
            TwitchUserId = id, Login = "someone", Scopes = "editor:manage:clips", ProtectedRefreshToken = "p2", Channels = [id, "42"],
        }, Ct);
        Assert.Equal("p2", saved.ProtectedRefreshToken);
        Assert.Equal([id, "42"], saved.Channels);
        Assert.Single(await store.ListAsync(Ct), c => c.TwitchUserId == id);
        Assert.True(await store.DeleteAsync(id, Ct));
        Assert.False(await store.DeleteAsync(id, Ct));
    }
}

public sealed class SettingsStoreSqliteTests() : SettingsStoreTests(new SqliteTestDatabase());

public sealed class SettingsStoreMariaDbTests(MariaDbTestDatabase db) : SettingsStoreTests(db), IClassFixture<MariaDbTestDatabase>;
