using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Tccg.Core.Clips;
using Tccg.Core.Compilations;
using Tccg.Core.Timeline;
using Tccg.Core.Twitch;
using Tccg.Media.Processes;
using Tccg.Media.Rendering;
using Tccg.Twitch.Downloads;
using Tccg.Twitch.Gql;
using Tccg.TwitchSim.Gql;

namespace Tccg.Twitch.Tests;

/// <summary>Twitch's portrait crop boxes: simulator (real ShareClipRenderStatus shape) → downloader → clip bin → vertical render.</summary>
public sealed class PortraitBoxesTests
{
    private static void AssertBox(SimBox expected, LayoutRect? actual)
    {
        Assert.NotNull(actual);
        Assert.Equal(expected.Left / 100, actual.X, 5);
        Assert.Equal(expected.Top / 100, actual.Y, 5);
        Assert.Equal((expected.Right - expected.Left) / 100, actual.W, 5);
        Assert.Equal((expected.Bottom - expected.Top) / 100, actual.H, 5);
    }

    [Fact]
    public async Task TwitchBoxes_RoundTripFromTheSimulatorThroughTheDownloadToTheRender()
    {
        await using var world = await TwitchWorld.StartAsync(clips: 6, sim: o => { o.DuplicateRate = 0; o.PortraitRate = 0.5; });
        var game = await world.AddGameAsync();
        await world.Finder.FindAsync(game, ClipPeriod.Week, null, CancellationToken.None);

        await world.Downloader.DownloadAsync(new DownloadRequest(TwitchWorld.GameId, 100), null, CancellationToken.None);

        var clips = await world.AllClipsAsync();
        Assert.All(clips, c => Assert.Equal(ClipStatus.Downloaded, c.Status));
        var withBoxes = 0;
        foreach (var c in clips)
        {
            var sim = world.Sim.World.ClipsById[c.TwitchClipId];
            var stored = Layout.FromJson(c.PortraitLayout);
            if (!sim.HasPortrait)
            {
                Assert.Null(c.PortraitLayout);
                continue;
            }
            withBoxes++;
            var boxes = SimPortrait.For(sim);
            Assert.NotNull(stored);
            if (boxes.Layout == "STACKED")
            {
                Assert.Equal(LayoutMode.Stacked, stored.Mode);
                AssertBox(boxes.Top, stored.Top);
                AssertBox(boxes.Bottom, stored.Bottom);
            }
            else
            {
                Assert.Equal(LayoutMode.Crop, stored.Mode);
                AssertBox(boxes.Main, stored.Rect);
            }
        }
        Assert.InRange(withBoxes, 1, clips.Count);

        // The stored boxes are the clip's default in a vertical compilation, and the render shows them: the top of the
        // output is the source's top box, cropped and scaled as the layout says.
        var clip = clips.First(c => Layout.FromJson(c.PortraitLayout) is { Mode: LayoutMode.Stacked });
        var layout = Layout.FromJson(clip.PortraitLayout)!;
        var draftClip = new DraftClip(clip.Id, clip.Status, new DraftMedia(clip.FilePath!, true, clip.MediaDuration, clip.LoudnessLufs),
            clip.BroadcasterId, clip.BroadcasterName, clip.BroadcasterLogin, clip.Title, clip.Url, Portrait: layout);
        var draft = new CompilationDraft
        {
            Name = "Vertical",
            Items = [new DraftItem(clip.Id, null, 1.0, 1, draftClip)],
            Settings = new CompilationSettings
            {
                Target = "custom",
                Output = new OutputSection { Width = 180, Height = 320, Fps = 30, Preset = "ultrafast", Crf = 18 },
                Overlay = new OverlaySection { Enabled = false },
            },
        };
        var frozen = TimelineBuilder.Build(draft);
        Assert.Equal(layout, Layout.From(frozen.Timeline.Items![0].Layout!));
        var output = Path.Combine(world.Root, "renders", "vertical.mp4");
        await world.Services.GetRequiredService<Renderer>().RenderAsync(new RenderRequest
        {
            Timeline = frozen.Timeline,
            BaseDirectory = world.Root,
            OutputPath = output,
            SegmentCacheDir = Path.Combine(world.Root, "cache", "segments"),
        }, null, CancellationToken.None);

        var (topHeight, _) = SegmentCommand.StackHeights(layout.Split, 320);
        var (x, y, w, h) = SegmentCommand.CropBox(layout.Top!, clip.Width!.Value, clip.Height!.Value, 180, topHeight);
        var rendered = await GrayAsync(output, $"crop=180:{I(topHeight)}:0:0");
        var expected = await GrayAsync(Path.Combine(world.Root, clip.FilePath!), $"crop={I(w)}:{I(h)}:{I(x)}:{I(y)},scale=180:{I(topHeight)}");
        var other = await GrayAsync(Path.Combine(world.Root, clip.FilePath!), $"crop={I(w)}:{I(h)}:0:{I(clip.Height.Value - h)},scale=180:{I(topHeight)}");
        Assert.True(MeanDiff(rendered, expected) < 8, $"top region differs from Twitch's top box by {MeanDiff(rendered, expected)}");
        Assert.True(MeanDiff(rendered, other) > MeanDiff(rendered, expected), "the top region matches another part of the frame as well");
    }

    [Fact]
    public void Parse_RealShape_FullLayoutIsACrop()
    {
        const string json = """
            { "portraitClipLayout": "FULL",
              "fullTemplateMetadata": { "mainFrame": { "topLeft": { "xPercentage": 34.18, "yPercentage": 0, "__typename": "PortraitCropCoordinates" },
                                                       "bottomRight": { "xPercentage": 65.82, "yPercentage": 100, "__typename": "PortraitCropCoordinates" },
                                                       "__typename": "PortraitCropMetadata" }, "__typename": "FullTemplateMetadata" },
              "stackedTemplateMetadata": null, "__typename": "PortraitMetadata" }
            """;
        using var doc = System.Text.Json.JsonDocument.Parse(json);

        var layout = PortraitMetadata.FromMetadata(doc.RootElement);

        Assert.Equal(new Layout(LayoutMode.Crop, Rect: new LayoutRect(0.3418, 0, 0.3164, 1)), layout);
    }

    private static string I(int v) => v.ToString(CultureInfo.InvariantCulture);

    private static async Task<byte[]> GrayAsync(string path, string filter)
    {
        var file = Path.Combine(Path.GetTempPath(), "tccg-portrait-" + Guid.NewGuid().ToString("N") + ".gray");
        try
        {
            await new MediaProcessRunner().FfmpegAsync(["-v", "error", "-ss", "0.5", "-i", path, "-frames:v", "1", "-vf", filter + ",format=gray", "-f", "rawvideo", "-y", file], null, CancellationToken.None);
            return await File.ReadAllBytesAsync(file);
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static double MeanDiff(byte[] a, byte[] b) =>
        a.Length == b.Length && a.Length > 0 ? a.Zip(b, (p, q) => Math.Abs(p - q)).Average() : double.MaxValue;
}
