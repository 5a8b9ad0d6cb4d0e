using Tccg.Core.Clips;
using Tccg.Core.Compilations;
using Tccg.Core.Timeline;
using Tccg.Media.Rendering;

namespace Tccg.Media.Tests;

public sealed class ShortsRenderTests(MediaFactory media) : IClassFixture<MediaFactory>
{
    [Fact]
    public async Task EachClipAsAShort_NTimelines_MakeNMp4sAndNTexts()
    {
        using var world = new RenderWorld();
        var files = new[]
        {
            world.Add(await media.FacecamClipAsync("fc.mp4", 1.0), "clips/a.mp4"),
            world.Add(await media.ClipAsync("sh-b.mp4", 0.8), "clips/b.mp4"),
        };
        var draft = new CompilationDraft
        {
            Name = "Week",
            Items = files.Select((f, i) => new DraftItem(i + 1, null, null, 1,
                new DraftClip(i + 1, ClipStatus.Downloaded, new DraftMedia(f, true, 1, null), "b", "Streamer" + i, "streamer" + i, "Play " + i, "https://clips.twitch.tv/c" + i, Game: "Rocket League"))).ToList(),
            // A small portrait size keeps the test quick; a youtube compilation would become 1080x1920 shorts.
            Settings = new CompilationSettings
            {
                Target = "custom",
                Output = new OutputSection { Width = 180, Height = 320, Fps = 30, Preset = "ultrafast", Crf = 28 },
                Overlay = new OverlaySection { Enabled = true },
            },
        };
        var renderer = RenderWorld.NewRenderer();

        var shorts = ShortsSplitter.Split(draft);
        var results = new List<RenderResult>();
        foreach (var s in shorts)
        {
            results.Add(await renderer.RenderAsync(new RenderRequest
            {
                Timeline = s.Timeline.Timeline,
                BaseDirectory = world.Dir,
                OutputPath = Path.Combine(world.Dir, "shorts", $"short-{s.ClipId}.mp4"),
                SegmentCacheDir = world.CacheDir,
            }, null, CancellationToken.None));
        }

        Assert.Equal(2, Directory.GetFiles(Path.Combine(world.Dir, "shorts"), "*.mp4").Length);
        Assert.Equal(2, Directory.GetFiles(Path.Combine(world.Dir, "shorts"), "*.txt").Length);
        foreach (var (s, r) in shorts.Zip(results))
        {
            var video = Assert.Single(await Analysis.StreamsAsync(r.OutputPath), v => v.CodecType == "video");
            Assert.Equal((180, 320), (video.Width, video.Height));
            Assert.Equal(s.Description, await File.ReadAllTextAsync(r.DescriptionPath));
            Assert.Contains("#RocketLeague", s.Description, StringComparison.Ordinal);
        }
        Assert.Equal([30, 24], results.Select(r => (int)Math.Round(r.DurationSeconds * 30)));
    }
}
