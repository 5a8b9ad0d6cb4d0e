using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Tccg.Core.Configuration;
using Tccg.Media;
using Tccg.Storage;
using Tccg.Storage.Clips;
using Tccg.Storage.Database;
using Tccg.Storage.Games;
using Tccg.Twitch.Downloads;
using Tccg.Twitch.Finder;
using Tccg.Twitch.Helix;
using Tccg.TwitchSim;

namespace Tccg.Twitch.Tests;

/// <summary>
/// One test's world: the Twitch simulator on loopback, a fresh data folder with a migrated SQLite clip bin,
/// real ffprobe/ffmpeg, and tccg's services pointed at the simulator.
/// </summary>
internal sealed class TwitchWorld : IAsyncDisposable
{
    public const string GameId = "4242";
    public const string GameName = "Test Game";

    public required TwitchSimHost Sim { get; init; }
    public required ServiceProvider Services { get; init; }
    public required string Root { get; init; }

    public IClipStore Clips => Services.GetRequiredService<IClipStore>();
    public IGameStore Games => Services.GetRequiredService<IGameStore>();
    public ClipFinder Finder => Services.GetRequiredService<ClipFinder>();
    public ClipDownloader Downloader => Services.GetRequiredService<ClipDownloader>();
    public StorageOptions Storage => Services.GetRequiredService<IOptions<StorageOptions>>().Value;

    public static async Task<TwitchWorld> StartAsync(int clips = 40, TimeSpan? span = null, Action<TwitchSimOptions>? sim = null,
        Dictionary<string, string?>? settings = null)
    {
        var options = new TwitchSimOptions
        {
            Seed = 7,
            Games = [new SimGameSpec(GameId, GameName, clips, span ?? TimeSpan.FromDays(6))],
            LegacyClipsPerGame = 0,
            BroadcasterCount = 12,
            Anchor = DateTimeOffset.UtcNow.AddMinutes(-5),
        };
        sim?.Invoke(options);
        var host = await TwitchSimHost.StartAsync(options);
        var root = Path.Combine(Path.GetTempPath(), "tccg-twitch-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(root);
        var values = new Dictionary<string, string?>(StringComparer.Ordinal) { ["Tccg:Storage:Root"] = root };
        foreach (var (key, value) in host.TccgConfiguration)
            values[key] = value;
        foreach (var (key, value) in settings ?? [])
            values[key] = value;
        var services = Build(values);
        await services.GetRequiredService<MigrationRunner>().MigrateAsync(CancellationToken.None);
        return new TwitchWorld { Sim = host, Services = services, Root = root };
    }

    /// <summary>Another tccg process (its own services, same data folder and Twitch app).</summary>
    public ServiceProvider SecondProcess() => Build(new Dictionary<string, string?>(Services.GetRequiredService<IConfiguration>()
        .AsEnumerable().Where(kv => kv.Value is not null)));

    private static ServiceProvider Build(Dictionary<string, string?> values)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging();
        services.AddTccgOptions();
        services.AddTccgStorage();
        services.AddTccgMedia();
        services.AddTccgTwitch();
        services.Configure<TwitchHttpOptions>(o =>
        {
            o.RetryBaseDelay = TimeSpan.FromMilliseconds(20);
            o.DownloadStallTimeout = TimeSpan.FromSeconds(5);
        });
        return services.BuildServiceProvider();
    }

    public async Task<Game> AddGameAsync(Func<Game, Game>? change = null)
    {
        var found = await Services.GetRequiredService<HelixClient>().GetGameByNameAsync(GameName, CancellationToken.None);
        var game = new Game { TwitchGameId = found!.Id, Name = found.Name };
        return await Games.AddAsync(change?.Invoke(game) ?? game, CancellationToken.None);
    }

    public async Task<IReadOnlyList<ClipRecord>> AllClipsAsync()
    {
        var all = new List<ClipRecord>();
        string? after = null;
        do
        {
            var page = await Clips.QueryAsync(new ClipQuery { Limit = 1000, After = after }, CancellationToken.None);
            all.AddRange(page.Items);
            after = page.NextCursor;
        }
        while (after is not null);
        return all;
    }

    public string[] TempFiles() => Directory.Exists(Storage.TempDir) ? Directory.GetFiles(Storage.TempDir) : [];

    public async ValueTask DisposeAsync()
    {
        await Services.DisposeAsync();
        await Sim.DisposeAsync();
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
