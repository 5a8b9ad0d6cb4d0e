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
using Tccg.Tests;

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
        var writer = KeepAddingClipsAsync(clips, stop.Token, ct);
        var backup = Path.Combine(work, "backup");
        var (exit, output, errors) = await CliRunner.RunAsync(work, "--data", data, "backup", "--to", backup, "--with-clips");
        await stop.CancelAsync();
        var added = await writer;
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

    [Fact]
    public async Task MariaDbBackup_WhileTheServerWrites_IsADumpThatRestoresIntoAnEmptyDatabaseAServerRuns()
    {
        var work = CliRunner.NewWorkDir();
        var data = Path.Combine(work, "data");
        var source = await TestMariaDb.CreateAsync("tccg_bk_");
        var target = await TestMariaDb.CreateAsync("tccg_rs_");
        var ct = CancellationToken.None;
        try
        {
            string[] OnMariaDb(string db) => ["--set", "Tccg:Database:Provider=MySql", "--set", "Tccg:Database:ConnectionString=" + db];
            var cookies = new System.Net.CookieContainer();
            Compilation compilation;
            string backup;
            BackupManifest manifest;
            int added = 0;
            await using (var server = await StartServerAsync(data, source))
            {
                var services = server.Services;
                var user = await services.GetRequiredService<IUserStore>().AddAsync("keeper", Password, UserRole.Admin, ct);
                var clips = services.GetRequiredService<IClipStore>();
                await clips.UpsertFoundAsync(Enumerable.Range(0, 20).Select(i => Found("Start" + i)).ToList(), ct);
                compilation = await services.GetRequiredService<ICompilationStore>().CreateAsync(new Compilation { Name = "Kept", GameId = "g1", OwnerId = user.Id }, ct);
                await services.GetRequiredService<IRenderJobStore>().EnqueueAsync(compilation.Id, user.Id, "{}", ct);
                Write(data, "renders/1/out.mp4", 300_000);
                // A session made before the backup: the key ring travels with the database and keys/.
                using (var http = new HttpClient(new HttpClientHandler { CookieContainer = cookies }) { BaseAddress = Address(server) })
                    (await http.PostAsJsonAsync(new Uri("/api/v1/auth/login", UriKind.Relative), new { name = "keeper", password = Password })).EnsureSuccessStatusCode();

                using var stop = new CancellationTokenSource();
                var writer = KeepAddingClipsAsync(clips, stop.Token, ct);
                backup = Path.Combine(work, "backup");
                var (exit, output, errors) = await CliRunner.RunAsync(work, ["--data", data, .. OnMariaDb(source), "backup", "--to", backup]);
                await stop.CancelAsync();
                added = await writer;
                Assert.True(exit == 0, errors);
                Assert.Contains("Backup written to", output, StringComparison.Ordinal);
                Assert.True(added > 0, "the writer never ran during the backup");
                manifest = await BackupService.VerifyAsync(backup, ct);
            }

            Assert.Equal("MySql", manifest.Provider);
            Assert.Contains(manifest.Files, f => f.Path == BackupManifest.MySqlDumpFile);
            var dump = await File.ReadAllTextAsync(Path.Combine(backup, BackupManifest.MySqlDumpFile));
            Assert.Contains("CREATE TABLE `clips`", dump, StringComparison.Ordinal);
            Assert.DoesNotContain("CREATE DATABASE", dump, StringComparison.Ordinal); // loads into whichever database restore names

            // Restore: the files into a new data folder, the dump into the configured (empty) database.
            var restored = Path.Combine(work, "restored");
            var (code, said, complaints) = await CliRunner.RunAsync(work, ["--data", restored, .. OnMariaDb(target), "restore", "--from", backup]);
            Assert.True(code == 0, complaints);
            Assert.Contains("Restored into", said, StringComparison.Ordinal);
            Assert.Contains($"The database went into {new MySqlConnector.MySqlConnectionStringBuilder(target).Database}", said, StringComparison.Ordinal);
            Assert.False(File.Exists(Path.Combine(restored, "tccg.db")));

            // Not twice into the same database: it is no longer empty, and nothing is written to the new folder.
            var again = Path.Combine(work, "again");
            (code, _, complaints) = await CliRunner.RunAsync(work, ["--data", again, .. OnMariaDb(target), "restore", "--from", backup]);
            Assert.Equal(TccgCli.ExitFailure, code);
            Assert.Contains("is not empty; restore into a new, empty database", complaints, StringComparison.Ordinal);
            Assert.False(Directory.Exists(again), "a refused restore made the data folder");

            await using (var server = await StartServerAsync(restored, target))
            {
                var s = server.Services;
                Assert.Equal(UserRole.Admin, (await s.GetRequiredService<IUserStore>().GetByNameAsync("keeper", ct))!.Role);
                var count = (await s.GetRequiredService<IClipStore>().CountsAsync("g1", ct)).Sum(c => c.Count);
                Assert.InRange(count, manifest.Counts["clips"], 20 + added);
                Assert.Equal("Kept", (await s.GetRequiredService<ICompilationStore>().GetAsync(compilation.Id, ct))!.Name);
                Assert.Single(await s.GetRequiredService<IRenderJobStore>().ListAsync(null, null, 10, ct));
                Assert.Equal(await File.ReadAllBytesAsync(Path.Combine(data, "renders/1/out.mp4")), await File.ReadAllBytesAsync(Path.Combine(restored, "renders/1/out.mp4")));

                // The session cookie issued before the backup is still good on the restored server.
                // (Cookies belong to the host, not the port: the new server on 127.0.0.1 gets the old one's cookie.)
                using var http = new HttpClient(new HttpClientHandler { CookieContainer = cookies }) { BaseAddress = Address(server) };
                var session = await http.GetFromJsonAsync<System.Text.Json.JsonElement>(new Uri("/api/v1/auth/session", UriKind.Relative));
                Assert.Equal("keeper", session.GetProperty("name").GetString());
            }
        }
        finally
        {
            await TestMariaDb.DropAsync(source);
            await TestMariaDb.DropAsync(target);
            Directory.Delete(work, recursive: true);
        }
    }

    [Fact]
    public async Task MariaDbBackup_WithoutTheClient_SaysWhatToInstall_AndWritesNothing()
    {
        var work = CliRunner.NewWorkDir();
        var source = await TestMariaDb.CreateAsync("tccg_nc_");
        try
        {
            // tccg as its own process with a PATH that holds no mariadb-dump (dotnet is started by its full path).
            var backup = Path.Combine(work, "backup");
            var (exit, output) = await TccgProcess.RunAsync(
                ["--data", Path.Combine(work, "data"), "--set", "Tccg:Database:Provider=MySql", "--set", "Tccg:Database:ConnectionString=" + source, "backup", "--to", backup],
                environment: new Dictionary<string, string?> { ["PATH"] = work });
            Assert.True(exit == TccgCli.ExitFailure, output);
            Assert.Contains("mariadb-dump is not installed (apt-get install mariadb-client)", output, StringComparison.Ordinal);
            Assert.Contains("mariadb-dump --single-transaction", output, StringComparison.Ordinal);
            Assert.DoesNotContain("   at ", output, StringComparison.Ordinal);
            Assert.False(Directory.Exists(backup), "the failed backup left a folder");
        }
        finally
        {
            await TestMariaDb.DropAsync(source);
            Directory.Delete(work, recursive: true);
        }
    }

    /// <summary>Adds a clip every few milliseconds until <paramref name="stop"/>, as a running server does; how many it added.</summary>
    private static Task<int> KeepAddingClipsAsync(IClipStore clips, CancellationToken stop, CancellationToken ct) => Task.Run(async () =>
    {
        var added = 0;
        while (!stop.IsCancellationRequested)
        {
            await clips.UpsertFoundAsync([Found("During" + added)], ct);
            added++;
            await Task.Delay(5, ct);
        }
        return added;
    }, ct);

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

    private static async Task<WebApplication> StartServerAsync(string data, string? mariadb = null)
    {
        Directory.CreateDirectory(data);
        var settings = new Dictionary<string, string?>
        {
            ["Tccg:Storage:Root"] = data,
            ["Tccg:Server:InProcessGenerator"] = "false",
            ["Tccg:Server:Automation"] = "false",
        };
        if (mariadb is not null)
        {
            settings["Tccg:Database:Provider"] = "MySql";
            settings["Tccg:Database:ConnectionString"] = mariadb;
        }
        var config = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var app = ServerApp.Build(config, urls: "http://127.0.0.1:0", logging: _ => { });
        await app.StartAsync();
        return app;
    }

    private static Uri Address(WebApplication app) =>
        new(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
}
