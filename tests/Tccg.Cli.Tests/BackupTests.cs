using System.Net.Http.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Tccg.Server;
using Tccg.Storage.Accounts;
using Tccg.Storage.Backup;
using Tccg.Storage.Clips;
using Tccg.Storage.Compilations;
using Tccg.Storage.Renders;

namespace Tccg.Cli.Tests;

/// <summary><c>tccg backup</c> while a server writes, <c>tccg restore</c> into a new folder and a server started on it.</summary>
public sealed class BackupTests
{
    private const string Password = "correct horse battery";

    [Fact]
    public async Task Backup_WhileTheServerWrites_RestoresIntoANewFolderThatAServerRuns_AndACorruptFileIsRefusedByName()
    {
        var work = CliRunner.NewWorkDir();
        var data = Path.Combine(work, "data");
        await using var server = await StartServerAsync(data);
        var services = server.Services;
        var ct = CancellationToken.None;
        var user = await services.GetRequiredService<IUserStore>().AddAsync("keeper", Password, UserRole.Admin, ct);
        var clips = services.GetRequiredService<IClipStore>();
        await clips.UpsertFoundAsync(Enumerable.Range(0, 20).Select(i => Found("Start" + i)).ToList(), ct);
        var compilation = await services.GetRequiredService<ICompilationStore>().CreateAsync(new Compilation { Name = "Kept", GameId = "g1", OwnerId = user.Id }, ct);
        await services.GetRequiredService<IRenderJobStore>().EnqueueAsync(compilation.Id, user.Id, "{}", ct);
        Write(data, "assets/intro.mp4", 200_000);
        Write(data, "renders/1/out.mp4", 300_000);
        Write(data, "clips/g1/Start0.mp4", 100_000);

        // The server keeps adding clips while the backup runs.
        using var stop = new CancellationTokenSource();
        var added = 0;
        var writer = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                await clips.UpsertFoundAsync([Found("During" + added)], ct);
                added++;
                await Task.Delay(5, ct);
            }
        }, ct);
        var backup = Path.Combine(work, "backup");
        var (exit, output, errors) = await CliRunner.RunAsync(work, "--data", data, "backup", "--to", backup, "--with-clips");
        await stop.CancelAsync();
        await writer;
        Assert.True(exit == 0, errors);
        Assert.Contains("Backup written to", output, StringComparison.Ordinal);
        Assert.True(added > 0, "the writer never ran during the backup");

        var manifest = await BackupService.VerifyAsync(backup, ct);
        Assert.Equal(("Sqlite", true), (manifest.Provider, manifest.WithClips));
        Assert.InRange(manifest.Counts["clips"], 20, 20 + added);
        Assert.Equal((1L, 1L, 1L), (manifest.Counts["users"], manifest.Counts["compilations"], manifest.Counts["render_jobs"]));
        Assert.Contains(manifest.Files, f => f.Path == "clips/g1/Start0.mp4");
        Assert.Contains(manifest.Files, f => f.Path == "keys/data-protection.key");

        // Restore into a new folder and run a server on it: the same users, clips, compilations and renders.
        var restored = Path.Combine(work, "restored");
        (exit, output, errors) = await CliRunner.RunAsync(work, "--data", restored, "restore", "--from", backup);
        Assert.True(exit == 0, errors);
        Assert.Contains("Restored into", output, StringComparison.Ordinal);
        await using (var again = await StartServerAsync(restored))
        {
            var s = again.Services;
            Assert.Equal(UserRole.Admin, (await s.GetRequiredService<IUserStore>().GetByNameAsync("keeper", ct))!.Role);
            var counts = await s.GetRequiredService<IClipStore>().CountsAsync("g1", ct);
            Assert.Equal(manifest.Counts["clips"], counts.Sum(c => c.Count));
            Assert.Equal("Kept", (await s.GetRequiredService<ICompilationStore>().GetAsync(compilation.Id, ct))!.Name);
            Assert.Single(await s.GetRequiredService<IRenderJobStore>().ListAsync(null, null, 10, ct));
            Assert.Equal(await File.ReadAllBytesAsync(Path.Combine(data, "renders/1/out.mp4")), await File.ReadAllBytesAsync(Path.Combine(restored, "renders/1/out.mp4")));

            using var http = new HttpClient { BaseAddress = Address(again) };
            var login = await http.PostAsJsonAsync(new Uri("/api/v1/auth/login", UriKind.Relative), new { name = "keeper", password = Password });
            Assert.True(login.IsSuccessStatusCode, $"login on the restored server: {(int)login.StatusCode}");
        }

        // One flipped byte in an asset: the restore names the file and writes nothing.
        var damaged = Path.Combine(backup, "assets", "intro.mp4");
        var bytes = await File.ReadAllBytesAsync(damaged);
        bytes[1234] ^= 0xFF;
        await File.WriteAllBytesAsync(damaged, bytes);
        var refused = Path.Combine(work, "refused");
        (exit, _, errors) = await CliRunner.RunAsync(work, "--data", refused, "restore", "--from", backup);
        Assert.Equal(TccgCli.ExitFailure, exit);
        Assert.Contains(damaged, errors, StringComparison.Ordinal);
        Assert.Contains("damaged", errors, StringComparison.Ordinal);
        Assert.False(Directory.Exists(refused) && Directory.EnumerateFileSystemEntries(refused).Any(), "a refused restore wrote files");

        Directory.Delete(work, recursive: true);
    }

    private static FoundClip Found(string id) => new()
    {
        TwitchClipId = id, Url = "https://clips.twitch.tv/" + id, BroadcasterId = "b1", BroadcasterName = "Streamer",
        GameId = "g1", Title = "Clip " + id, ViewCount = 10, Duration = 5,
    };

    private static void Write(string data, string relative, int size)
    {
        var path = Path.Combine(data, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, [.. Enumerable.Range(0, size).Select(i => (byte)(i * 7))]);
    }

    private static async Task<WebApplication> StartServerAsync(string data)
    {
        Directory.CreateDirectory(data);
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Tccg:Storage:Root"] = data,
            ["Tccg:Server:InProcessGenerator"] = "false",
            ["Tccg:Server:Automation"] = "false",
        }).Build();
        var app = ServerApp.Build(config, urls: "http://127.0.0.1:0", logging: _ => { });
        await app.StartAsync();
        return app;
    }

    private static Uri Address(WebApplication app) =>
        new(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
}
