using System.Diagnostics;
using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Tccg.Server;
using Tccg.Storage;
using Tccg.Storage.Accounts;
using Tccg.Storage.Clips;
using Tccg.Storage.Compilations;
using Tccg.Storage.Games;
using Tccg.Core.Media;

namespace Tccg.Editor.Tests;

/// <summary>A real server on a free loopback port with its own data folder and a seeded clip bin; one per test.</summary>
public sealed class EditorServer : IAsyncDisposable
{
    public const string GameId = "509658";
    public const string Password = "correct horse battery";

    private EditorServer(WebApplication app, string dataDir, Uri baseUrl)
    {
        App = app;
        DataDir = dataDir;
        BaseUrl = baseUrl;
    }

    public WebApplication App { get; }
    public string DataDir { get; }
    public Uri BaseUrl { get; }
    public List<ClipRecord> Clips { get; } = [];

    public T Service<T>() where T : notnull => App.Services.GetRequiredService<T>();

    public static async Task<EditorServer> StartAsync(int clips = 0, bool generator = false,
        IDictionary<string, string?>? settings = null, Action<Microsoft.Extensions.Logging.ILoggingBuilder>? logging = null)
    {
        var dataDir = Path.Combine(Path.GetTempPath(), "tccg-editor-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dataDir);
        var values = new Dictionary<string, string?>
        {
            ["Tccg:Storage:Root"] = dataDir,
            ["Tccg:Server:InProcessGenerator"] = generator ? "true" : "false",
            ["Tccg:Server:Automation"] = "false",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
            values[key] = value;
        var config = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var app = ServerApp.Build(config, urls: "http://127.0.0.1:0", logging: logging ?? (_ => { }));
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var server = new EditorServer(app, dataDir, new Uri(address));
        if (clips > 0)
            await server.SeedClipsAsync(clips);
        return server;
    }

    public Task<User> AddUserAsync(string name, UserRole role = UserRole.Editor) =>
        Service<IUserStore>().AddAsync(name, Password, role, CancellationToken.None);

    public Task<Compilation> AddCompilationAsync(User owner, string name = "Best of the week") =>
        Service<ICompilationStore>().CreateAsync(new Compilation { Name = name, GameId = GameId, OwnerId = owner.Id }, CancellationToken.None);

    /// <summary>A game and <paramref name="count"/> downloaded clips (tiny MP4s, each its own colour and tone), most viewed first.</summary>
    public async Task SeedClipsAsync(int count)
    {
        var ct = CancellationToken.None;
        await Service<IGameStore>().AddAsync(new Game { TwitchGameId = GameId, Name = "Just Chatting" }, ct);
        var store = Service<IClipStore>();
        var names = new[] { "ストリーマー", "Streamer🎮", "a_very_long_broadcaster_name_that_never_ends_and_keeps_going", "zoë" };
        var found = Enumerable.Range(0, count).Select(i => new FoundClip
        {
            TwitchClipId = "Clip" + i.ToString("D3", CultureInfo.InvariantCulture),
            Url = "https://clips.twitch.tv/Clip" + i.ToString(CultureInfo.InvariantCulture),
            BroadcasterId = (1000 + (i % 4)).ToString(CultureInfo.InvariantCulture),
            BroadcasterName = names[i % names.Length],
            GameId = GameId,
            Title = i % 3 == 0 ? $"Clip {i} — 信じられない瞬間 🎉 with a long title that goes on and on to test wrapping" : $"Clip {i}",
            ViewCount = 10_000 - i,
            CreatedAt = new DateTimeOffset(2026, 11, 1, 12, 0, 0, TimeSpan.Zero).AddHours(i),
            Duration = 2,
        }).ToList();
        await store.UpsertFoundAsync(found, ct);
        for (var i = 0; i < count; i++)
        {
            var clip = await store.GetByTwitchIdAsync(found[i].TwitchClipId, ct);
            var relative = $"clips/{GameId}/{found[i].TwitchClipId}.mp4";
            var full = Path.Combine(DataDir, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            File.Copy(await TestMedia.ClipAsync(i), full);
            var facts = new MediaFacts(TestMedia.ClipSeconds, 320, 180, 30, "h264", "aac", 48000, 2, "", 0);
            Clips.Add(await store.MarkDownloadedAsync(clip!.Id, new DownloadedClipFile(relative, new FileInfo(full).Length, facts, -20), ct));
        }
    }

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync();
        await App.DisposeAsync();
        try
        {
            Directory.Delete(DataDir, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

/// <summary>The editor tests' clips (made once per run by the shared <see cref="MediaFactory"/>) and a process runner for checks.</summary>
public static class TestMedia
{
    public const double ClipSeconds = 2.5;
    private static readonly string[] Colours = ["red", "green", "blue", "yellow", "cyan", "magenta", "orange", "purple", "white", "gray"];

    /// <summary>Clip <paramref name="index"/>: its own colour, its number in the middle and its own tone.</summary>
    public static Task<string> ClipAsync(int index) => MediaFactory.Shared.ClipAsync($"editor-clip{index.ToString(CultureInfo.InvariantCulture)}.mp4",
        ClipSeconds, fps: 30, colour: Colours[index % Colours.Length], label: index.ToString(CultureInfo.InvariantCulture), toneHz: 300 + (index * 40),
        keyframeEvery: 15);

    public static async Task<string> RunAsync(string program, params string[] args)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var arg in args)
            start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{program} failed ({process.ExitCode}): {stderr}");
        return await stdout;
    }
}
