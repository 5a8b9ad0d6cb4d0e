using Tccg.Media.Loudness;
using Tccg.Media.Processes;
using Tccg.Media.Probing;

namespace Tccg.Media.Tests;

public sealed class MediaProbeTests(MediaFactory media) : IClassFixture<MediaFactory>
{
    [Fact]
    public async Task ProbeAsync_GeneratedClip_ReportsItsFacts()
    {
        var path = await media.ClipAsync("probe-a.mp4", 1.5, 320, 180, 30, sampleRate: 44100, channels: 1);

        var facts = await new MediaProbe().ProbeAsync(path, CancellationToken.None);

        Assert.Equal(1.5, facts.Duration, 1);
        Assert.Equal((320, 180), (facts.Width, facts.Height));
        Assert.Equal(30, facts.Fps, 3);
        Assert.Equal(("h264", "aac"), (facts.VideoCodec, facts.AudioCodec));
        Assert.Equal((44100, 1), (facts.SampleRate, facts.Channels));
    }

    [Fact]
    public async Task ProbeAsync_TruncatedFile_ThrowsMediaProbeException()
    {
        var path = await media.ClipAsync("probe-full.mp4", 2);
        var bytes = await File.ReadAllBytesAsync(path);
        var cut = Path.Combine(media.Dir, "probe-cut.mp4");
        await File.WriteAllBytesAsync(cut, bytes[..(bytes.Length / 2)]);

        var ex = await Assert.ThrowsAsync<MediaProbeException>(() => new MediaProbe().ProbeAsync(cut, CancellationToken.None));

        Assert.Contains("truncated", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ProbeAsync_NameAndTitleSayingTruncated_ReadsTheFile()
    {
        var source = await media.ClipAsync("probe-titled-source.mp4", 1);
        var path = Path.Combine(media.Dir, "Truncated partial file - Invalid NAL unit size.mp4");
        await new MediaProcessRunner().FfmpegAsync(
            ["-v", "error", "-y", "-i", source, "-c", "copy", "-metadata", "title=Truncated partial file", path], null, CancellationToken.None);

        var facts = await new MediaProbe().ProbeAsync(path, CancellationToken.None);

        Assert.Equal(1.0, facts.Duration, 1);
        Assert.Equal((320, 180), (facts.Width, facts.Height));
    }

    [Fact]
    public async Task ProbeAsync_TextFile_ThrowsNotMedia()
    {
        var path = Path.Combine(media.Dir, "notes.mp4");
        await File.WriteAllTextAsync(path, "this is not a video\n");

        var ex = await Assert.ThrowsAsync<MediaProbeException>(() => new MediaProbe().ProbeAsync(path, CancellationToken.None));

        Assert.Contains("not a readable media file", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ProbeAsync_MissingFile_ThrowsDoesNotExist()
    {
        var ex = await Assert.ThrowsAsync<MediaProbeException>(() => new MediaProbe().ProbeAsync(Path.Combine(media.Dir, "nope.mp4"), CancellationToken.None));

        Assert.Contains("does not exist", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MeasureAsync_ToneAtKnownLevel_MeasuresItsLoudness()
    {
        var quiet = await media.ClipAsync("loud-quiet.mp4", 2, toneDb: -30);
        var loud = await media.ClipAsync("loud-loud.mp4", 2, toneDb: -10);

        var q = await new LoudnessMeter().MeasureAsync(quiet, CancellationToken.None);
        var l = await new LoudnessMeter().MeasureAsync(loud, CancellationToken.None);

        Assert.Equal(20, l.IntegratedLufs - q.IntegratedLufs, 0);
        Assert.InRange(l.TruePeakDb, -12, -8);
    }

    [Fact]
    public async Task MeasureAsync_NoAudioStream_ReturnsSilence()
    {
        var path = await media.ClipAsync("loud-none.mp4", 1, audio: false);

        var m = await new LoudnessMeter().MeasureAsync(path, CancellationToken.None);

        Assert.True(m.IsSilent);
    }
}
