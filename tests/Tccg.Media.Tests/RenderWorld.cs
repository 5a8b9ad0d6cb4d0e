using System.Text.Json;
using Microsoft.Extensions.Options;
using Tccg.Core.Configuration;
using Tccg.Core.Timeline;
using Tccg.Media.Loudness;
using Tccg.Media.Processes;
using Tccg.Media.Probing;
using Tccg.Media.Rendering;

namespace Tccg.Media.Tests;

/// <summary>One test's world: a folder with a timeline, its media (copied from the factory) and a segment cache.</summary>
internal sealed class RenderWorld : IDisposable
{
    public RenderWorld()
    {
        Dir = Directory.CreateTempSubdirectory("tccg-render-").FullName;
        CacheDir = Path.Combine(Dir, "cache");
    }

    public string Dir { get; }
    public string CacheDir { get; set; }
    public string Output => Path.Combine(Dir, "out", "video.mp4");

    public static Renderer NewRenderer(GeneratorOptions? options = null)
    {
        var runner = new MediaProcessRunner();
        return new Renderer(runner, new MediaProbe(runner), new LoudnessMeter(runner), new FontResolver(runner),
            Options.Create(options ?? new GeneratorOptions()), TimeProvider.System);
    }

    /// <summary>Copies a generated file into the world under <paramref name="name"/>.</summary>
    public string Add(string source, string name)
    {
        var path = Path.Combine(Dir, name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.Copy(source, path, overwrite: true);
        return name;
    }

    public static TimelineDocument Small(int width = 320, int height = 180, int fps = 30) => new()
    {
        Version = 1,
        Output = new OutputSection { Width = width, Height = height, Fps = fps, Preset = "ultrafast", Crf = 28, AudioBitrateKbps = 96 },
        Overlay = new OverlaySection { Enabled = false },
        Items = [],
    };

    public static TimelineItem Clip(string file, string name, string login, double? start = null, double? end = null, double? volume = null, string? title = null) => new()
    {
        Kind = "clip",
        File = file,
        TrimStart = start,
        TrimEnd = end,
        Volume = volume,
        Streamer = new StreamerRef { Name = name, Login = login },
        Title = title,
    };

    public Task<RenderResult> RenderAsync(TimelineDocument doc, IProgress<RenderProgress>? progress = null, Renderer? renderer = null,
        Func<RenderRequest, RenderRequest>? adjust = null, CancellationToken ct = default)
    {
        // Round-trip through JSON, as `tccg render` reads it.
        var json = TimelineLoader.Serialize(doc);
        File.WriteAllText(Path.Combine(Dir, "timeline.json"), json);
        var request = RenderRequest.FromFile(Path.Combine(Dir, "timeline.json"), Output, CacheDir);
        request = adjust?.Invoke(request) ?? request;
        return (renderer ?? NewRenderer()).RenderAsync(request, progress, ct);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
