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
            var ownRun = await _runner.FfmpegAsync(SegmentCommand.Build(specs[k], null, own, null), null, CancellationToken.None);
            Assert.Equal(await File.ReadAllBytesAsync(own), await File.ReadAllBytesAsync(batched[k]));
            Assert.Equal(Ebur128SummaryParser.Parse(ownRun.StderrTail), Ebur128SummaryParser.Parse(run.StderrTail, SegmentCommand.MeterName(k)));
        }
        var loudness = specs.Select((_, k) => Ebur128SummaryParser.Parse(run.StderrTail, SegmentCommand.MeterName(k))).ToList();
        // Each meter is its own segment's: the tones are 18 dB apart (the weighting and the mono upmix move that a few
        // LU), and the silent clip measures as silence.
        Assert.InRange(loudness[0].IntegratedLufs - loudness[1].IntegratedLufs, 12, 24);
        Assert.Equal(LoudnessMeasurement.Silence, loudness[2]);
        // Exactly each segment's samples (stereo float, 8 bytes each) after the same WAV header.
        Assert.Single(specs.Zip(batched, (s, f) => new FileInfo(f).Length - s.Samples * 8).Distinct());
    }
}
