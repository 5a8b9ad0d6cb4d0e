using System.Text;
using Tccg.Core.Timeline;
using Tccg.Media.Rendering;

namespace Tccg.Media.Tests;

public sealed class RendererOutputTests(MediaFactory media) : IClassFixture<MediaFactory>
{
    [Fact]
    public async Task RenderAsync_DefaultEncoder_WritesHighProfileAacFaststartMp4()
    {
        using var world = new RenderWorld();
        var a = world.Add(await media.ClipAsync("o-a.mp4", 1.0, sampleRate: 44100, channels: 1), "a.mp4");
        var doc = RenderWorld.Small();
        doc.Output!.Preset = null; // the default, veryfast
        doc.Items = [RenderWorld.Clip(a, "A", "alogin")];

        await world.RenderAsync(doc);

        var streams = await Analysis.StreamsAsync(world.Output);
        var v = Assert.Single(streams, s => s.CodecType == "video");
        var au = Assert.Single(streams, s => s.CodecType == "audio");
        Assert.Equal(("h264", "High", "yuv420p", 320, 180, "30/1"), (v.Codec, v.Profile, v.PixFmt, v.Width, v.Height, v.FrameRate));
        Assert.Equal(("aac", 48000, 2), (au.Codec, au.SampleRate, au.Channels));
        var bytes = await File.ReadAllBytesAsync(world.Output);
        var moov = IndexOf(bytes, "moov");
        var mdat = IndexOf(bytes, "mdat");
        Assert.True(moov > 0 && moov < mdat, $"moov at {moov} must precede mdat at {mdat} (+faststart)");
    }

    [Fact]
    public async Task RenderAsync_QuietAndLoudClips_ReachTheLoudnessTargetWithinOneLu()
    {
        using var world = new RenderWorld();
        var quiet = world.Add(await media.ClipAsync("o-quiet.mp4", 2.0, toneDb: -32), "quiet.mp4");
        var loud = world.Add(await media.ClipAsync("o-loud.mp4", 2.0, toneDb: -6), "loud.mp4");
        var doc = RenderWorld.Small();
        doc.Output!.LoudnessLufs = -16;
        doc.Items = [RenderWorld.Clip(quiet, "Q", "q"), RenderWorld.Clip(loud, "L", "l")];

        await world.RenderAsync(doc);

        Assert.InRange(await Analysis.LoudnessAsync(world.Output), -17, -15);
    }

    [Fact]
    public async Task RenderAsync_KnownLoudnessGiven_UsesItInsteadOfMeasuring()
    {
        using var world = new RenderWorld();
        var clip = world.Add(await media.ClipAsync("o-known.mp4", 2.0, toneDb: -20), "known.mp4");
        var doc = RenderWorld.Small();
        doc.Output!.LoudnessLufs = -16;
        doc.Items = [RenderWorld.Clip(clip, "K", "k")];

        // Claimed 10 LU louder than the target: the clip is turned down by 6 dB from its true level.
        var measured = await new Loudness.LoudnessMeter().MeasureAsync(Path.Combine(world.Dir, clip), CancellationToken.None);
        await world.RenderAsync(doc, adjust: r => r with
        {
            KnownLoudness = new Dictionary<string, double> { [Path.Combine(world.Dir, clip)] = -10 },
        });

        Assert.InRange(await Analysis.LoudnessAsync(world.Output), measured.IntegratedLufs - 7, measured.IntegratedLufs - 5);
    }

    [Fact]
    public async Task RenderAsync_TimelineWithStreamers_WritesCreditsAndChaptersBesideTheVideo()
    {
        using var world = new RenderWorld();
        var intro = world.Add(await media.ClipAsync("o-intro.mp4", 1.0), "intro.mp4");
        var a = world.Add(await media.ClipAsync("o-c1.mp4", 1.0), "a.mp4");
        var doc = RenderWorld.Small();
        doc.Items =
        [
            new TimelineItem { Kind = "intro", File = intro },
            RenderWorld.Clip(a, "表示名", "somelogin", title: "Big play"),
            RenderWorld.Clip(a, "Other", "other_one", start: 0.5),
            RenderWorld.Clip(a, "表示名", "SomeLogin", title: "Again"),
        ];

        var result = await world.RenderAsync(doc);

        var text = await File.ReadAllTextAsync(result.DescriptionPath, Encoding.UTF8);
        Assert.Equal(Path.ChangeExtension(world.Output, ".txt"), result.DescriptionPath);
        Assert.Contains("表示名 https://www.twitch.tv/somelogin\n", text, StringComparison.Ordinal);
        Assert.Contains("Other https://www.twitch.tv/other_one\n", text, StringComparison.Ordinal);
        Assert.Single(text.Split('\n'), l => l.Contains("twitch.tv/somelogin", StringComparison.Ordinal));
        Assert.Contains("0:00 Intro\n0:01 表示名 — Big play\n0:02 Other\n0:02 表示名 — Again\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RenderAsync_WithMusic_KeepsTheExactDurationAndAddsTheMusic()
    {
        using var world = new RenderWorld();
        var silent = world.Add(await media.ClipAsync("o-silent.mp4", 1.5, audio: false), "a.mp4");
        var track = world.Add(await media.MusicAsync("o-music.mp3", 0.7), "music/t.mp3");
        var doc = RenderWorld.Small();
        doc.Music = new MusicSection { Tracks = [track], Volume = 0.5, Duck = true };
        doc.Items = [RenderWorld.Clip(silent, "A", "a"), RenderWorld.Clip(silent, "B", "b")];

        var result = await world.RenderAsync(doc);

        Assert.Equal(3.0, result.DurationSeconds, 3);
        var audio = Assert.Single(await Analysis.StreamsAsync(world.Output), s => s.CodecType == "audio");
        Assert.InRange(audio.Duration, 3.0 - 1.0 / 30, 3.0 + 1.0 / 30);
        // The 0.7 s track is repeated to cover all 3 s: no silence longer than a gap between repeats.
        var loudness = await Analysis.LoudnessAsync(world.Output);
        Assert.InRange(loudness, -30, -10);
    }

    [Fact]
    public async Task RenderAsync_MoreMusicTracksThanSegmentsAtOnce_MeasuresEachAndCoversTheVideo()
    {
        using var world = new RenderWorld();
        var clip = world.Add(await media.ClipAsync("o-clip-3m.mp4", 2.0, audio: false), "a.mp4");
        string[] tracks =
        [
            world.Add(await media.MusicAsync("o-m1.mp3", 0.6, 330), "music/1.mp3"),
            world.Add(await media.MusicAsync("o-m2.mp3", 0.6, 440), "music/2.mp3"),
            world.Add(await media.MusicAsync("o-m3.mp3", 0.6, 550), "music/3.mp3"),
        ];
        var doc = RenderWorld.Small();
        doc.Music = new MusicSection { Tracks = [.. tracks], Volume = 0.5, Duck = false };
        doc.Items = [RenderWorld.Clip(clip, "A", "a")];

        // One measurement at a time (Parallelism 1) for three tracks: each is measured, in turn, and the silent clip
        // leaves the music alone to be heard.
        var result = await world.RenderAsync(doc, adjust: r => r with { Parallelism = 1 });

        Assert.Equal(2.0, result.DurationSeconds, 3);
        Assert.InRange(await Analysis.LoudnessAsync(world.Output), -30, -10);
    }

    [Fact]
    public async Task RenderAsync_CorruptClip_FailsNamingTheItem()
    {
        using var world = new RenderWorld();
        var good = await media.ClipAsync("o-good.mp4", 2.0);
        var bytes = await File.ReadAllBytesAsync(good);
        Directory.CreateDirectory(Path.Combine(world.Dir, "clips"));
        await File.WriteAllBytesAsync(Path.Combine(world.Dir, "clips", "bad.mp4"), bytes[..(bytes.Length / 3)]);
        var doc = RenderWorld.Small();
        doc.Items = [RenderWorld.Clip(world.Add(good, "good.mp4"), "G", "g"), RenderWorld.Clip("clips/bad.mp4", "B", "b")];

        var ex = await Assert.ThrowsAsync<TimelineValidationException>(() => world.RenderAsync(doc));

        Assert.Contains(ex.Errors, e => e.StartsWith("items[1] (clip): file clips/bad.mp4", StringComparison.Ordinal));
        Assert.Contains(ex.Errors, e => e.Contains("truncated", StringComparison.Ordinal));
        Assert.False(File.Exists(world.Output));
    }

    [Fact]
    public async Task RenderAsync_MissingFile_FailsNamingTheItem()
    {
        using var world = new RenderWorld();
        var doc = RenderWorld.Small();
        doc.Items = [RenderWorld.Clip("clips/nope.mp4", "A", "a")];

        var ex = await Assert.ThrowsAsync<TimelineValidationException>(() => world.RenderAsync(doc));

        Assert.Contains("items[0] (clip): file clips/nope.mp4 is missing or not a media file", ex.Errors);
        Assert.Contains(ex.Errors, e => e.Contains("does not exist", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RenderAsync_TrimPastTheEnd_FailsNamingItemAndField()
    {
        using var world = new RenderWorld();
        var a = world.Add(await media.ClipAsync("o-short.mp4", 1.0), "a.mp4");
        var doc = RenderWorld.Small();
        doc.Items = [RenderWorld.Clip(a, "A", "a", start: 0.2, end: 5)];

        var ex = await Assert.ThrowsAsync<TimelineValidationException>(() => world.RenderAsync(doc));

        Assert.Contains(ex.Errors, e => e.StartsWith("items[0] (clip): trimEnd (5) is past the end of a.mp4", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RenderAsync_Progress_ReportsStagesUpToOneHundredPercent()
    {
        using var world = new RenderWorld();
        var a = world.Add(await media.ClipAsync("o-p.mp4", 1.0), "a.mp4");
        var doc = RenderWorld.Small();
        doc.Items = [RenderWorld.Clip(a, "A", "a"), RenderWorld.Clip(a, "A", "a", start: 0.5)];
        var events = new List<RenderProgress>();

        await world.RenderAsync(doc, new SyncProgress<RenderProgress>(p => { lock (events) events.Add(p); }));

        Assert.Equal(RenderStage.Probing, events[0].Stage);
        Assert.Contains(events, e => e.Stage == RenderStage.EncodingSegments && e.SegmentsTotal == 2);
        Assert.Contains(events, e => e.Stage == RenderStage.Assembling);
        Assert.Equal((RenderStage.Done, 100.0), (events[^1].Stage, events[^1].Percent));
        Assert.Equal(TimeSpan.Zero, events[^1].Eta);
        Assert.True(events.Zip(events.Skip(1)).All(p => p.Second.Percent >= p.First.Percent));
    }

    private static int IndexOf(byte[] bytes, string tag)
    {
        var t = Encoding.ASCII.GetBytes(tag);
        return bytes.AsSpan().IndexOf(t);
    }
}

/// <summary>An IProgress that reports on the caller's thread (Progress&lt;T&gt; posts to the thread pool).</summary>
internal sealed class SyncProgress<T>(Action<T> action) : IProgress<T>
{
    public void Report(T value) => action(value);
}
