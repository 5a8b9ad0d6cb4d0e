using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Tccg.Media.Processes;
using Tccg.Server;
using Tccg.Storage;
using Tccg.Storage.Clips;
using Tccg.Core.Media;

namespace Tccg.Cli.Tests;

/// <summary>
/// Probe finding 7 and the account commands against a running server: a script token made with
/// <c>tccg token create --script NAME --user LOGIN</c> drives the whole API flow, and <c>tccg user logout|passwd</c>
/// end the sessions the server holds (data folder shared by the CLI and the server, as on one machine).
/// </summary>
[Collection(ConsoleInput.Name)]
public sealed class ScriptTokenFlowTests
{
    static ScriptTokenFlowTests() => Commands.AccountsCli.StdinIsTerminal = () => false;

    private static Uri U(string path) => new(path, UriKind.Relative);

    private static async Task<(int Exit, string Out, string Err)> RunAsync(string dir, string? stdin, params string[] args)
    {
        var before = Console.In;
        Console.SetIn(new StringReader(stdin ?? ""));
        try
        {
            return await CliRunner.RunAsync(dir, ["--data", Path.Combine(dir, "data"), .. args]);
        }
        finally
        {
            Console.SetIn(before);
        }
    }

    private static async Task<WebApplication> StartServerAsync(string dir)
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Tccg:Storage:Root"] = Path.Combine(dir, "data"),
            ["Tccg:Server:InProcessGenerator"] = "false",
            ["Tccg:Server:Automation"] = "false",
        }).Build();
        var app = ServerApp.Build(config, urls: "http://127.0.0.1:0", logging: _ => { });
        await app.StartAsync();
        return app;
    }

    private static Uri BaseUrl(WebApplication app) =>
        new(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());

    /// <summary>A downloaded clip of game g1 in the server's clip bin, with a real 2 s video made by ffmpeg.</summary>
    private static async Task<long> SeedClipAsync(WebApplication app, string dir, string twitchId)
    {
        var clips = app.Services.GetRequiredService<IClipStore>();
        await clips.UpsertFoundAsync([new FoundClip
        {
            TwitchClipId = twitchId, Url = "https://clips.twitch.tv/" + twitchId, BroadcasterId = "b-" + twitchId,
            BroadcasterName = "Streamer " + twitchId, GameId = "g1", Title = "Title " + twitchId, ViewCount = 100,
            CreatedAt = DateTimeOffset.UnixEpoch.AddDays(20000), Duration = 2,
        }], CancellationToken.None);
        var clip = (await clips.GetByTwitchIdAsync(twitchId, CancellationToken.None))!;
        var relative = $"clips/g1/{twitchId}.mp4";
        var full = Path.Combine(dir, "data", relative);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        await new MediaProcessRunner().FfmpegAsync(["-v", "error", "-y",
            "-f", "lavfi", "-i", "testsrc2=s=320x180:r=25:d=2", "-f", "lavfi", "-i", "sine=f=440:d=2",
            "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-c:a", "aac", "-b:a", "64k", "-shortest", full],
            null, CancellationToken.None);
        await clips.MarkDownloadedAsync(clip.Id, new DownloadedClipFile(relative, new FileInfo(full).Length,
            new MediaFacts(2.0, 320, 180, 25, "h264", "aac", 44100, 1, "", 0), -23), CancellationToken.None);
        return clip.Id;
    }

    [Fact]
    public async Task TokenCreate_Script_NeedsAnExistingUser()
    {
        var dir = CliRunner.NewWorkDir();
        var (noUser, _, noUserErr) = await RunAsync(dir, null, "token", "create", "--script", "nightly");
        Assert.Equal(TccgCli.ExitUsage, noUser);
        Assert.Contains("--user LOGIN", noUserErr, StringComparison.Ordinal);

        var (unknown, unknownOut, unknownErr) = await RunAsync(dir, null, "token", "create", "--script", "nightly", "--user", "ghost");
        Assert.Equal(TccgCli.ExitFailure, unknown);
        Assert.Contains("no user named ghost", unknownErr, StringComparison.Ordinal);
        Assert.DoesNotContain("tccg_", unknownOut, StringComparison.Ordinal);

        var (workerWithUser, _, workerErr) = await RunAsync(dir, null, "token", "create", "--worker", "gpu", "--user", "ghost");
        Assert.Equal(TccgCli.ExitUsage, workerWithUser);
        Assert.Contains("--user is for script tokens", workerErr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ShortPassword_OnTheCommandLineAndThroughTheApi_IsRefusedByTheSameRuleInTheSameWords()
    {
        var dir = CliRunner.NewWorkDir();
        Assert.Equal(0, (await RunAsync(dir, "a long password\n", "user", "add", "boss", "--admin", "--password-stdin")).Exit);
        var secret = (await RunAsync(dir, null, "token", "create", "--script", "admin-script", "--user", "boss")).Out.Trim();

        var (exit, _, err) = await RunAsync(dir, "short\n", "user", "add", "dan", "--password-stdin");
        Assert.Equal(1, exit);

        await using var app = await StartServerAsync(dir);
        using var api = new HttpClient { BaseAddress = BaseUrl(app) };
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", secret);
        using var refused = await api.PostAsJsonAsync(U("/api/v1/admin/users"), new { name = "dan", password = "short", role = "editor" });
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var error = (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors")[0];
        var rule = $"{error.GetProperty("field").GetString()}: {error.GetProperty("message").GetString()}";
        Assert.Equal("password", error.GetProperty("field").GetString());
        Assert.Contains(rule, err, StringComparison.Ordinal);
        Assert.DoesNotContain(await app.Services.GetRequiredService<Tccg.Storage.Accounts.IUserStore>().ListAsync(CancellationToken.None), u => u.Name == "dan");
    }

    [Fact]
    public async Task ScriptToken_MadeOnTheCommandLine_ScriptsTheWholeApiFlow()
    {
        var dir = CliRunner.NewWorkDir();
        Assert.Equal(0, (await RunAsync(dir, "a long password\n", "user", "add", "ed", "--password-stdin")).Exit);
        var (exit, output, err) = await RunAsync(dir, null, "token", "create", "--script", "nightly", "--user", "ed");
        Assert.True(exit == 0, err);
        Assert.Contains("acting as ed", err, StringComparison.Ordinal);
        var secret = output.Trim();

        await using var app = await StartServerAsync(dir);
        var a = await SeedClipAsync(app, dir, "ClipA");
        var b = await SeedClipAsync(app, dir, "ClipB");
        using var script = new HttpClient { BaseAddress = BaseUrl(app) };
        script.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", secret);

        var session = await script.GetFromJsonAsync<JsonElement>(U("/api/v1/auth/session"));
        Assert.Equal(("ed", "editor"), (session.GetProperty("name").GetString(), session.GetProperty("role").GetString()));

        using var created = await script.PostAsJsonAsync(U("/api/v1/compilations"), new { name = "Nightly", gameId = "g1" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
        var next = (await script.GetFromJsonAsync<JsonElement[]>(U($"/api/v1/compilations/{id}/next?count=10")))!
            .Select(c => c.GetProperty("id").GetInt64()).ToArray();
        Assert.Equal([a, b], next.Order());
        foreach (var clip in next)
        {
            using var kept = await script.PostAsJsonAsync(U($"/api/v1/compilations/{id}/review"), new { clipId = clip, decision = "keep" });
            Assert.True(kept.IsSuccessStatusCode, await kept.Content.ReadAsStringAsync());
        }
        using var submitted = await script.PostAsync(U($"/api/v1/compilations/{id}/submit"), null);
        Assert.True(submitted.StatusCode == HttpStatusCode.Accepted, await submitted.Content.ReadAsStringAsync());

        var renders = (await script.GetFromJsonAsync<JsonElement[]>(U($"/api/v1/renders?compilationId={id}")))!;
        var render = Assert.Single(renders);
        Assert.Equal("queued", render.GetProperty("status").GetString());
    }

    [Fact]
    public async Task UserLogoutAndPasswd_OnTheCommandLine_EndTheSessionsOfARunningServer()
    {
        var dir = CliRunner.NewWorkDir();
        Assert.Equal(0, (await RunAsync(dir, "a long password\n", "user", "add", "fia", "--password-stdin")).Exit);
        await using var app = await StartServerAsync(dir);

        async Task<HttpClient> LoginAsync(string password)
        {
            var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = BaseUrl(app) };
            (await client.PostAsJsonAsync(U("/api/v1/auth/login"), new { name = "fia", password })).EnsureSuccessStatusCode();
            return client;
        }

        // The server remembers a user for about a second; a change from another process shows within a few.
        static async Task<HttpStatusCode> SettledStatusAsync(HttpClient client)
        {
            var watch = System.Diagnostics.Stopwatch.StartNew();
            var status = HttpStatusCode.OK;
            while (status == HttpStatusCode.OK && watch.Elapsed < TimeSpan.FromSeconds(5))
            {
                status = (await client.GetAsync(U("/api/v1/auth/session"))).StatusCode;
                if (status == HttpStatusCode.OK)
                    await Task.Delay(100);
            }
            return status;
        }

        using var first = await LoginAsync("a long password");
        Assert.Equal(HttpStatusCode.OK, (await first.GetAsync(U("/api/v1/auth/session"))).StatusCode);
        var (logout, logoutOut, logoutErr) = await RunAsync(dir, null, "user", "logout", "fia");
        Assert.True(logout == 0, logoutErr);
        Assert.Contains("Ended every browser session of fia", logoutOut, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, await SettledStatusAsync(first));

        using var second = await LoginAsync("a long password");
        Assert.Equal(0, (await RunAsync(dir, "a newer password\n", "user", "passwd", "fia", "--password-stdin")).Exit);
        Assert.Equal(HttpStatusCode.Unauthorized, await SettledStatusAsync(second));
        using var third = await LoginAsync("a newer password");
        Assert.Equal(HttpStatusCode.OK, (await third.GetAsync(U("/api/v1/auth/session"))).StatusCode);

        var (unknown, _, unknownErr) = await RunAsync(dir, null, "user", "logout", "nobody");
        Assert.Equal(TccgCli.ExitFailure, unknown);
        Assert.Contains("No user named nobody", unknownErr, StringComparison.Ordinal);
    }
}
