using Tccg.Media.Probing;

namespace Tccg.Media.Tests;

public sealed class FfprobeParserTests
{
    [Fact]
    public void Parse_H264WithMonoAac_ReadsEveryFact()
    {
        var facts = FfprobeParser.Parse("a.mp4", TestDataFiles.Read("ffprobe-h264-aac-mono44k.json"), "");

        Assert.Equal(2.0, facts.Duration, 3);
        Assert.Equal(320, facts.Width);
        Assert.Equal(180, facts.Height);
        Assert.Equal(30.0, facts.Fps, 3);
        Assert.Equal("h264", facts.VideoCodec);
        Assert.Equal("aac", facts.AudioCodec);
        Assert.Equal(44100, facts.SampleRate);
        Assert.Equal(1, facts.Channels);
        Assert.StartsWith("mov,mp4", facts.Format, StringComparison.Ordinal);
        Assert.True(facts.HasVideo);
        Assert.True(facts.HasAudio);
        Assert.False(facts.IsVertical);
        Assert.True(facts.SizeBytes > 0);
    }

    [Fact]
    public void Parse_VerticalVideoWithoutAudio_ReportsNoAudioAndNtscRate()
    {
        var facts = FfprobeParser.Parse("v.mp4", TestDataFiles.Read("ffprobe-vertical-no-audio.json"), "");

        Assert.Equal(1080, facts.Width);
        Assert.Equal(1920, facts.Height);
        Assert.True(facts.IsVertical);
        Assert.False(facts.HasAudio);
        Assert.Null(facts.AudioCodec);
        Assert.Equal(0, facts.SampleRate);
        Assert.Equal(30000.0 / 1001, facts.Fps, 3);
    }

    [Fact]
    public void Parse_Mp3AudioOnly_ReportsNoVideo()
    {
        var facts = FfprobeParser.Parse("m.mp3", TestDataFiles.Read("ffprobe-mp3-audio-only.json"), "");

        Assert.False(facts.HasVideo);
        Assert.Equal("mp3", facts.AudioCodec);
        Assert.Equal(0, facts.Width);
        Assert.True(facts.Duration > 0.9);
    }

    [Fact]
    public void Parse_WebmVp9Opus_ReadsCodecsAndRate()
    {
        var facts = FfprobeParser.Parse("w.webm", TestDataFiles.Read("ffprobe-webm-vp9-opus.json"), "");

        Assert.Equal("vp9", facts.VideoCodec);
        Assert.Equal("opus", facts.AudioCodec);
        Assert.Equal(60.0, facts.Fps, 3);
        Assert.Equal(48000, facts.SampleRate);
        Assert.Equal(2, facts.Channels);
    }

    [Fact]
    public void Parse_TruncatedFaststartFile_ThrowsWithReason()
    {
        var ex = Assert.Throws<MediaProbeException>(() => FfprobeParser.Parse(
            "t.mp4", TestDataFiles.Read("ffprobe-truncated-faststart.json"), TestDataFiles.Read("ffprobe-truncated-faststart.stderr.txt")));

        Assert.Contains("truncated", ex.Message, StringComparison.Ordinal);
        Assert.Equal("t.mp4", ex.FilePath);
    }

    [Fact]
    public void Parse_TruncatedFileWithoutStderrHint_ThrowsOnMissingPackets()
    {
        var ex = Assert.Throws<MediaProbeException>(() => FfprobeParser.Parse(
            "t.mp4", TestDataFiles.Read("ffprobe-truncated-faststart.json"), ""));

        Assert.Contains("packets", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_FileNameSayingTruncated_IsNotCorruption()
    {
        const string path = "/data/tmp/clip-1-TruncatedPartialFileKappa-abc.part";
        var stderr = path + ": Application provided invalid, non monotonically increasing dts to muxer\n";

        var facts = FfprobeParser.Parse(path, TestDataFiles.Read("ffprobe-h264-aac-mono44k.json"), stderr);

        Assert.Equal(320, facts.Width);
    }

    [Fact]
    public void Parse_DemuxerErrorAfterTheFileName_StillThrowsTruncated()
    {
        const string path = "/data/tmp/clip-1-Kappa-abc.part";
        var stderr = path + ": partial file\n";

        var ex = Assert.Throws<MediaProbeException>(() => FfprobeParser.Parse(path, TestDataFiles.Read("ffprobe-h264-aac-mono44k.json"), stderr));

        Assert.Contains("truncated or corrupt (partial file)", ex.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_EmptyJsonOfTextFile_ThrowsNotMedia()
    {
        var ex = Assert.Throws<MediaProbeException>(() => FfprobeParser.Parse("x.txt", TestDataFiles.Read("ffprobe-text-file.json"), ""));

        Assert.Contains("not a media file", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("30/1", 30)]
    [InlineData("30000/1001", 29.97003)]
    [InlineData("0/0", 0)]
    [InlineData("", 0)]
    [InlineData("25", 25)]
    public void Rate_ParsesRationals(string text, double expected) =>
        Assert.Equal(expected, FfprobeParser.Rate(text), 4);
}
