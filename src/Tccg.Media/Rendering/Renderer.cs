using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Tccg.Core.Configuration;
using Tccg.Core.Tasks;
using Tccg.Core.Timeline;
using Tccg.Media.Caching;
using Tccg.Media.Loudness;
using Tccg.Media.Processes;
using Tccg.Media.Probing;
using Tccg.Core.Media;

namespace Tccg.Media.Rendering;

/// <summary>
/// Renders a timeline to an upload-ready MP4 and its description: every piece becomes a cached
/// segment (encoded in parallel, reused while nothing that affects it changes), the video is a
/// stream-copy concat of the segments, the audio is joined sample-exactly, mixed with music and
/// encoded once.
/// </summary>
public sealed class Renderer(
    MediaProcessRunner runner,
    MediaProbe probe,
    LoudnessMeter meter,
    FontResolver fonts,
    IOptions<GeneratorOptions> options,
    TimeProvider time,
    ILogger<Renderer>? logger = null)
{
    private readonly ILogger _logger = logger ?? NullLogger<Renderer>.Instance;
    private readonly CacheTrimmer _trimmer = new(logger);

    public async Task<RenderResult> RenderAsync(RenderRequest request, IProgress<RenderProgress>? progress, CancellationToken ct)
    {
        var started = time.GetTimestamp();
        var startedAt = time.GetUtcNow();
        var errors = TimelineLoader.Validate(request.Timeline);
        if (errors.Count > 0)
            throw new TimelineValidationException(errors);
        var settings = TimelineSettings.Resolve(request.Timeline, options.Value, request.BaseDirectory);
        var plan = RenderPlan.Expand(request.Timeline, request.BaseDirectory);
        var parallelism = request.Parallelism ?? options.Value.Parallelism;
        // One more than the cores: x264 is partly serial while a segment starts and flushes.
        if (parallelism <= 0)
            parallelism = Environment.ProcessorCount + 1;
        var cacheDir = Path.GetFullPath(request.SegmentCacheDir);
        Directory.CreateDirectory(cacheDir);
        // Held until the render ends: a cache trim (another process's, too) waits for it, so no file this
        // render planned to reuse vanishes under ffmpeg.
        var inUse = await CacheLock.AcquireSharedAsync(cacheDir, ct);
        try
        {
            return await RenderInCacheAsync(request, settings, plan, parallelism, cacheDir, started, progress, ct);
        }
        finally
        {
            inUse.Dispose();
            // Whatever the outcome, once the cache is free: what this render used (marked since it started) stays.
            TrimSegmentCache(cacheDir, request.SegmentCacheMaxBytes, startedAt);
        }
    }

    /// <summary>
    /// Trims the segment cache at <paramref name="cacheDir"/> to <paramref name="capBytes"/> (0: unlimited; null:
    /// <c>Tccg:Generator:SegmentCacheMaxMb</c>), keeping what was used at or after <paramref name="keepUsedSince"/>.
    /// Every render does this when it ends; a generator also does it once when it starts.
    /// </summary>
    public CacheTrimResult TrimSegmentCache(string cacheDir, long? capBytes, DateTimeOffset keepUsedSince) =>
        SegmentCache.Trim(_trimmer, cacheDir, capBytes ?? GeneratorOptions.Bytes(options.Value.SegmentCacheMaxMb), keepUsedSince);

    private async Task<RenderResult> RenderInCacheAsync(RenderRequest request, TimelineSettings settings, IReadOnlyList<PlanEntry> plan, int parallelism,
        string cacheDir, long started, IProgress<RenderProgress>? progress, CancellationToken ct)
    {
        var info = new MediaInfoCache(cacheDir, probe, meter, time);
        var tracker = new ProgressTracker(progress, time, started);

        // 1. Probe every input (cached per file identity) and check the trims against the media. The music's loudness
        //    (cached per file; clips are measured while their segment audio renders) is measured at the same time: it
        //    needs no probe, and the cores would otherwise wait on the probes' process starts.
        tracker.Report(RenderStage.Probing, 0);
        var musicTracks = settings.Music.Tracks.Distinct(StringComparer.Ordinal).ToList();
        using var musicWork = CancellationTokenSource.CreateLinkedTokenSource(ct);
        using var musicSlots = new SemaphoreSlim(parallelism);
        var musicMeasured = musicTracks.Where(File.Exists).ToDictionary(f => f, MeasureMusicAsync, StringComparer.Ordinal);
        async Task<LoudnessMeasurement> MeasureMusicAsync(string track)
        {
            // As many at once as segments encode at once (Tccg:Generator:Parallelism), however many tracks there are.
            await musicSlots.WaitAsync(musicWork.Token);
            try
            {
                return await info.LoudnessAsync(track, musicWork.Token);
            }
            finally
            {
                musicSlots.Release();
            }
        }
        var files = plan.Select(p => p.FilePath).Concat(settings.Music.Tracks).Distinct(StringComparer.Ordinal).ToList();
        var facts = new ConcurrentDictionary<string, MediaFacts>(StringComparer.Ordinal);
        var probeErrors = new ConcurrentBag<string>();
        var musicLoudness = new ConcurrentDictionary<string, double>(StringComparer.Ordinal);
        try
        {
            await Parallel.ForEachAsync(files, new ParallelOptions { MaxDegreeOfParallelism = parallelism, CancellationToken = ct }, async (f, token) =>
            {
                try
                {
                    facts[f] = await info.FactsAsync(f, token);
                }
                catch (MediaProbeException ex)
                {
                    probeErrors.Add(ex.Message);
                }
            });
            var errors = RenderPlan.CheckMedia(plan, f => facts.TryGetValue(f, out var m) ? m.Duration : null, request.BaseDirectory);
            foreach (var track in settings.Music.Tracks.Where(t => !facts.TryGetValue(t, out var m) || !m.HasAudio))
                errors.Add($"music: track {Path.GetRelativePath(request.BaseDirectory, track)} is missing or has no audio");
            if (errors.Count > 0)
                throw new TimelineValidationException([.. errors, .. probeErrors.Order(StringComparer.Ordinal)]);

            // 2. The music's loudness, measured meanwhile (a track that probed fine but could not be measured fails here).
            tracker.Report(RenderStage.MeasuringLoudness, 2);
            foreach (var f in musicTracks)
                musicLoudness[f] = (await (musicMeasured.TryGetValue(f, out var measuring) ? measuring : info.LoudnessAsync(f, ct))).IntegratedLufs;
        }
        catch
        {
            // Bad media or a failed probe: the measurements stop too, and end before the render gives up.
            await musicWork.CancelAsync();
            await Task.WhenAll(musicMeasured.Values).Settled();
            throw;
        }

        // 3. One segment per piece; identical pieces (the interval, repeated clips) share one.
        var specs = new List<SegmentSpec>();
        foreach (var e in plan)
            specs.Add(await SpecAsync(e, facts[e.FilePath], settings, ct));
        var jobs = PlanJobs(specs, plan.Select(e => $"{e.Label} {Path.GetFileName(e.FilePath)}").ToList(), cacheDir);
        // Reused segments count as used now, so a trim after this job keeps them even if the render fails later
        // (the ones encoded now are new anyway).
        MarkReused(specs, jobs, cacheDir);
        var reused = specs.Select(s => s.VideoKey).Distinct(StringComparer.Ordinal).Count() - jobs.Count(j => j.Video);
        var totalSamples = specs.Sum(s => s.Samples);
        var music = settings.Music.Tracks
            .Select(t => new MusicTrack(t, facts[t].Duration, Gain(musicLoudness.GetValueOrDefault(t, LoudnessMeasurement.SilenceLufs), settings.Output.LoudnessLufs)))
            .ToList();

        // 4. The pictures encode while the sound is made beside them: every missing segment's audio in one process,
        //    then the mix with the music and its one AAC encode. Neither waits for the other, so no core idles
        //    through a long serial step at the end; a failure on one side stops the other. With no picture to encode
        //    (a music or volume change), the mix goes straight into the output in one pass instead.
        var pictureJobs = jobs.Where(j => j.Video).ToList();
        var soundJobs = jobs.Where(j => j.Audio).ToList();
        var outDir = Path.GetDirectoryName(Path.GetFullPath(request.OutputPath))!;
        Directory.CreateDirectory(outDir);
        var tag = Guid.NewGuid().ToString("N", CultureInfo.InvariantCulture);
        var soundFile = Path.Combine(outDir, $".{Path.GetFileName(request.OutputPath)}.{tag}.audio.m4a");
        // The thumbnail reads the segments, not the output: it is made (to a temporary file) while the output is
        // assembled, and takes its place only beside a finished output.
        var jpg = Path.ChangeExtension(request.OutputPath, ".jpg");
        var thumbnailTemp = jpg + "." + tag + ".tmp.jpg";
        try
        {
            Func<string, string, List<string>> final;
            if (pictureJobs.Count == 0)
            {
                tracker.Report(RenderStage.Assembling, 90);
                var audio = await SoundPartsAsync(soundJobs, request, plan, specs, cacheDir, settings, ct);
                final = (videoList, temp) => FinalCommand.Build(videoList, audio, totalSamples, music, settings.Music, settings.Output, temp);
            }
            else
            {
                var videosDone = 0;
                using var work = CancellationTokenSource.CreateLinkedTokenSource(ct);
                var sound = Task.Run(() => RenderSoundAsync(soundJobs, request, plan, specs, cacheDir, totalSamples, music, settings, soundFile,
                    fraction =>
                    {
                        if (Volatile.Read(ref videosDone) == 1)
                            tracker.Report(RenderStage.Assembling, 90 + 8 * fraction);
                    }, work.Token), CancellationToken.None);
                var pictures = Task.Run(async () =>
                {
                    await EncodeSegmentsAsync(pictureJobs, cacheDir, parallelism, tracker, work.Token);
                    tracker.Report(RenderStage.Assembling, 90);
                    Volatile.Write(ref videosDone, 1);
                }, CancellationToken.None);
                var first = await Task.WhenAny(sound, pictures);
                if (!first.IsCompletedSuccessfully)
                {
                    await work.CancelAsync();
                    await Task.WhenAll(sound, pictures).Settled();
                    await first;
                }
                await Task.WhenAll(sound, pictures);
                final = (videoList, temp) => FinalCommand.BuildMux(videoList, soundFile, temp);
            }

            // 5. The output (with the thumbnail made beside it), and the description.
            using var thumbnailWork = CancellationTokenSource.CreateLinkedTokenSource(ct);
            var thumbnail = Task.Run(() => WriteThumbnailAsync(thumbnailTemp, plan, specs, cacheDir, thumbnailWork.Token), CancellationToken.None);
            try
            {
                await AssembleAsync(request.OutputPath, specs, final, cacheDir, totalSamples, tracker, pictureJobs.Count == 0 ? 90 : 98, ct);
            }
            catch
            {
                await thumbnailWork.CancelAsync();
                await thumbnail.Settled();
                throw;
            }
            await thumbnail;
            File.Move(thumbnailTemp, jpg, overwrite: true);
        }
        finally
        {
            AtomicFile.TryDelete(thumbnailTemp);
            AtomicFile.TryDelete(soundFile);
        }

        var pieces = plan.Zip(specs, (e, s) => new DescribedPiece(e.Kind, e.StreamerName, e.StreamerLogin, e.Title, s.Seconds, e.Clipper)).ToList();
        var descriptionPath = Path.ChangeExtension(request.OutputPath, ".txt");
        await AtomicFile.WriteTextAsync(descriptionPath, request.Timeline.Description ?? VideoDescription.Build(pieces), ct);

        tracker.Report(RenderStage.Done, 100);
        var result = new RenderResult(request.OutputPath, descriptionPath, (double)totalSamples / SegmentSpec.SampleRate,
            jobs.Count(j => j.Video), jobs.Count(j => j.Audio), reused,
            specs.Select(s => s.VideoKey).ToList(), time.GetElapsedTime(started));
        _logger.LogInformation("Rendered {Output} ({Seconds} s): {Encoded} video segments encoded, {Audio} audio segments rendered, {Reused} reused in {Elapsed}",
            result.OutputPath, Math.Round(result.DurationSeconds, 2), result.VideoSegmentsEncoded, result.AudioSegmentsRendered, result.SegmentsReused, result.Elapsed);
        return result;
    }

    private async Task<SegmentSpec> SpecAsync(PlanEntry e, MediaFacts f, TimelineSettings settings, CancellationToken ct)
    {
        var o = settings.Output;
        var frames = RenderPlan.Frames(RenderPlan.TrimmedSeconds(e, f.Duration), o.Fps);
        var samples = RenderPlan.Samples(frames, o.Fps, SegmentSpec.SampleRate);
        OverlaySpec? overlay = null;
        var ov = settings.Overlay;
        if (ov.Enabled && ov.Seconds > 0 && e.Kind == ItemKind.Clip && !string.IsNullOrWhiteSpace(e.StreamerName))
        {
            var font = await fonts.ResolveAsync(ov.Font, e.StreamerName.Trim(), ct);
            overlay = new OverlaySpec(font.Text, font.FontFile, ov.Color, ov.OutlineColor, ov.Position, ov.Seconds);
        }
        OverlaySpec? caption = null;
        if (settings.Caption is { Enabled: true } c && e.Kind == ItemKind.Clip && !string.IsNullOrWhiteSpace(e.Title))
        {
            var font = await fonts.ResolveAsync(ov.Font, e.Title.Trim(), ct);
            caption = new OverlaySpec(font.Text, font.FontFile, ov.Color, ov.OutlineColor, OverlayPosition.TopCenter, c.Seconds);
        }
        return new SegmentSpec(FileIdentity.Of(e.FilePath), f.HasVideo, f.HasAudio, f.Width, f.Height, e.TrimStart,
            frames, samples, overlay, o, e.Layout, caption);
    }

    private static double Gain(double lufs, double target) => AudioRules.LoudnessGainDb(lufs, target);

    internal sealed record SegmentJob(SegmentSpec Spec, string Label, bool Video, bool Audio);

    private static async Task<LoudnessMeasurement> ReadMeasurementAsync(string cacheDir, string key, CancellationToken ct)
    {
        var json = await File.ReadAllTextAsync(SegmentCache.MeasurementFile(cacheDir, key), ct);
        return JsonSerializer.Deserialize<LoudnessMeasurement>(json) ?? LoudnessMeasurement.Silence;
    }

    /// <summary>Which segments are missing from the cache; each missing file is made by exactly one job.</summary>
    internal static List<SegmentJob> PlanJobs(IReadOnlyList<SegmentSpec> specs, IReadOnlyList<string> labels, string cacheDir)
    {
        var videos = new HashSet<string>(StringComparer.Ordinal);
        var audios = new HashSet<string>(StringComparer.Ordinal);
        var jobs = new List<SegmentJob>();
        foreach (var (s, label) in specs.Zip(labels))
        {
            var v = !File.Exists(SegmentCache.VideoFile(cacheDir, s.VideoKey)) && videos.Add(s.VideoKey);
            var a = !(File.Exists(SegmentCache.AudioFile(cacheDir, s.AudioKey)) && File.Exists(SegmentCache.MeasurementFile(cacheDir, s.AudioKey))) && audios.Add(s.AudioKey);
            if (v || a)
                jobs.Add(new SegmentJob(s, label, v, a));
        }
        // Longest pictures first, so the last to finish is a short one.
        return jobs.OrderByDescending(j => j.Spec.Frames).ToList();
    }

    /// <summary>The missing video segments, <paramref name="parallelism"/> ffmpeg processes at once, longest first.</summary>
    private async Task EncodeSegmentsAsync(List<SegmentJob> jobs, string cacheDir, int parallelism, ProgressTracker tracker, CancellationToken ct)
    {
        static double Weight(SegmentJob j) => j.Spec.Frames;
        var total = Math.Max(1, jobs.Sum(Weight));
        var done = new ConcurrentDictionary<SegmentJob, double>();
        var finished = 0;
        void Report() => tracker.Report(RenderStage.EncodingSegments, 5 + 85 * done.Values.Sum() / total, Volatile.Read(ref finished), jobs.Count);
        Report();

        await Parallel.ForEachAsync(jobs, new ParallelOptions { MaxDegreeOfParallelism = parallelism, CancellationToken = ct }, async (job, token) =>
        {
            var s = job.Spec;
            var tag = Guid.NewGuid().ToString("N", CultureInfo.InvariantCulture);
            var videoTemp = SegmentCache.VideoTemp(cacheDir, s.VideoKey, tag);
            string? textFile = null;
            string? captionFile = null;
            try
            {
                if (s.Overlay is { } ov)
                    textFile = await TextFileAsync(cacheDir, ov.Text, token);
                if (s.Caption is { } caption)
                    captionFile = await TextFileAsync(cacheDir, caption.Text, token);
                var parser = new FfmpegProgressParser();
                var args = SegmentCommand.Build(s, videoTemp, textFile, captionFile);
                try
                {
                    await runner.FfmpegAsync(args, line =>
                    {
                        if (parser.Push(line) is { } p)
                        {
                            done[job] = Weight(job) * Math.Clamp(p.OutTime.TotalSeconds / s.Seconds, 0, 1);
                            Report();
                        }
                    }, token);
                }
                catch (MediaToolException ex)
                {
                    throw new MediaToolException($"Rendering {job.Label} failed: {ex.Message}", ex.ExitCode, ex.StderrTail, ex.CommandLine);
                }
                File.Move(videoTemp, SegmentCache.VideoFile(cacheDir, s.VideoKey), overwrite: true);
                done[job] = Weight(job);
                Interlocked.Increment(ref finished);
                Report();
                _logger.LogInformation("Segment {Key} ({Input} from {Start} s, {Frames} frames) encoded", s.VideoKey, s.Input.Path, s.TrimStart, s.Frames);
            }
            finally
            {
                AtomicFile.TryDelete(videoTemp);
            }
        });
    }

    /// <summary>
    /// The output's thumbnail (see <see cref="Thumbnail"/>) into <paramref name="file"/>: the first clip (else the first
    /// piece) at the loudest second of its audio segment.
    /// </summary>
    private async Task WriteThumbnailAsync(string file, IReadOnlyList<PlanEntry> plan, IReadOnlyList<SegmentSpec> specs, string cacheDir, CancellationToken ct)
    {
        var index = Math.Max(0, plan.ToList().FindIndex(e => e.Kind == ItemKind.Clip));
        var spec = specs[index];
        var offset = spec.HasAudio ? Thumbnail.LoudestSecond(SegmentCache.AudioFile(cacheDir, spec.AudioKey)) + 0.5 : 0;
        offset = Math.Min(offset, Math.Max(0, spec.Seconds - 1.0 / spec.Output.Fps));
        var textFile = spec.Overlay is { } ov ? await TextFileAsync(cacheDir, ov.Text, ct) : null;
        await runner.FfmpegAsync(Thumbnail.Command(spec, offset, textFile, file), null, ct);
    }

    /// <summary>The cache's file holding <paramref name="text"/> for drawtext, written once and marked used.</summary>
    private async Task<string> TextFileAsync(string cacheDir, string text, CancellationToken ct)
    {
        var file = SegmentCache.TextFile(cacheDir, text);
        if (File.Exists(file))
            CacheTrimmer.MarkUsed(file, time);
        else
            await AtomicFile.WriteTextAsync(file, text, ct);
        return file;
    }

    /// <summary>
    /// The compilation's sound into <paramref name="soundFile"/> (<see cref="SoundPartsAsync"/>, then every piece's audio
    /// joined at its gain, mixed with the music and encoded once to AAC). <paramref name="mixed"/> hears the mix's progress (0–1).
    /// </summary>
    private async Task RenderSoundAsync(List<SegmentJob> jobs, RenderRequest request, IReadOnlyList<PlanEntry> plan, IReadOnlyList<SegmentSpec> specs,
        string cacheDir, long totalSamples, List<MusicTrack> music, TimelineSettings settings, string soundFile, Action<double> mixed, CancellationToken ct)
    {
        var audio = await SoundPartsAsync(jobs, request, plan, specs, cacheDir, settings, ct);
        var seconds = (double)totalSamples / SegmentSpec.SampleRate;
        var parser = new FfmpegProgressParser();
        await runner.FfmpegAsync(FinalCommand.BuildAudio(audio, totalSamples, music, settings.Music, settings.Output, soundFile), line =>
        {
            if (parser.Push(line) is { } p)
                mixed(Math.Clamp(p.OutTime.TotalSeconds / seconds, 0, 1));
        }, ct);
    }

    /// <summary>
    /// Every piece's audio file and gain for the mix, after the missing segments' audio is rendered (at most
    /// <see cref="SoundBatch"/> segments a process, each measured on the way).
    /// </summary>
    private async Task<List<AudioPart>> SoundPartsAsync(List<SegmentJob> jobs, RenderRequest request, IReadOnlyList<PlanEntry> plan,
        IReadOnlyList<SegmentSpec> specs, string cacheDir, TimelineSettings settings, CancellationToken ct)
    {
        foreach (var batch in jobs.Chunk(SoundBatch))
            await RenderSegmentSoundAsync(batch, cacheDir, ct);

        var audio = new List<AudioPart>();
        foreach (var (e, s) in plan.Zip(specs))
        {
            // The clip bin's measurement of the whole file when given, else this segment's own.
            var lufs = request.KnownLoudness is { } known && known.TryGetValue(e.FilePath, out var k)
                ? k
                : (await ReadMeasurementAsync(cacheDir, s.AudioKey, ct)).IntegratedLufs;
            var mute = e.Volume <= 0 || !s.HasAudio;
            audio.Add(new AudioPart(SegmentCache.AudioFile(cacheDir, s.AudioKey), mute ? 0 : Gain(lufs, settings.Output.LoudnessLufs) + AudioRules.VolumeDb(e.Volume), mute));
        }
        return audio;
    }

    /// <summary>Segments whose audio one process renders (each an input file open at once).</summary>
    internal const int SoundBatch = 16;

    /// <summary>These segments' audio files and loudness measurements, in one ffmpeg process.</summary>
    private async Task RenderSegmentSoundAsync(IReadOnlyList<SegmentJob> batch, string cacheDir, CancellationToken ct)
    {
        var tag = Guid.NewGuid().ToString("N", CultureInfo.InvariantCulture);
        var temps = batch.Select(j => SegmentCache.AudioTemp(cacheDir, j.Spec.AudioKey, tag)).ToList();
        try
        {
            ProcessResult run;
            try
            {
                // Each meter's summary is 14 lines of stderr; the inputs' and outputs' descriptions come before.
                run = await runner.FfmpegAsync(SegmentCommand.BuildAudioBatch(batch.Select(j => j.Spec).ToList(), temps), null, 16 * batch.Count + 60, ct);
            }
            catch (MediaToolException ex) when (batch.Count > 1)
            {
                // Which piece broke the shared run: each on its own, so the error names that one.
                _logger.LogWarning("Rendering the sound of {Count} segments together failed ({Error}); each on its own now", batch.Count, ex.Message);
                foreach (var job in batch)
                    await RenderSegmentSoundAsync([job], cacheDir, ct);
                return;
            }
            catch (MediaToolException ex)
            {
                throw new MediaToolException($"Rendering the sound of {string.Join(", ", batch.Select(j => j.Label))} failed: {ex.Message}",
                    ex.ExitCode, ex.StderrTail, ex.CommandLine);
            }
            for (var k = 0; k < batch.Count; k++)
            {
                var s = batch[k].Spec;
                var measured = Ebur128SummaryParser.Parse(run.StderrTail, SegmentCommand.MeterName(k));
                await AtomicFile.WriteTextAsync(SegmentCache.MeasurementFile(cacheDir, s.AudioKey), JsonSerializer.Serialize(measured), ct);
                File.Move(temps[k], SegmentCache.AudioFile(cacheDir, s.AudioKey), overwrite: true);
                _logger.LogInformation("Segment audio {Key} ({Input} from {Start} s, {Samples} samples) rendered", s.AudioKey, s.Input.Path, s.TrimStart, s.Samples);
            }
        }
        finally
        {
            foreach (var t in temps)
                AtomicFile.TryDelete(t);
        }
    }

    /// <summary>
    /// The output through a temporary file: <paramref name="command"/> (given the segment videos' concat list and the
    /// temporary file) writes it; progress goes from <paramref name="fromPercent"/> to 100.
    /// </summary>
    private async Task AssembleAsync(string outputPath, List<SegmentSpec> specs, Func<string, string, List<string>> command, string cacheDir, long totalSamples,
        ProgressTracker tracker, double fromPercent, CancellationToken ct)
    {
        var outDir = Path.GetDirectoryName(Path.GetFullPath(outputPath))!;
        var tag = Guid.NewGuid().ToString("N", CultureInfo.InvariantCulture);
        var videoList = Path.Combine(outDir, $".{Path.GetFileName(outputPath)}.{tag}.video.txt");
        var temp = Path.Combine(outDir, $".{Path.GetFileName(outputPath)}.{tag}.tmp");
        try
        {
            await File.WriteAllTextAsync(videoList, FinalCommand.ConcatList(specs.Select(s => SegmentCache.VideoFile(cacheDir, s.VideoKey))), ct);
            var seconds = (double)totalSamples / SegmentSpec.SampleRate;
            var parser = new FfmpegProgressParser();
            await runner.FfmpegAsync(command(videoList, temp), line =>
            {
                if (parser.Push(line) is { } p)
                    tracker.Report(RenderStage.Assembling, fromPercent + (100 - fromPercent) * Math.Clamp(p.OutTime.TotalSeconds / seconds, 0, 1));
            }, ct);
            File.Move(temp, outputPath, overwrite: true);
        }
        finally
        {
            AtomicFile.TryDelete(temp);
            AtomicFile.TryDelete(videoList);
        }
    }

    /// <summary>
    /// Last use, for the cache trim's least-recently-used order (<see cref="CacheTrimmer"/>): segment files are
    /// named by content key, so their last-write time is free to mean "last used".
    /// </summary>
    private void MarkReused(IReadOnlyList<SegmentSpec> specs, IReadOnlyList<SegmentJob> jobs, string cacheDir)
    {
        var videos = jobs.Where(j => j.Video).Select(j => j.Spec.VideoKey).ToHashSet(StringComparer.Ordinal);
        var audios = jobs.Where(j => j.Audio).Select(j => j.Spec.AudioKey).ToHashSet(StringComparer.Ordinal);
        foreach (var s in specs)
        {
            // Adding the key also skips the next piece that shares the segment.
            if (videos.Add(s.VideoKey))
                CacheTrimmer.MarkUsed(SegmentCache.VideoFile(cacheDir, s.VideoKey), time);
            if (audios.Add(s.AudioKey))
            {
                CacheTrimmer.MarkUsed(SegmentCache.AudioFile(cacheDir, s.AudioKey), time);
                CacheTrimmer.MarkUsed(SegmentCache.MeasurementFile(cacheDir, s.AudioKey), time);
            }
        }
    }
}
