using Tccg.Core.Timeline;
using Tccg.Media.Loudness;
using Tccg.Media.Processes;
using Tccg.Media.Rendering;

namespace Tccg.Media.Tests;

/// <summary>The renderer's batched segment sound: one ffmpeg process for many segments gives what one process each gives.</summary>
public sealed class SegmentSoundTests(MediaFactory media) : IClassFixture<MediaFactory>, IDisposable
{
    private static readonly OutputSettings Output = new(640, 360, 30, "ultrafast", 30, 128, -14, -1, FillMode.Letterbox);
    private readonly MediaProcessRunner _runner = new();
    private readonly string _dir = Directory.CreateTempSubdirectory("tccg-sound-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task AudioBatch_EachSegment_MatchesItsOwnRunToTheByteAndTheMeasurement()
    {
        var loud = await media.ClipAsync("snd-loud.mp4", 1.6, toneDb: -12, toneHz: 440);
        var quiet = await media.ClipAsync("snd-quiet.mp4", 1.2, 640, 360, 60, sampleRate: 44100, channels: 1, toneDb: -30);
        var silent = await media.ClipAsync("snd-silent.mp4", 1.0, audio: false);
        SegmentSpec Spec(string path, bool hasAudio, double trim, int frames) =>
            new(FileIdentity.Of(path), true, hasAudio, 320, 180, trim, frames, RenderPlan.Samples(frames, 30), null, Output);
        var specs = new[] { Spec(loud, true, 0.3, 36), Spec(quiet, true, 0, 30), Spec(silent, false, 0.2, 24) };
        var batched = specs.Select((_, k) => Path.Combine(_dir, $"batch{k}.wav")).ToList();

        var run = await _runner.FfmpegAsync(SegmentCommand.BuildAudioBatch(specs, batched), null, 200, CancellationToken.None);

        for (var k = 0; k < specs.Length; k++)
        {
            var own = Path.Combine(_dir, $"own{k}.wav");
            var ownRun = await _runner.FfmpegAsync(SegmentCommand.BuildAudioBatch([specs[k]], [own]), null, 200, CancellationToken.None);
            Assert.Equal(await File.ReadAllBytesAsync(own), await File.ReadAllBytesAsync(batched[k]));
            Assert.Equal(Ebur128SummaryParser.Parse(ownRun.StderrTail, SegmentCommand.MeterName(0)), Ebur128SummaryParser.Parse(run.StderrTail, SegmentCommand.MeterName(k)));
        }
        var loudness = specs.Select((_, k) => Ebur128SummaryParser.Parse(run.StderrTail, SegmentCommand.MeterName(k))).ToList();
        // Each meter is its own segment's: the tones are 18 dB apart (the weighting and the mono upmix move that a few
        // LU), and the silent clip measures as silence.
        Assert.InRange(loudness[0].IntegratedLufs - loudness[1].IntegratedLufs, 12, 24);
        Assert.Equal(LoudnessMeasurement.Silence, loudness[2]);
        // Exactly each segment's samples (stereo float, 8 bytes each) after the same WAV header.
        Assert.Single(specs.Zip(batched, (s, f) => new FileInfo(f).Length - s.Samples * 8).Distinct());
    }

    [Fact]
    public async Task RenderAsync_MoreSegmentsThanOneBatch_MixedBesideThePicturesOrInOnePass_SoundsTheSame()
    {
        using var world = new RenderWorld();
        var clip = world.Add(await media.ClipAsync("snd-long.mp4", 3.0, markAt: 2.0), "long.mp4");
        var music = world.Add(await media.MusicAsync("snd-m.mp3", 1.0), "m.mp3");
        var doc = RenderWorld.Small();
        doc.Music = new MusicSection { Tracks = [music], Volume = 0.3 };
        // One more piece than a sound batch holds, each a different 0.3 s of the clip: two batches.
        var pieces = Renderer.SoundBatch + 1;
        doc.Items = [.. Enumerable.Range(0, pieces).Select(k => RenderWorld.Clip(clip, "A", "a", start: k * 0.1, end: k * 0.1 + 0.3))];

        var first = await world.RenderAsync(doc);
        var mixedBeside = await DecodedSoundAsync(world.Output);
        // Only the segments' sound gone from the cache: nothing to encode, so the mix goes into the output in one pass.
        foreach (var wav in Directory.EnumerateFiles(world.CacheDir, SegmentCache.AudioPrefix + "*" + SegmentCache.AudioSuffix, SearchOption.AllDirectories))
            File.Delete(wav);
        var second = await world.RenderAsync(doc);

        Assert.Equal((pieces, pieces), (first.VideoSegmentsEncoded, first.AudioSegmentsRendered));
        Assert.Equal((0, pieces), (second.VideoSegmentsEncoded, second.AudioSegmentsRendered));
        var streams = await Analysis.StreamsAsync(world.Output);
        Assert.Equal((long)pieces * 9, Assert.Single(streams, st => st.CodecType == "video").Frames);
        Assert.Equal(mixedBeside, await DecodedSoundAsync(world.Output));
        // The pieces' length, and at most the AAC encoder's last frame (1024 samples) more.
        Assert.InRange((double)mixedBeside.Length / 4 / 48000, pieces * 0.3 - 0.001, pieces * 0.3 + 1024.0 / 48000 + 0.001);
    }

    /// <summary>The output's sound decoded to 16-bit stereo at 48 kHz, the encoder's priming removed as a player does.</summary>
    private async Task<byte[]> DecodedSoundAsync(string file)
    {
        var pcm = Path.Combine(_dir, Guid.NewGuid().ToString("N") + ".pcm");
        await _runner.FfmpegAsync(["-v", "error", "-i", file, "-map", "0:a:0", "-f", "s16le", "-ac", "2", "-ar", "48000", pcm], null, CancellationToken.None);
        return await File.ReadAllBytesAsync(pcm);
    }
}
