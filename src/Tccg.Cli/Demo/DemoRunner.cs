using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Tccg.Server;
using Tccg.Storage.Accounts;
using Tccg.Storage.Renders;
using Tccg.TwitchSim;

namespace Tccg.Cli.Demo;

/// <summary>What <c>tccg demo</c> was asked for.</summary>
internal sealed record DemoSettings(string DataDir, string Urls, int Clips, bool ExitAfterRender, bool Verbose);

/// <summary>
/// The whole job on loopback: Twitch simulator → server (+ in-process generator) → add a category → find and
/// download → assets → compilation → render. Everything after start-up goes through the server's HTTP API.
/// </summary>
internal sealed class DemoRunner(DemoSettings settings, IConfiguration userConfiguration, TextWriter output)
{
    private const string DemoMarker = ".tccg-demo";
    private const string GameName = "Just Chatting";
    private const int Width = 1280;
    private const int Height = 720;

    public async Task<int> RunAsync(CancellationToken ct)
    {
        var report = new DemoReporter(output, 7);
        var dataDir = Path.GetFullPath(settings.DataDir);

        report.Step($"Preparing a fresh data folder {dataDir}");
        PrepareDataFolder(dataDir);
        report.Done("ready");

        report.Step("Starting the Twitch simulator (Helix, GQL and a CDN of real MP4s) on loopback");
        await using var sim = await TwitchSimHost.StartAsync(new TwitchSimOptions { Seed = 2026, MediaSize = MediaSize.Full }, ct);
        var media = sim.PrepareMediaAsync(ct);
        report.Done($"listening on {sim.BaseUrl}");

        report.Step("Starting the Tccg server with an in-process video generator");
        var password = "demo-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));
        await using var app = await StartServerAsync(sim, dataDir, ct);
        try
        {
            return await RunOnServerAsync(app, password, report, dataDir, media, ct);
        }
        finally
        {
            // Stop before disposing: waiting generators get their answer and requests drain while the services exist.
            await app.StopAsync(CancellationToken.None);
        }
    }

    private async Task<int> RunOnServerAsync(WebApplication app, string password, DemoReporter report, string dataDir, Task media, CancellationToken ct)
    {
        var baseUrl = new Uri(app.Urls.First());
        // Set-up as the machine's owner would do it with `tccg user add`: through the rules layer, as the system.
        var system = Tccg.Server.Application.CurrentUser.System("demo set-up");
        await app.Services.GetRequiredService<Tccg.Server.Features.Admin.AdminService>().AddUserAsync(system, "demo", password, UserRole.Admin, ct);
        using var api = await DemoApi.LoginAsync(baseUrl, "demo", password, ct);
        report.Done($"serving {baseUrl} — logged in as demo");

        report.Step($"Adding the category \"{GameName}\", then finding and downloading its top clips");
        var game = await api.PostAsync("/api/v1/games", new { name = GameName }, ct);
        var gameId = game.GetProperty("id").GetInt64();
        var twitchGameId = game.GetProperty("twitchGameId").GetString()!;
        await api.PutAsync($"/api/v1/games/{gameId}", new
        {
            filters = new { minDuration = 8, maxDuration = 60 },
            schedule = new { period = "Week", intervalMinutes = 60, targetUnreviewed = settings.Clips + 2 },
        }, ct);
        await media;
        await DownloadClipsAsync(api, gameId, settings.Clips + 2, report, ct);

        report.Step("Making an intro, interval, outro and music track with ffmpeg and uploading them");
        var files = await DemoAssets.CreateAsync(Path.Combine(dataDir, "demo-assets"), Width, Height, ct);
        var intro = (await api.UploadAsync("intro", files.Intro, ct)).GetProperty("id").GetInt64();
        var interval = (await api.UploadAsync("interval", files.Interval, ct)).GetProperty("id").GetInt64();
        var outro = (await api.UploadAsync("outro", files.Outro, ct)).GetProperty("id").GetInt64();
        var music = (await api.UploadAsync("music", files.Music, ct)).GetProperty("id").GetInt64();
        report.Done("4 assets uploaded and checked by the server");

        report.Step($"Reviewing: keeping the top {settings.Clips} clips, trimming them and building the timeline");
        var compilationId = await BuildCompilationAsync(api, twitchGameId, new DemoAssetIds(intro, interval, outro, music), ct);
        report.Done($"compilation {compilationId} is valid");

        report.Step("Rendering the compilation");
        var submitted = await api.PostAsync($"/api/v1/compilations/{compilationId}/submit", null, ct);
        var jobId = submitted.GetProperty("jobId").GetInt64();
        var render = await WatchRenderAsync(api, jobId, report, ct);
        var job = await app.Services.GetRequiredService<Tccg.Server.Features.Renders.RenderService>().GetAsync(system, jobId, ct);
        report.Done(string.Create(CultureInfo.InvariantCulture,
            $"{render.GetProperty("output").GetProperty("durationSeconds").GetDouble():0.0} s of video in {report.Elapsed.TotalSeconds:0} s overall"));

        await PrintResultAsync(InData(dataDir, job.OutputPath), InData(dataDir, job.CreditsPath), baseUrl, password);
        if (settings.ExitAfterRender)
            return TccgCli.ExitOk;

        await output.WriteLineAsync("The server keeps running for the editor; press Ctrl-C to stop.");
        try
        {
            await Task.Delay(Timeout.Infinite, ct);
        }
        catch (OperationCanceledException)
        {
        }

        return TccgCli.ExitOk;
    }

    private static void PrepareDataFolder(string dataDir)
    {
        if (Directory.Exists(dataDir) && Directory.EnumerateFileSystemEntries(dataDir).Any())
        {
            if (!File.Exists(Path.Combine(dataDir, DemoMarker)))
                throw new CliException($"{dataDir} is not empty and was not made by `tccg demo`; choose another folder with --data.");
            Directory.Delete(dataDir, recursive: true);
        }

        Directory.CreateDirectory(dataDir);
        File.WriteAllText(Path.Combine(dataDir, DemoMarker), "made by tccg demo; deleted by the next demo run\n");
    }

    private async Task<WebApplication> StartServerAsync(TwitchSimHost sim, string dataDir, CancellationToken ct)
    {
        var overrides = new Dictionary<string, string?>(sim.TccgConfiguration.ToDictionary(kv => kv.Key, kv => (string?)kv.Value))
        {
            ["Tccg:Storage:Root"] = dataDir,
            ["Tccg:Database:Provider"] = "Sqlite",
            ["Tccg:Database:ConnectionString"] = "",
            ["Tccg:Server:Automation"] = "true",
            ["Tccg:Server:InProcessGenerator"] = "true",
        };
        var configuration = new ConfigurationBuilder().AddConfiguration(userConfiguration).AddInMemoryCollection(overrides).Build();
        var app = ServerApp.Build(configuration, settings.Urls, logging => CliHost.ConfigureLogging(logging, settings.Verbose));
        try
        {
            await app.StartAsync(ct);
            return app;
        }
        catch (IOException e) when (e.InnerException is Microsoft.AspNetCore.Connections.AddressInUseException)
        {
            await app.DisposeAsync();
            await output.WriteLineAsync($"      {settings.Urls} is taken; using a free port instead.");
            app = ServerApp.Build(configuration, "http://127.0.0.1:0", logging => CliHost.ConfigureLogging(logging, settings.Verbose));
            await app.StartAsync(ct);
            return app;
        }
    }

    private static async Task DownloadClipsAsync(DemoApi api, long gameId, int target, DemoReporter report, CancellationToken ct)
    {
        // The automatic mode's start-up pass may still be running: ask until the run is accepted.
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                await api.PostAsync("/api/v1/automation/run", null, ct);
                break;
            }
            catch (CliException) when (attempt < 100)
            {
                await Task.Delay(300, ct);
            }
        }

        var started = DateTime.UtcNow;
        while (true)
        {
            await Task.Delay(500, ct);
            var game = await api.GetAsync($"/api/v1/games/{gameId}", ct);
            var counts = game.GetProperty("counts");
            var downloaded = counts.GetProperty("Downloaded").GetInt64();
            var found = counts.EnumerateObject().Sum(c => c.Value.GetInt64());
            var detail = game.TryGetProperty("automation", out var a) && a.ValueKind == JsonValueKind.Object
                ? $"{a.GetProperty("phase").GetString()} — {found} clips found, {downloaded} downloaded"
                : $"{found} clips found, {downloaded} downloaded";
            report.Progress(100.0 * Math.Min(downloaded, target) / target, detail);
            var automation = await api.GetAsync("/api/v1/automation", ct);
            if (downloaded >= target || (!automation.GetProperty("running").GetBoolean() && DateTime.UtcNow - started > TimeSpan.FromSeconds(3)))
            {
                if (downloaded < 2)
                    throw new CliException($"Only {downloaded} clips could be downloaded; see the server log (--verbose).");
                report.Done($"{found} clips in the bin, {downloaded} downloaded, probed and loudness-measured");
                return;
            }
        }
    }

    private sealed record DemoAssetIds(long Intro, long Interval, long Outro, long Music);

    private async Task<long> BuildCompilationAsync(DemoApi api, string twitchGameId, DemoAssetIds assets, CancellationToken ct)
    {
        var compilation = await api.PostAsync("/api/v1/compilations", new { name = "Top clips of the week (demo)", gameId = twitchGameId }, ct);
        var id = compilation.GetProperty("id").GetInt64();
        var next = await api.GetAsync($"/api/v1/compilations/{id}/next?count={settings.Clips + 1}", ct);
        var candidates = next.EnumerateArray().ToList();
        var kept = new List<JsonElement>();
        foreach (var clip in candidates)
        {
            var keep = kept.Count < settings.Clips && !(kept.Count == 1 && candidates.Count > settings.Clips && clip.Equals(candidates[2]));
            await api.PostAsync($"/api/v1/compilations/{id}/review", new { clipId = clip.GetProperty("id").GetInt64(), decision = keep ? "keep" : "skip" }, ct);
            if (keep)
                kept.Add(clip);
        }

        var current = await api.GetAsync($"/api/v1/compilations/{id}", ct);
        var items = kept.Select(clip =>
        {
            var length = clip.TryGetProperty("mediaDuration", out var m) && m.ValueKind == JsonValueKind.Number ? m.GetDouble() : clip.GetProperty("duration").GetDouble();
            return new { clipId = clip.GetProperty("id").GetInt64(), trimStart = 0.5, trimEnd = Math.Round(Math.Min(length, 6.5), 3), volume = 1.0 };
        }).ToList();
        await api.PutAsync($"/api/v1/compilations/{id}", new
        {
            version = current.GetProperty("version").GetInt64(),
            name = "Top clips of the week (demo)",
            gameId = twitchGameId,
            items,
            introAssetId = assets.Intro,
            intervalAssetId = assets.Interval,
            outroAssetId = assets.Outro,
            music = new { tracks = new[] { assets.Music }, volume = 0.15, duck = true },
            settings = new
            {
                output = new { width = Width, height = Height, fps = 30, preset = "veryfast", crf = 23 },
                overlay = new { enabled = true, position = "top-left", seconds = 4 },
            },
        }, ct);
        var validation = await api.GetAsync($"/api/v1/compilations/{id}/validation", ct);
        if (!validation.GetProperty("valid").GetBoolean())
            throw new CliException("The demo compilation is not valid: " + validation.GetProperty("messages").GetRawText());
        return id;
    }

    private static async Task<JsonElement> WatchRenderAsync(DemoApi api, long jobId, DemoReporter report, CancellationToken ct)
    {
        while (true)
        {
            await Task.Delay(500, ct);
            var render = await api.GetAsync($"/api/v1/renders/{jobId}", ct);
            var status = render.GetProperty("status").GetString()!.ToLowerInvariant();
            var percent = render.TryGetProperty("percent", out var p) && p.ValueKind == JsonValueKind.Number ? p.GetDouble() : 0;
            var stage = render.TryGetProperty("stage", out var s) && s.ValueKind == JsonValueKind.String ? s.GetString() : status;
            var eta = render.TryGetProperty("etaSeconds", out var e) && e.ValueKind == JsonValueKind.Number
                ? string.Create(CultureInfo.InvariantCulture, $", about {e.GetDouble():0} s left")
                : "";
            report.Progress(status == "succeeded" ? 100 : percent, $"{stage}{eta}");
            switch (status)
            {
                case "succeeded":
                    return render;
                case "failed" or "cancelled":
                    var error = render.TryGetProperty("error", out var err) ? err.GetString() : null;
                    throw new CliException($"The render {status}: {error ?? "no reason given"}");
            }
        }
    }

    /// <summary>A stored path (relative to the data folder, or absolute) as a full path.</summary>
    private static string? InData(string dataDir, string? stored) =>
        stored is null ? null : Path.GetFullPath(Path.Combine(dataDir, stored));

    private async Task PrintResultAsync(string? video, string? credits, Uri baseUrl, string password)
    {
        await output.WriteLineAsync();
        await output.WriteLineAsync($"Video:    {video}");
        await output.WriteLineAsync($"Credits:  {credits}");
        if (credits is not null && File.Exists(credits))
        {
            foreach (var line in (await File.ReadAllLinesAsync(credits)).Take(14))
                await output.WriteLineAsync("          " + line);
        }

        await output.WriteLineAsync($"Editor:   {baseUrl}  (login: demo / {password})");
    }
}
