using Tccg.Core.Timeline;
using Tccg.Media.Rendering;

namespace Tccg.Media.Tests;

public sealed class PlannerTests
{
    private static readonly OutputSettings Output = new(1920, 1080, 30, "veryfast", 20, 192, -14, -1, FillMode.Blur);

    private static SegmentSpec Spec(int width = 1920, int height = 1080, double trim = 1.5, int frames = 255, OverlaySpec? overlay = null, OutputSettings? output = null) =>
        new(new FileIdentity("/clips/a.mp4", 1000, 42), true, true, width, height, trim, frames, RenderPlan.Samples(frames, 30), overlay, output ?? Output);

    [Fact]
    public void Parse_SavedProgressOutput_YieldsEachBlockAndTheEnd()
    {
        var blocks = FfmpegProgressParser.ParseAll(TestDataFiles.Read("ffmpeg-progress.txt").Split('\n'));

        Assert.Equal(2, blocks.Count);
        Assert.Equal((TimeSpan.Zero, 1L, false), (blocks[0].OutTime, blocks[0].Frame, blocks[0].IsEnd));
        Assert.Equal((TimeSpan.FromTicks(30185940), 90L, 44.8, true), (blocks[1].OutTime, blocks[1].Frame, blocks[1].Speed, blocks[1].IsEnd));
    }

    [Fact]
    public void Push_NotApplicableValues_AreIgnored()
    {
        var parser = new FfmpegProgressParser();

        Assert.Null(parser.Push("out_time_us=N/A"));
        Assert.Null(parser.Push("speed=N/A"));
        var p = parser.Push("progress=continue");

        Assert.Equal((TimeSpan.Zero, (double?)null), (p!.OutTime, p.Speed));
    }

    [Fact]
    public void Build_Segment_SeeksTrimsToExactFramesAndSamples()
    {
        var args = SegmentCommand.Build(Spec(), "/c/v.tmp", null);
        var joined = string.Join(' ', args);
        var sound = SegmentCommand.BuildAudioBatch([Spec()], ["/c/a.tmp"]);
        var soundJoined = string.Join(' ', sound);

        Assert.Equal("1.5", args[args.IndexOf("-ss") + 1]);
        Assert.Equal("255", args[args.IndexOf("-frames:v") + 1]);
        Assert.Contains("trim=end_frame=255", joined, StringComparison.Ordinal);
        Assert.Equal("1.5", sound[sound.IndexOf("-ss") + 1]);
        Assert.Contains("apad=whole_len=408000,atrim=end_sample=408000", soundJoined, StringComparison.Ordinal);
        Assert.Contains("ebur128", soundJoined, StringComparison.Ordinal);
        Assert.Equal("pcm_f32le", sound[sound.IndexOf("-c:a") + 1]);
        Assert.Equal("high", args[args.IndexOf("-profile:v") + 1]);
    }

    [Fact]
    public void Build_VerticalClipWithBlurFill_UsesBlurredBackground()
    {
        var vertical = Spec(1080, 1920);
        var letterbox = Spec(1080, 1920, output: Output with { Fill = FillMode.Letterbox });

        Assert.True(vertical.UsesBlurFill);
        Assert.Contains("boxblur", string.Join(' ', SegmentCommand.Build(vertical, "/v", null)), StringComparison.Ordinal);
        Assert.False(letterbox.UsesBlurFill);
        Assert.Contains("pad=1920:1080", string.Join(' ', SegmentCommand.Build(letterbox, "/v", null)), StringComparison.Ordinal);
        Assert.False(Spec(1920, 1080).UsesBlurFill);
    }

    [Fact]
    public void DrawText_ReadsTheNameFromAFileWithExpansionOff()
    {
        var overlay = new OverlaySpec("it's: 100%", "/fonts/My Font's.ttf", "white", "#000000", OverlayPosition.BottomRight, 5);

        var filter = SegmentCommand.DrawText(overlay, "/cache/t-1.txt", 1920, 1080);

        Assert.StartsWith(@"drawtext=fontfile=/fonts/My Font\\\'s.ttf:textfile=/cache/t-1.txt:expansion=none", filter, StringComparison.Ordinal);
        Assert.DoesNotContain("100%", filter, StringComparison.Ordinal);
        Assert.Contains("x='w-text_w-40':y='h-text_h-40'", filter, StringComparison.Ordinal);
        Assert.Contains("enable='lt(t,5)'", filter, StringComparison.Ordinal);
    }

    [Fact]
    public void Keys_ChangeWithWhatAffectsTheSegmentOnly()
    {
        var a = Spec();
        var overlay = new OverlaySpec("A", "/f.ttf", "white", "black", OverlayPosition.TopLeft, 5);

        Assert.Equal(a.VideoKey, Spec().VideoKey);
        Assert.NotEqual(a.VideoKey, Spec(trim: 1.6).VideoKey);
        Assert.NotEqual(a.AudioKey, Spec(trim: 1.6).AudioKey);
        Assert.NotEqual(a.VideoKey, Spec(overlay: overlay).VideoKey);
        Assert.Equal(a.AudioKey, Spec(overlay: overlay).AudioKey);
        Assert.NotEqual(a.VideoKey, Spec(output: Output with { Crf = 21 }).VideoKey);
        Assert.Equal(a.VideoKey, Spec(output: Output with { AudioBitrateKbps = 128, LoudnessLufs = -16 }).VideoKey);
        Assert.NotEqual(a.VideoKey, (a with { Input = a.Input with { MtimeTicks = 43 } }).VideoKey);
    }

    [Fact]
    public void MusicSequence_RepeatsTracksInOrderUntilCovered()
    {
        var tracks = new[] { new MusicTrack("/a.mp3", 30, 0), new MusicTrack("/b.mp3", 20, 0) };

        var seq = FinalCommand.MusicSequence(tracks, 95);

        Assert.Equal(["/a.mp3", "/b.mp3", "/a.mp3", "/b.mp3"], seq.Select(t => t.Path));
        Assert.Empty(FinalCommand.MusicSequence([], 95));
    }

    [Fact]
    public void ConcatList_EscapesQuotesInPaths() =>
        Assert.Equal("ffconcat version 1.0\nfile '/c/it'\\''s.mp4'\n", FinalCommand.ConcatList(["/c/it's.mp4"]));

    [Fact]
    public void Build_FinalAudio_MixesAndEncodesAacOnce()
    {
        var args = FinalCommand.BuildAudio([new AudioPart("/a1.wav", 3.5, false), new AudioPart("/a2.wav", 0, true)], 96000,
            [new MusicTrack("/m.mp3", 1.5, -2)], new MusicSettings(["/m.mp3"], 0.5, true), Output, "/out.m4a");
        var joined = string.Join(' ', args);

        Assert.Equal(["/a1.wav", "/a2.wav", "/m.mp3", "/m.mp3"], args.Where((_, i) => i > 0 && args[i - 1] == "-i"));
        Assert.Equal("aac", args[args.IndexOf("-c:a") + 1]);
        Assert.DoesNotContain("-c:v", args);
        Assert.Contains("[0:a:0]", joined, StringComparison.Ordinal);
        Assert.Contains("volume=3.5dB[s0]", joined, StringComparison.Ordinal);
        Assert.Contains("volume=0[s1]", joined, StringComparison.Ordinal);
        Assert.Contains("[2:a:0]aresample", joined, StringComparison.Ordinal);
        Assert.Contains("sidechaincompress", joined, StringComparison.Ordinal);
        Assert.Contains("atrim=end_sample=96000[aout]", joined, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_FinalInOnePass_CopiesTheVideoInputAfterTheSoundsAndMixes()
    {
        var args = FinalCommand.Build("/l.txt", [new AudioPart("/a1.wav", 3.5, false), new AudioPart("/a2.wav", 0, true)], 96000,
            [new MusicTrack("/m.mp3", 1.5, -2)], new MusicSettings(["/m.mp3"], 0.5, true), Output, "/out.tmp");

        Assert.Equal(["/a1.wav", "/a2.wav", "/m.mp3", "/m.mp3", "/l.txt"], args.Where((_, i) => i > 0 && args[i - 1] == "-i"));
        Assert.Equal(["4:v:0", "[aout]"], args.Where((_, i) => i > 0 && args[i - 1] == "-map"));
        Assert.Equal("copy", args[args.IndexOf("-c:v") + 1]);
        Assert.Equal("aac", args[args.IndexOf("-c:a") + 1]);
        Assert.Equal("+faststart", args[args.IndexOf("-movflags") + 1]);
        Assert.Contains("sidechaincompress", args[args.IndexOf("-filter_complex") + 1], StringComparison.Ordinal);
    }

    [Fact]
    public void Build_FinalMux_CopiesBothStreamsWithFaststart()
    {
        var args = FinalCommand.BuildMux("/l.txt", "/out.m4a", "/out.tmp");

        Assert.Equal("copy", args[args.IndexOf("-c") + 1]);
        Assert.Equal(["/l.txt", "/out.m4a"], args.Where((_, i) => i > 0 && args[i - 1] == "-i"));
        Assert.Equal("+faststart", args[args.IndexOf("-movflags") + 1]);
        Assert.Equal("/out.tmp", args[^1]);
    }

    [Fact]
    public void Build_AudioBatch_NamesOneMeterAndOneExactWavPerSegment()
    {
        var silent = Spec() with { HasAudio = false };
        var args = SegmentCommand.BuildAudioBatch([Spec(), silent], ["/c/a0.tmp", "/c/a1.tmp"]);
        var joined = string.Join(' ', args);

        Assert.Equal("1.5", args[args.IndexOf("-ss") + 1]);
        Assert.Contains("anullsrc", joined, StringComparison.Ordinal);
        Assert.Contains("ebur128@m0=", joined, StringComparison.Ordinal);
        Assert.Contains("ebur128@m1=", joined, StringComparison.Ordinal);
        Assert.Contains("atrim=end_sample=408000", joined, StringComparison.Ordinal);
        Assert.Equal(["[a0]", "[a1]"], args.Where((_, i) => i > 0 && args[i - 1] == "-map"));
        Assert.Equal(["/c/a0.tmp", "/c/a1.tmp"], args.Where(a => a.EndsWith(".tmp", StringComparison.Ordinal)));
        Assert.DoesNotContain("libx264", args);
    }
}
