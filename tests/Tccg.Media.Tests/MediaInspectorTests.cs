using Tccg.Media.Loudness;
using Tccg.Media.Processes;
using Tccg.Media.Probing;

namespace Tccg.Media.Tests;

public sealed class FfmpegInputParserTests
{
    [Fact]
    public void Parse_FullHdClip_ReadsTheInputNotTheOutputDescription()
    {
        var f = FfmpegInputParser.Parse("a.mp4", TestDataFiles.Read("inspect-1080p60-aac.stderr.txt"), 8905926);

        Assert.Equal((1920, 1080, 60.0), (f.Width, f.Height, f.Fps));
        Assert.Equal(("h264", "aac"), (f.VideoCodec, f.AudioCodec));
        Assert.Equal((48000, 2), (f.SampleRate, f.Channels));
        Assert.Equal(10.0, f.Duration, 2);
        Assert.Equal("mov,mp4,m4a,3gp,3g2,mj2", f.Format);
        Assert.Equal(8905926, f.SizeBytes);
    }

    [Fact]
    public void Parse_NtscMono_SnapsTheRateAndCountsOneChannel()
    {
        var f = FfmpegInputParser.Parse("a.mp4", TestDataFiles.Read("inspect-ntsc-mono44k.stderr.txt"), 1);

        Assert.Equal(30000.0 / 1001, f.Fps, 6);
        Assert.Equal((44100, 1), (f.SampleRate, f.Channels));
    }

    [Fact]
    public void Parse_RotatedVideoWithoutAudio_SwapsTheSizeAndHasNoAudio()
    {
        var f = FfmpegInputParser.Parse("a.mp4", TestDataFiles.Read("inspect-rotated-no-audio.stderr.txt"), 1);

        Assert.Equal((180, 320), (f.Width, f.Height));
        Assert.True(f.IsVertical);
        Assert.False(f.HasAudio);
    }

    [Fact]
    public void Parse_TruncatedFile_ThrowsNamingTheDemuxerError()
    {
        var e = Assert.Throws<MediaProbeException>(() => FfmpegInputParser.Parse("a.mp4", TestDataFiles.Read("inspect-truncated.stderr.txt"), 1));

        Assert.Contains("truncated or corrupt (Invalid NAL unit size", e.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_TitleAndFileNameSayingTruncated_IsNotCorruption()
    {
        const string path = "/data/tmp/clip-1-TruncatedPartialFileKappa-abc.part";
        var stderr = TestDataFiles.Read("inspect-1080p60-aac.stderr.txt")
            .Replace("/data/tmp/clip-1-abc.part", path, StringComparison.Ordinal)
            .Replace("handler_name    : VideoHandler", "title           : truncated partial file, Invalid NAL unit size", StringComparison.Ordinal)
            + path + ": Application provided invalid, non monotonically increasing dts to muxer\n";

        var f = FfmpegInputParser.Parse(path, stderr, 1);

        Assert.Equal(1920, f.Width);
        Assert.Null(FfmpegInputParser.CorruptionIn(stderr, [path]));
    }

    [Fact]
    public void Parse_PacketsEndingFarBeforeTheDuration_ThrowsTruncated()
    {
        var clean = TestDataFiles.Read("inspect-1080p60-aac.stderr.txt").Replace("time=00:00:10.", "time=00:00:03.", StringComparison.Ordinal);

        var e = Assert.Throws<MediaProbeException>(() => FfmpegInputParser.Parse("a.mp4", clean, 1));

        Assert.Contains("packets end at 3.", e.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_SharedRun_ReadsEachInputsOwnStreams()
    {
        var stderr = TestDataFiles.Read("inspect-three-inputs.stderr.txt");

        var first = FfmpegInputParser.Parse("a.mp4", stderr, 1, input: 0);
        var second = FfmpegInputParser.Parse("b.mp4", stderr, 1, input: 1);
        var third = FfmpegInputParser.Parse("c.mp4", stderr, 1, input: 2);

        Assert.Equal((1920, 60.0, 2, 10.0), (first.Width, first.Fps, first.Channels, first.Duration));
        Assert.Equal((320, 30000.0 / 1001, 1, 2.0), (second.Width, second.Fps, second.Channels, second.Duration));
        Assert.Equal((320, 30.0, false, 1.0), (third.Width, third.Fps, third.HasAudio, third.Duration));
    }

    [Fact]
    public void Arguments_OnePath_MetersWithTheUnnamedFilter()
    {
        var args = MediaInspector.Arguments(["a.mp4"]);

        Assert.Equal(["-i", "a.mp4"], args.Skip(3).Take(2));
        Assert.Equal(LoudnessMeter.Filter, args[args.ToList().IndexOf("-af") + 1]);
        Assert.Single(args, "-f");
    }

    [Fact]
    public void Arguments_SeveralPaths_NameEachInputsMeter()
    {
        var args = MediaInspector.Arguments(["a.mp4", "b.mp4"]).ToList();

        Assert.Equal(["-i", "a.mp4", "-i", "b.mp4"], args.Skip(3).Take(4));
        Assert.Equal(
            [LoudnessMeter.RenderedAudioView + ",ebur128@in0=peak=sample:framelog=verbose", LoudnessMeter.RenderedAudioView + ",ebur128@in1=peak=sample:framelog=verbose"],
            args.Select((a, i) => (a, i)).Where(x => x.a == "-af").Select(x => args[x.i + 1]));
        Assert.Contains("1:a:0?", args);
    }

    [Fact]
    public void ParseInput_SplitLinesOfASharedRun_ReadTheSameFactsAsParse()
    {
        var stderr = TestDataFiles.Read("inspect-three-inputs.stderr.txt");
        var lines = stderr.Split('\n');

        for (var i = 0; i < 3; i++)
            Assert.Equal(FfmpegInputParser.Parse("x.mp4", stderr, 1, i), FfmpegInputParser.ParseInput("x.mp4", lines, 1, i));
    }

    [Fact]
    public void Parse_NoInputDescription_ThrowsNotMedia() =>
        Assert.Throws<MediaProbeException>(() => FfmpegInputParser.Parse("a.mp4", "x.mp4: Invalid data found when processing input\n", 1));

    [Theory]
    [InlineData(29.97, 30000.0 / 1001)]
    [InlineData(59.94, 60000.0 / 1001)]
    [InlineData(23.98, 24000.0 / 1001)]
    [InlineData(30, 30)]
    [InlineData(25, 25)]
    [InlineData(12.5, 12.5)]
    public void SnapFrameRate_PrintedRate_IsTheExactRate(double printed, double exact) =>
        Assert.Equal(exact, FfmpegInputParser.SnapFrameRate(printed), 9);
}

public sealed class MediaInspectorTests(MediaFactory media) : IClassFixture<MediaFactory>
{
    [Fact]
    public async Task InspectAsync_GeneratedClip_AgreesWithFfprobeAndTheMeter()
    {
        var path = await media.ClipAsync("inspect-a.mp4", 1.5, 320, 180, 30, sampleRate: 44100, channels: 1);

        var inspected = await new MediaInspector().InspectAsync(path, CancellationToken.None);
        var probed = await new MediaProbe().ProbeAsync(path, CancellationToken.None);
        var measured = await new LoudnessMeter().MeasureAsync(path, CancellationToken.None);

        Assert.Equal(probed with { Duration = 0 }, inspected.Facts with { Duration = 0 });
        Assert.Equal(probed.Duration, inspected.Facts.Duration, 1);
        Assert.Equal(measured, inspected.Loudness);
    }

    [Fact]
    public async Task InspectAsync_TruncatedFile_ThrowsTruncated()
    {
        var path = await media.ClipAsync("inspect-full.mp4", 2);
        var bytes = await File.ReadAllBytesAsync(path);
        var cut = Path.Combine(media.Dir, "inspect-cut.mp4");
        await File.WriteAllBytesAsync(cut, bytes[..(bytes.Length / 2)]);

        var e = await Assert.ThrowsAsync<MediaProbeException>(() => new MediaInspector().InspectAsync(cut, CancellationToken.None));

        Assert.Contains("truncated", e.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InspectAsync_TextFile_ThrowsNotReadable()
    {
        var path = Path.Combine(media.Dir, "inspect-notes.mp4");
        await File.WriteAllTextAsync(path, "this is not a video\n");

        var e = await Assert.ThrowsAsync<MediaProbeException>(() => new MediaInspector().InspectAsync(path, CancellationToken.None));

        Assert.Contains("not a readable media file", e.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InspectAsync_NoAudio_MeasuresSilence()
    {
        var path = await media.ClipAsync("inspect-silent.mp4", 1, audio: false);

        var inspected = await new MediaInspector().InspectAsync(path, CancellationToken.None);

        Assert.True(inspected.Loudness.IsSilent);
        Assert.True(inspected.Facts.HasVideo);
    }

    [Fact]
    public async Task InspectManyAsync_CleanFiles_AgreeWithInspectingEachAlone()
    {
        string[] paths =
        [
            await media.ClipAsync("many-a.mp4", 1.5, toneDb: -30),
            await media.ClipAsync("many-b.mp4", 2.5, 180, 320, 60, sampleRate: 44100, channels: 1, toneDb: -12),
            await media.ClipAsync("many-c.mp4", 1, audio: false),
        ];
        var inspector = new MediaInspector();

        var together = await inspector.InspectManyAsync(paths, CancellationToken.None);

        Assert.Equal(paths, together.Select(r => r.Path));
        for (var i = 0; i < paths.Length; i++)
        {
            var alone = await inspector.InspectAsync(paths[i], CancellationToken.None);
            Assert.Equal(alone, together[i].Get());
        }
        // 18 dB louder, but mono: upmixed to stereo at -3 dB per channel, as the renderer plays it.
        Assert.Equal(15, together[1].Get().Loudness.IntegratedLufs - together[0].Get().Loudness.IntegratedLufs, 0);
    }

    [Fact]
    public async Task InspectManyAsync_WithFingerprints_AFileWithoutAudio_KeepsTheBatchTogether()
    {
        string[] paths =
        [
            await media.ClipAsync("fp-many-a.mp4", 6, toneDb: -20),
            await media.ClipAsync("fp-many-silent.mp4", 2, audio: false),
            await media.ClipAsync("fp-many-b.mp4", 6, 180, 320, 60, sampleRate: 44100, channels: 1, toneDb: -12),
        ];
        var log = new ListLogger();
        var inspector = new MediaInspector(new MediaProcessRunner(), log);

        var together = await inspector.InspectManyAsync(paths, fingerprint: true, CancellationToken.None);

        // One shared run (input 1's MP4 header declares no audio, so it has no fingerprint output): neither a run ffmpeg
        // refuses first nor a run per file.
        Assert.DoesNotContain(log.Lines, l => l.Contains("ffmpeg refused the fingerprint", StringComparison.Ordinal));
        Assert.DoesNotContain(log.Lines, l => l.Contains("each on its own", StringComparison.Ordinal));
        Assert.NotEmpty(together[0].Get().Fingerprint!);
        Assert.Null(together[1].Get().Fingerprint);
        Assert.NotEmpty(together[2].Get().Fingerprint!);
        for (var i = 0; i < paths.Length; i++)
            Assert.Equal((await inspector.InspectAsync(paths[i], CancellationToken.None)).Facts, together[i].Get().Facts);
    }

    [Fact]
    public async Task InspectManyAsync_WithFingerprints_ASilentFileNotInMp4_StillKeepsTheBatchTogether()
    {
        // Matroska has no moov box to tell: ffmpeg refuses the first run, and the batch runs again without that output.
        var silentMp4 = await media.ClipAsync("fp-many-silent-src.mp4", 2, audio: false);
        var silentMkv = Path.Combine(media.Dir, "fp-many-silent.mkv");
        await new MediaProcessRunner().FfmpegAsync(["-v", "error", "-y", "-i", silentMp4, "-c", "copy", silentMkv], null, CancellationToken.None);
        string[] paths = [await media.ClipAsync("fp-many-a.mp4", 6, toneDb: -20), silentMkv];
        var log = new ListLogger();

        var together = await new MediaInspector(new MediaProcessRunner(), log).InspectManyAsync(paths, fingerprint: true, CancellationToken.None);

        Assert.Null(Mp4Tracks.HasAudioTrack(silentMkv));
        Assert.Contains(log.Lines, l => l.Contains("ffmpeg refused the fingerprint outputs of inputs 1", StringComparison.Ordinal));
        Assert.DoesNotContain(log.Lines, l => l.Contains("each on its own", StringComparison.Ordinal));
        Assert.NotEmpty(together[0].Get().Fingerprint!);
        Assert.Null(together[1].Get().Fingerprint);
        Assert.False(together[1].Get().Facts.HasAudio);
    }

    [Fact]
    public async Task Mp4Tracks_ReadsTheAudioTrackFromTheMoovBox()
    {
        var withAudio = await media.ClipAsync("tracks-audio.mp4", 1);
        var silent = await media.ClipAsync("tracks-silent.mp4", 1, audio: false);
        // moov at the end (no faststart): the reader walks the top-level boxes to it.
        var moovLast = Path.Combine(media.Dir, "tracks-moov-last.mp4");
        await new MediaProcessRunner().FfmpegAsync(["-v", "error", "-y", "-i", withAudio, "-c", "copy", moovLast], null, CancellationToken.None);
        var notes = Path.Combine(media.Dir, "tracks-notes.mp4");
        await File.WriteAllTextAsync(notes, "not a video at all, just some text\n");
        var bytes = await File.ReadAllBytesAsync(moovLast);
        var cut = Path.Combine(media.Dir, "tracks-cut.mp4");
        await File.WriteAllBytesAsync(cut, bytes[..(bytes.Length / 2)]);

        Assert.True(Mp4Tracks.HasAudioTrack(withAudio));
        Assert.False(Mp4Tracks.HasAudioTrack(silent));
        Assert.True(Mp4Tracks.HasAudioTrack(moovLast));
        Assert.Null(Mp4Tracks.HasAudioTrack(notes));
        Assert.Null(Mp4Tracks.HasAudioTrack(cut));
        Assert.Null(Mp4Tracks.HasAudioTrack(Path.Combine(media.Dir, "tracks-missing.mp4")));
        // A 64-bit box size far past the end of the file (or past any long) is not followed.
        var huge = Path.Combine(media.Dir, "tracks-huge.mp4");
        await File.WriteAllBytesAsync(huge, [0, 0, 0, 1, .. "ftyp"u8, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xf0, .. new byte[32]]);
        Assert.Null(Mp4Tracks.HasAudioTrack(huge));
        await File.WriteAllBytesAsync(huge, [0, 0, 0, 1, .. "ftyp"u8, 0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xf0, .. new byte[32]]);
        Assert.Null(Mp4Tracks.HasAudioTrack(huge));
    }

    private sealed class ListLogger : Microsoft.Extensions.Logging.ILogger<MediaInspector>
    {
        public List<string> Lines { get; } = [];

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(Microsoft.Extensions.Logging.LogLevel logLevel) => true;

        public void Log<TState>(Microsoft.Extensions.Logging.LogLevel logLevel, Microsoft.Extensions.Logging.EventId eventId, TState state, Exception? exception,
            Func<TState, Exception?, string> formatter)
        {
            lock (Lines)
                Lines.Add(formatter(state, exception));
        }
    }

    [Fact]
    public async Task InspectManyAsync_OneTruncatedFile_FailsAloneWhileTheOthersPass()
    {
        var good = await media.ClipAsync("many-good.mp4", 2);
        var bytes = await File.ReadAllBytesAsync(await media.ClipAsync("many-full.mp4", 2));
        var cut = Path.Combine(media.Dir, "many-cut.mp4");
        await File.WriteAllBytesAsync(cut, bytes[..(bytes.Length * 2 / 3)]);
        var notes = Path.Combine(media.Dir, "many-notes.mp4");
        await File.WriteAllTextAsync(notes, "not a video\n");

        var results = await new MediaInspector().InspectManyAsync([good, cut, notes, good], CancellationToken.None);

        Assert.NotNull(results[0].Inspection);
        Assert.Contains("truncated", results[1].Error!.Reason, StringComparison.Ordinal);
        Assert.Contains("not a readable media file", results[2].Error!.Reason, StringComparison.Ordinal);
        Assert.Equal(results[0].Inspection, results[3].Inspection);
        Assert.Throws<MediaProbeException>(() => results[1].Get());
    }

    [Fact]
    public async Task MeasureAsync_Ebur128_AgreesWithLoudnormOnATone()
    {
        var path = await media.ClipAsync("loud-compare.mp4", 3, toneDb: -18);
        var runner = new MediaProcessRunner();
        var loudnorm = await runner.FfmpegAsync(
            ["-hide_banner", "-nostats", "-nostdin", "-i", path, "-map", "0:a:0", "-af", LoudnessMeter.RenderedAudioView + ",loudnorm=print_format=json", "-f", "null", "-"],
            null, CancellationToken.None);
        var reference = LoudnormParser.Parse(loudnorm.StderrTail);

        var measured = await new LoudnessMeter().MeasureAsync(path, CancellationToken.None);

        Assert.InRange(measured.IntegratedLufs - reference.IntegratedLufs, -0.2, 0.2);
        Assert.InRange(measured.TruePeakDb - reference.TruePeakDb, -1, 0.2);
    }
}
