using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Tccg.Generator;
using Tccg.Media.Rendering;
using Tccg.Storage.Accounts;
using Tccg.Storage.Clips;
using Tccg.Storage.Renders;
using Tccg.Core.Media;

namespace Tccg.Server.Tests.Renders;

/// <summary>
/// A server with two tiny clips and an interval (made once per run with ffmpeg lavfi, 160x90) copied under
/// its storage root, the clips in the clip bin as Downloaded, and helpers for jobs, tokens and generators.
/// </summary>
internal sealed class RenderWorld : IAsyncDisposable
{
    private static readonly Lazy<Task<string>> Media = new(CreateMediaAsync);
    private readonly List<IDisposable> _owned = [];

    private RenderWorld(TestServer server) => Server = server;

    public TestServer Server { get; }
    public long ClipA { get; private set; }
    public long ClipB { get; private set; }
    public IRenderJobStore Jobs => Server.App.Services.GetRequiredService<IRenderJobStore>();
    public IClipStore Clips => Server.App.Services.GetRequiredService<IClipStore>();
    public static string MediaDir => Media.Value.GetAwaiter().GetResult();

    public static async Task<RenderWorld> StartAsync(int leaseSeconds = 30, int maxAttempts = 3, bool inProcessGenerator = false)
    {
        var media = await Media.Value;
        var server = await TestServer.StartAsync(new Dictionary<string, string?>
        {
            ["Tccg:Server:RenderLeaseSeconds"] = leaseSeconds.ToString(CultureInfo.InvariantCulture),
            ["Tccg:Server:RenderMaxAttempts"] = maxAttempts.ToString(CultureInfo.InvariantCulture),
            ["Tccg:Server:InProcessGenerator"] = inProcessGenerator ? "true" : "false",
            ["Tccg:Generator:Parallelism"] = "2",
        });
        var world = new RenderWorld(server);
        foreach (var file in Directory.GetFiles(media, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(server.DataDir, Path.GetRelativePath(media, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target, overwrite: true);
        }
        world.ClipA = await world.AddClipAsync("a");
        world.ClipB = await world.AddClipAsync("b");
        return world;
    }

    private async Task<long> AddClipAsync(string name)
    {
        var twitchId = "Clip" + name + Guid.NewGuid().ToString("N")[..8];
        await Clips.UpsertFoundAsync([new FoundClip
        {
            TwitchClipId = twitchId, Url = "https://clips.twitch.tv/" + twitchId, BroadcasterId = "b-" + name,
            BroadcasterName = "Streamer " + name, GameId = "g1", Title = "Clip " + name, ViewCount = 10, Duration = 1,
        }], CancellationToken.None);
        var clip = (await Clips.GetByTwitchIdAsync(twitchId, CancellationToken.None))!;
        await Clips.MarkDownloadedAsync(clip.Id, new DownloadedClipFile($"clips/{name}.mp4", 1000,
            new MediaFacts(1, 160, 90, 30, "h264", "aac", 48000, 2, "", 0), -20), CancellationToken.None);
        return clip.Id;
    }

    /// <summary>The frozen timeline of a two-clip compilation with an interval, as the compilations feature would submit it.</summary>
    public string TimelineJson(string name = "Test comp") => $$$"""
        {"name":"{{{name}}}","timeline":{"version":1,
          "output":{"width":160,"height":90,"fps":15,"preset":"ultrafast","crf":30,"audioBitrateKbps":64},
          "overlay":{"enabled":false},
          "interval":"assets/interval.mp4",
          "items":[
            {"kind":"clip","file":"clips/a.mp4","streamer":{"name":"Streamer a","login":"streamera"}},
            {"kind":"clip","file":"clips/b.mp4","streamer":{"name":"Streamer b","login":"streamerb"}}]},
         "loudness":{"clips/a.mp4":-20.5,"clips/b.mp4":-21.5},
         "clipIds":[{{{ClipA}}},{{{ClipB}}}]}
        """;

    public Task<RenderJob> EnqueueAsync(long? ownerId, string name = "Test comp") =>
        Jobs.EnqueueAsync(null, ownerId, TimelineJson(name), CancellationToken.None);

    public async Task<string> WorkerTokenAsync(string name) =>
        (await Server.App.Services.GetRequiredService<ITokenStore>().CreateAsync(name, TokenKind.Worker, null, CancellationToken.None)).Secret;

    public async Task<HttpClient> WorkerClientAsync(string name = "worker")
    {
        var client = Server.CreateClient(cookies: false);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await WorkerTokenAsync(name));
        _owned.Add(client);
        return client;
    }

    /// <summary>A generator as <c>tccg generator</c> runs it: over HTTP, with its own input and segment caches.</summary>
    public async Task<GeneratorWorker> GeneratorAsync(string name, Action<GeneratorWorkerOptions>? configure = null)
    {
        var http = GeneratorClient.CreateHttpClient(Server.BaseUrl, await WorkerTokenAsync(name));
        _owned.Add(http);
        var options = new GeneratorWorkerOptions
        {
            Name = name,
            CacheDir = Path.Combine(Server.DataDir, "gen-" + name),
            LeaseWait = TimeSpan.FromSeconds(5),
            ProgressInterval = TimeSpan.FromMilliseconds(100),
            ErrorBackoff = TimeSpan.FromMilliseconds(200),
        };
        configure?.Invoke(options);
        return new GeneratorWorker(new GeneratorClient(http), Server.App.Services.GetRequiredService<Renderer>(), options,
            TimeProvider.System, NullLogger<GeneratorWorker>.Instance);
    }

    /// <summary>Polls the store until the job reaches <paramref name="done"/> (or fails the test after the timeout).</summary>
    public async Task<RenderJob> WaitForAsync(long jobId, Func<RenderJob, bool> done, int seconds = 60)
    {
        var until = Stopwatch.StartNew();
        while (true)
        {
            var job = (await Jobs.GetAsync(jobId, CancellationToken.None))!;
            if (done(job))
                return job;
            Assert.True(until.Elapsed < TimeSpan.FromSeconds(seconds), $"Job {jobId} stayed {job.Status} ({job.Stage}, {job.Error}).");
            await Task.Delay(50);
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var d in _owned)
            d.Dispose();
        await Server.DisposeAsync();
    }

    private static async Task<string> CreateMediaAsync()
    {
        var dir = Path.Combine(Path.GetTempPath(), "tccg-render-media-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path.Combine(dir, "clips"));
        Directory.CreateDirectory(Path.Combine(dir, "assets"));
        await Task.WhenAll(
            FfmpegAsync(Path.Combine(dir, "clips", "a.mp4"), "testsrc2", 440, 1),
            FfmpegAsync(Path.Combine(dir, "clips", "b.mp4"), "smptebars", 660, 1),
            FfmpegAsync(Path.Combine(dir, "clips", "c.mp4"), "rgbtestsrc", 550, 1),
            FfmpegAsync(Path.Combine(dir, "assets", "interval.mp4"), "testsrc", 880, 0.5));
        return dir;
    }

    private static async Task FfmpegAsync(string output, string source, int tone, double seconds)
    {
        var s = seconds.ToString(CultureInfo.InvariantCulture);
        var start = new ProcessStartInfo("ffmpeg")
        {
            ArgumentList =
            {
                "-hide_banner", "-loglevel", "error", "-y",
                "-f", "lavfi", "-i", $"{source}=size=160x90:rate=30:duration={s}",
                "-f", "lavfi", "-i", $"sine=frequency={tone}:sample_rate=48000:duration={s}",
                "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-c:a", "aac", "-b:a", "64k", "-shortest", output,
            },
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"ffmpeg {source} failed: {error}");
    }
}
