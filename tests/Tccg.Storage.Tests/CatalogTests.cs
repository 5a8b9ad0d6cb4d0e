using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Tccg.Core.Configuration;
using Tccg.Core.Twitch;
using Tccg.Storage.Assets;
using Tccg.Storage.Clips;
using Tccg.Storage.Compilations;
using Tccg.Storage.Database;
using Tccg.Storage.Games;
using Tccg.Core.Compilations;
using Tccg.Core.Media;

namespace Tccg.Storage.Tests;

/// <summary>Games, assets and compilations: the plain CRUD the server builds on.</summary>
public abstract class CatalogTests(ITestDatabase provider) : StorageTestBase(provider)
{
    private GameStore Games => new(Database, Time);
    private AssetStore Assets => new(Database, Time);
    private CompilationStore Compilations => new(Database, Time);
    private ClipStore Clips => new(Database, Time);

    [Fact]
    public async Task Games_AddGetUpdateDelete_RoundTripFiltersAndSchedule()
    {
        var twitchId = Unique("");
        var game = await Games.AddAsync(new Game
        {
            TwitchGameId = twitchId,
            Name = "原神 Genshin 🌟",
            BoxArtUrl = "https://static-cdn.jtvnw.net/ttv-boxart/x-{width}x{height}.jpg",
            Filters = new ClipFilters { Languages = ["en", "ja"], MinViews = 50, MinDuration = 5, MaxDuration = 60, BlockedBroadcasters = ["spammer"], PerBroadcasterCap = 3 },
            Schedule = new GameSchedule { Period = ClipPeriod.Month, IntervalMinutes = 30, TargetUnreviewed = 200 },
        }, Ct);
        await Assert.ThrowsAsync<DuplicateInStoreException>(() => Games.AddAsync(new Game { TwitchGameId = twitchId, Name = "again" }, Ct));

        var stored = (await Games.GetByTwitchIdAsync(twitchId, Ct))!;
        Assert.Equal(game.Id, stored.Id);
        Assert.Equal("原神 Genshin 🌟", stored.Name);
        Assert.Equal(["en", "ja"], stored.Filters.Languages);
        Assert.Equal(["spammer"], stored.Filters.BlockedBroadcasters);
        Assert.Equal((50, 5.0, 60.0, 3), (stored.Filters.MinViews, stored.Filters.MinDuration, stored.Filters.MaxDuration, stored.Filters.PerBroadcasterCap));
        Assert.Equal(new GameSchedule { Period = ClipPeriod.Month, IntervalMinutes = 30, TargetUnreviewed = 200 }, stored.Schedule);
        Assert.Equal(Time.GetUtcNow(), stored.CreatedAt);

        Assert.Contains(await Games.DueForFindAsync(Time.GetUtcNow(), Ct), g => g.Id == game.Id);
        await Games.SetFindTimesAsync(game.Id, Time.GetUtcNow(), Time.GetUtcNow().AddMinutes(30), Ct);
        Assert.DoesNotContain(await Games.DueForFindAsync(Time.GetUtcNow(), Ct), g => g.Id == game.Id);
        Assert.Contains(await Games.DueForFindAsync(Time.GetUtcNow().AddMinutes(31), Ct), g => g.Id == game.Id);

        Assert.True(await Games.UpdateAsync(stored with { Enabled = false, Filters = stored.Filters with { Languages = [] } }, Ct));
        var updated = (await Games.GetAsync(game.Id, Ct))!;
        Assert.False(updated.Enabled);
        Assert.Empty(updated.Filters.Languages);
        Assert.DoesNotContain(await Games.DueForFindAsync(Time.GetUtcNow().AddDays(1), Ct), g => g.Id == game.Id);
        Assert.Contains(await Games.ListAsync(Ct), g => g.Id == game.Id);

        Assert.True(await Games.DeleteAsync(game.Id, Ct));
        Assert.Null(await Games.GetAsync(game.Id, Ct));
    }

    [Fact]
    public async Task Assets_StoreFactsUnderAGeneratedName()
    {
        var stored = AssetStore.NewStoredName("../../etc/My Intro.MP4");
        Assert.Matches("^[0-9a-f]{32}\\.mp4$", stored);
        Assert.Matches("^[0-9a-f]{32}$", AssetStore.NewStoredName("weird.name.with spaces/\\;"));

        var asset = await Assets.AddAsync(new NewAsset(null, AssetRole.Intro, "My Intro 🎬.mp4", stored, 1000,
            new MediaFacts(3.5, 1280, 720, 30, "h264", "aac", 48000, 2, "", 0)), Ct);
        Assert.Equal("My Intro 🎬.mp4", asset.OriginalName);
        Assert.Equal(new MediaFacts(3.5, 1280, 720, 30, "h264", "aac", 48000, 2, "", 0), asset.Media);
        Assert.Contains(await Assets.ListAsync(AssetRole.Intro, Ct), a => a.Id == asset.Id);
        Assert.DoesNotContain(await Assets.ListAsync(AssetRole.Music, Ct), a => a.Id == asset.Id);
        Assert.True(await Assets.DeleteAsync(asset.Id, Ct));
        Assert.Null(await Assets.GetAsync(asset.Id, Ct));
    }

    [Fact]
    public async Task Compilations_ItemsAndDecisions_RoundTrip()
    {
        var game = Unique("g");
        var clips = new[] { ClipStoreTests.Clip(game, 1), ClipStoreTests.Clip(game, 2) };
        await Clips.UpsertFoundAsync(clips, Ct);
        var a = (await Clips.GetByTwitchIdAsync(clips[0].TwitchClipId, Ct))!.Id;
        var b = (await Clips.GetByTwitchIdAsync(clips[1].TwitchClipId, Ct))!.Id;
        var intro = await Assets.AddAsync(new NewAsset(null, AssetRole.Intro, "i.mp4", AssetStore.NewStoredName("i.mp4"), 1, null), Ct);

        var compilation = await Compilations.CreateAsync(new Compilation
        {
            Name = "Best of 週", GameId = game, SettingsJson = "{\"fps\":60}", IntroAssetId = intro.Id, MusicJson = "{\"volume\":0.2}", Shared = true,
        }, Ct);
        await Compilations.SetItemsAsync(compilation.Id, [new CompilationItem(b, 1.5, 9.25, 0.8), new CompilationItem(a)], Ct);
        Assert.Equal([new CompilationItem(b, 1.5, 9.25, 0.8), new CompilationItem(a)], await Compilations.GetItemsAsync(compilation.Id, Ct));
        await Compilations.SetItemsAsync(compilation.Id, [new CompilationItem(a)], Ct);
        Assert.Equal([new CompilationItem(a)], await Compilations.GetItemsAsync(compilation.Id, Ct));

        await Compilations.DecideAsync(compilation.Id, a, null, ReviewDecision.Skip, Ct);
        Time.Advance(TimeSpan.FromSeconds(1));
        await Compilations.DecideAsync(compilation.Id, a, null, ReviewDecision.Keep, Ct);
        var decision = Assert.Single(await Compilations.GetDecisionsAsync(compilation.Id, Ct));
        Assert.Equal(new ReviewEntry(a, ReviewDecision.Keep, null, Time.GetUtcNow()), decision);

        Time.Advance(TimeSpan.FromSeconds(1));
        var version = (await Compilations.GetAsync(compilation.Id, Ct))!.Version;
        Assert.Equal(version + 1, await Compilations.SaveAsync(compilation with { Name = "Renamed", Shared = false }, null, version, Ct));
        var stored = (await Compilations.GetAsync(compilation.Id, Ct))!;
        Assert.Equal([new CompilationItem(a)], await Compilations.GetItemsAsync(compilation.Id, Ct));
        Assert.Equal(("Renamed", false, "{\"fps\":60}", (long?)intro.Id), (stored.Name, stored.Shared, stored.SettingsJson, stored.IntroAssetId));
        Assert.Equal(Time.GetUtcNow(), stored.UpdatedAt);

        Assert.True(await Assets.DeleteAsync(intro.Id, Ct));
        Assert.Null((await Compilations.GetAsync(compilation.Id, Ct))!.IntroAssetId);
        Assert.True(await Compilations.DeleteAsync(compilation.Id, Ct));
        Assert.Empty(await Compilations.GetDecisionsAsync(compilation.Id, Ct));
    }

    [Fact]
    public async Task Compilation_WriteNamingAStaleVersion_IsRefusedAndChangesNothing()
    {
        var game = Unique("g");
        var clips = new[] { ClipStoreTests.Clip(game, 1), ClipStoreTests.Clip(game, 2) };
        await Clips.UpsertFoundAsync(clips, Ct);
        var a = (await Clips.GetByTwitchIdAsync(clips[0].TwitchClipId, Ct))!.Id;
        var b = (await Clips.GetByTwitchIdAsync(clips[1].TwitchClipId, Ct))!.Id;
        var compilation = await Compilations.CreateAsync(new Compilation { Name = "Race", GameId = game }, Ct);
        var read = compilation.Version;

        // Two editors read the same version; the first write wins, the second names a version that is gone.
        Assert.Equal(read + 1, await Compilations.SaveAsync(compilation with { Name = "First" }, [new CompilationItem(a)], read, Ct));
        Assert.Null(await Compilations.SaveAsync(compilation with { Name = "Second" }, [new CompilationItem(b)], read, Ct));

        var stored = (await Compilations.GetAsync(compilation.Id, Ct))!;
        Assert.Equal(("First", read + 1), (stored.Name, stored.Version));
        Assert.Equal([new CompilationItem(a)], await Compilations.GetItemsAsync(compilation.Id, Ct));
        Assert.Empty(await Compilations.GetDecisionsAsync(compilation.Id, Ct));

        // A review sees the items as they are under its lock and writes the decision and the timeline together.
        var review = await Compilations.ReviewAsync(compilation.Id, null,
            (items, _) => new ReviewChange(b, ReviewDecision.Keep, [.. items, new CompilationItem(b)]), Ct);
        Assert.Equal(read + 2, review!.Version);
        await Assert.ThrowsAsync<InvalidOperationException>(() => Compilations.ReviewAsync(compilation.Id, null,
            (_, _) => throw new InvalidOperationException("refused"), Ct));
        Assert.Equal(read + 2, (await Compilations.GetAsync(compilation.Id, Ct))!.Version);
        Assert.Equal(ReviewDecision.Keep, Assert.Single(await Compilations.GetDecisionsAsync(compilation.Id, Ct)).Decision);
        Assert.Equal([new CompilationItem(a), new CompilationItem(b)], await Compilations.GetItemsAsync(compilation.Id, Ct));
    }
}

public sealed class CatalogSqliteTests() : CatalogTests(new SqliteTestDatabase());

public sealed class CatalogMariaDbTests(MariaDbTestDatabase db) : CatalogTests(db), IClassFixture<MariaDbTestDatabase>;

public class RegistrationTests
{
    [Fact]
    public async Task MigrateAtStart_HostStart_CreatesTheSchema()
    {
        var root = Path.Combine(Path.GetTempPath(), "tccg-reg-" + Guid.NewGuid().ToString("N"));
        var builder = Microsoft.Extensions.Hosting.Host.CreateEmptyApplicationBuilder(new());
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Tccg:Storage:Root"] = root });
        builder.Services.AddTccgOptions().AddTccgStorageMigrationAtStart();
        using var host = builder.Build();
        await host.StartAsync();
        Assert.Equal(MigrationRunner.LatestVersion, await host.Services.GetRequiredService<MigrationRunner>().CurrentVersionAsync(CancellationToken.None));
        await host.StopAsync();
    }

    [Fact]
    public async Task Migrate_DatabaseFromANewerBuild_IsRefused()
    {
        var file = Path.Combine(Path.GetTempPath(), "tccg-newer-" + Guid.NewGuid().ToString("N") + ".db");
        var database = new TccgDatabase(DatabaseProvider.Sqlite, $"Data Source={file};Pooling=False");
        var runner = new MigrationRunner(database);
        await runner.MigrateAsync(CancellationToken.None);
        await using (var connection = await database.OpenAsync(CancellationToken.None))
            await Dapper.SqlMapper.ExecuteAsync(connection, "INSERT INTO schema_version (version, name, applied_at) VALUES (999, 'future', 0)");
        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => runner.MigrateAsync(CancellationToken.None));
        Assert.Contains("newer", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddTccgStorage_WithDefaults_UsesSqliteUnderTheDataFolder()
    {
        var root = Path.Combine(Path.GetTempPath(), "tccg-reg-" + Guid.NewGuid().ToString("N"), "data");
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Tccg:Storage:Root"] = root }).Build();
        var services = new ServiceCollection().AddSingleton<IConfiguration>(config).AddLogging().AddTccgOptions().AddTccgStorage();
        await using var provider = services.BuildServiceProvider();

        await provider.GetRequiredService<MigrationRunner>().MigrateAsync(CancellationToken.None);
        await provider.GetRequiredService<IGameStore>().AddAsync(new Game { TwitchGameId = "1", Name = "x" }, CancellationToken.None);
        Assert.Equal(DatabaseProvider.Sqlite, provider.GetRequiredService<TccgDatabase>().Provider);
        Assert.True(File.Exists(Path.Combine(root, "tccg.db")));
        Assert.NotNull(provider.GetRequiredService<Renders.IRenderJobStore>());
        Assert.True(await provider.GetRequiredService<TccgDatabase>().CanConnectAsync(CancellationToken.None));
        Assert.NotNull(provider.GetRequiredService<Accounts.IUserStore>());
    }
}

public class MariaDbFixtureTests
{
    [Fact]
    public async Task UnreachableServer_FailsWithAMessageSayingWhatToDo()
    {
        var fixture = MariaDbTestDatabase.ForServer("Server=127.0.0.1;Port=1;User ID=tccg;Password=tccg;Database=tccg_test");
        var e = await Assert.ThrowsAsync<InvalidOperationException>(fixture.InitializeAsync);
        Assert.Contains("unreachable at 127.0.0.1:1", e.Message, StringComparison.Ordinal);
        Assert.Contains("TCCG_TEST_MYSQL", e.Message, StringComparison.Ordinal);
        await fixture.DisposeAsync();
    }
}
