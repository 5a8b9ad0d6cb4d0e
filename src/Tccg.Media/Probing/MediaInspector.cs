using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Tccg.Media.Loudness;
using Tccg.Media.Processes;
using Tccg.Core.Media;

namespace Tccg.Media.Probing;

/// <summary>What one read of a file found: its facts and its loudness.</summary>
/// <param name="Fingerprint">The first audio stream's Chromaprint fingerprint (raw 32-bit items) when asked for and the file has audio.</param>
public sealed record MediaInspection(MediaFacts Facts, LoudnessMeasurement Loudness, uint[]? Fingerprint = null);

/// <summary>One file's verdict from <see cref="MediaInspector.InspectManyAsync"/>: its inspection or why it is not usable.</summary>
public sealed record MediaInspectionResult(string Path, MediaInspection? Inspection, MediaProbeException? Error)
{
    /// <summary>The inspection; throws the file's <see cref="MediaProbeException"/> when it has none.</summary>
    public MediaInspection Get() => Inspection ?? throw Error!;
}

/// <summary>
/// Validates a file, reads its <see cref="MediaFacts"/> and measures its loudness in ONE ffmpeg process:
/// every video packet is read (stream copy to the null muxer) and the first audio stream is decoded through
/// <see cref="LoudnessMeter.Filter"/>. Against <see cref="MediaProbe"/> + <see cref="LoudnessMeter"/> this
/// saves a whole process start per file (about 0.05 CPU-seconds, half the cost of a short clip), and it
/// checks more: the audio is decoded, not only counted. Facts come from ffmpeg's input description
/// (<see cref="FfmpegInputParser"/>): duration to 10 ms, frame rates as ffmpeg prints them (NTSC rates snapped).
/// </summary>
public sealed partial class MediaInspector(MediaProcessRunner runner, ILogger<MediaInspector>? logger = null)
{
    /// <summary>Enough stderr for the input description, the demuxer's errors and the loudness summary.</summary>
    private const int StderrLines = 400;

    private readonly ILogger _logger = logger ?? NullLogger<MediaInspector>.Instance;

    public MediaInspector() : this(new MediaProcessRunner()) { }

    /// <summary>
    /// Inspects several files in ONE ffmpeg process (one input and one null output each, the loudness filters named
    /// per input), saving a process start per extra file. If the shared run reports any error, every file goes
    /// through <see cref="InspectAsync"/> on its own, so each verdict is the file's own.
    /// </summary>
    public Task<IReadOnlyList<MediaInspectionResult>> InspectManyAsync(IReadOnlyList<string> paths, CancellationToken ct) =>
        InspectManyAsync(paths, fingerprint: false, ct);

    /// <summary>
    /// As <see cref="InspectManyAsync(IReadOnlyList{string}, CancellationToken)"/>; with <paramref name="fingerprint"/>, the same
    /// ffmpeg pass also writes each file's Chromaprint fingerprint (ffmpeg's <c>chromaprint</c> muxer fed by the audio
    /// already decoded for the loudness meter, so it adds no process and no second decode).
    /// </summary>
    public async Task<IReadOnlyList<MediaInspectionResult>> InspectManyAsync(IReadOnlyList<string> paths, bool fingerprint, CancellationToken ct)
    {
        if (paths.Count > 1 && paths.All(p => File.Exists(p) && new FileInfo(p).Length > 0))
        {
            // A file whose MP4 header declares no audio track gets no fingerprint output: ffmpeg would refuse the whole
            // run for it, after the cost of a process start.
            var outputs = fingerprint ? paths.Select(p => Mp4Tracks.HasAudioTrack(p) == false ? null : FingerprintPath(p)).ToList() : null;
            try
            {
                var result = await runner.RunAsync(runner.Tools.Ffmpeg, Arguments(paths, outputs), null, captureStdout: false, StderrLines * paths.Count, ct);
                if (outputs is not null && result.ExitCode != 0 && InputsWithoutAudio(result.StderrTail, paths.Count) is { Count: > 0 } silent)
                {
                    // ffmpeg refuses the whole run when an input has no audio to feed its fingerprint output (it stops
                    // before decoding, so this costs a process start): the same batch again without those outputs,
                    // rather than every file on its own.
                    if (_logger.IsEnabled(LogLevel.Debug))
                        _logger.LogDebug("ffmpeg refused the fingerprint outputs of inputs {Inputs} (no audio); running the batch again without them", string.Join(", ", silent));
                    foreach (var input in silent)
                        outputs[input] = null;
                    result = await runner.RunAsync(runner.Tools.Ffmpeg, Arguments(paths, outputs), null, captureStdout: false, StderrLines * paths.Count, ct);
                }
                var lines = result.StderrTail.Split('\n');
                if (result.ExitCode == 0 && FfmpegInputParser.CorruptionIn(lines, paths) is null && TryReadBatch(paths, lines, result.StderrTail) is { } batch)
                {
                    if (outputs is null)
                        return batch;
                    var inspected = new List<MediaInspectionResult>(batch.Count);
                    for (var i = 0; i < batch.Count; i++)
                    {
                        var r = batch[i];
                        inspected.Add(outputs[i] is { } o
                            ? r with { Inspection = r.Inspection! with { Fingerprint = ReadFingerprint(o) } }
                            // The header said no audio, yet ffmpeg found some: this file's fingerprint in a run of its own.
                            : r.Inspection!.Facts.HasAudio ? r with { Inspection = await InspectFingerprintedAsync(paths[i], ct) } : r);
                    }
                    return inspected;
                }
                if (_logger.IsEnabled(LogLevel.Debug))
                    _logger.LogDebug("Inspecting {Count} files together failed; each on its own now: {Stderr}", paths.Count, MediaProcessRunner.LastMeaningfulLines(result.StderrTail, 4));
            }
            finally
            {
                DeleteAll(outputs);
            }
        }

        var results = new List<MediaInspectionResult>(paths.Count);
        foreach (var path in paths)
        {
            try
            {
                results.Add(new MediaInspectionResult(path, await InspectAsync(path, fingerprint, ct), null));
            }
            catch (MediaProbeException e)
            {
                results.Add(new MediaInspectionResult(path, null, e));
            }
        }
        return results;
    }

    /// <summary>
    /// The ffmpeg run that reads <paramref name="paths"/>: every input's video packets copied and its first audio
    /// stream metered, each to its own null output. One path gets <see cref="LoudnessMeter.Filter"/> as it is;
    /// with several, input <c>i</c>'s meter is named <c>ebur128@in{i}</c> so its summary can be found.
    /// </summary>
    public static IReadOnlyList<string> Arguments(IReadOnlyList<string> paths) => Arguments(paths, null);

    /// <summary>
    /// As <see cref="Arguments(IReadOnlyList{string})"/>, plus, per input, its first audio stream into the <c>chromaprint</c>
    /// muxer writing raw 32-bit items to <paramref name="fingerprints"/>[i] (ffmpeg decodes each input stream once for both).
    /// </summary>
    public static IReadOnlyList<string> Arguments(IReadOnlyList<string> paths, IReadOnlyList<string?>? fingerprints) =>
        Arguments(paths, fingerprints, FingerprintFilter);

    /// <summary>
    /// What the fingerprint output's audio goes through before the <c>chromaprint</c> muxer: downmixed to mono at the
    /// decoded rate (cheap), then resampled to 11,025 Hz, Chromaprint's own rate (so it does not resample again), with a
    /// short resampling filter (8 taps instead of 32: Chromaprint only looks below 5 kHz, well inside the passband), as
    /// the s16 the muxer takes. bench/downloader (<c>fingerprint cpu</c>) measures it against the plain <c>-ac 1</c>.
    /// </summary>
    public const string FingerprintFilter = "aformat=channel_layouts=mono,aresample=11025:filter_size=8:phase_shift=6,aformat=sample_fmts=s16";

    /// <summary>As <see cref="Arguments(IReadOnlyList{string}, IReadOnlyList{string})"/> with another fingerprint filter (benchmarks compare them).</summary>
    public static IReadOnlyList<string> Arguments(IReadOnlyList<string> paths, IReadOnlyList<string?>? fingerprints, string fingerprintFilter)
    {
        var args = new List<string> { "-hide_banner", "-nostats", "-nostdin" };
        if (fingerprints is not null)
            args.Add("-y");
        foreach (var path in paths)
            args.AddRange(["-i", path]);
        for (var i = 0; i < paths.Count; i++)
        {
            var n = i.ToString(CultureInfo.InvariantCulture);
            var filter = paths.Count == 1 ? LoudnessMeter.Filter : LoudnessMeter.NamedFilter(MeterName(i));
            args.AddRange(["-map", n + ":v:0?", "-map", n + ":a:0?", "-c:v", "copy", "-sn", "-dn", "-af", filter, "-f", "null", "-"]);
            if (fingerprints?[i] is { } output)
                args.AddRange(["-map", n + ":a:0", "-af", fingerprintFilter, "-f", "chromaprint", "-fp_format", "raw", output]);
        }
        return args;
    }

    /// <summary>
    /// The inputs that the stream list ffmpeg printed shows without an audio stream, when the run stopped because a
    /// fingerprint output's <c>-map N:a:0</c> matched nothing; empty otherwise.
    /// </summary>
    internal static IReadOnlyList<int> InputsWithoutAudio(string stderr, int inputs)
    {
        if (!stderr.Contains(":a:0' matches no streams", StringComparison.Ordinal))
            return [];
        var withAudio = new HashSet<int>();
        foreach (System.Text.RegularExpressions.Match m in AudioStreamLine().Matches(stderr))
            withAudio.Add(int.Parse(m.Groups[1].ValueSpan, CultureInfo.InvariantCulture));
        return [.. Enumerable.Range(0, inputs).Where(i => !withAudio.Contains(i))];
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"^\s*Stream #(\d+):\d+\S*: Audio:", System.Text.RegularExpressions.RegexOptions.Multiline)]
    private static partial System.Text.RegularExpressions.Regex AudioStreamLine();

    private static string MeterName(int input) => string.Create(CultureInfo.InvariantCulture, $"in{input}");

    /// <summary>
    /// Every file's facts and loudness from a shared run the caller found free of corruption (over its
    /// <paramref name="lines"/>); null if any of them does not read cleanly.
    /// </summary>
    private static List<MediaInspectionResult>? TryReadBatch(IReadOnlyList<string> paths, string[] lines, string stderr)
    {
        var results = new List<MediaInspectionResult>(paths.Count);
        try
        {
            for (var i = 0; i < paths.Count; i++)
            {
                var facts = FfmpegInputParser.ParseInput(paths[i], lines, new FileInfo(paths[i]).Length, i);
                var loudness = facts.HasAudio ? Ebur128SummaryParser.Parse(stderr, MeterName(i)) : LoudnessMeasurement.Silence;
                results.Add(new MediaInspectionResult(paths[i], new MediaInspection(facts, loudness), null));
            }
        }
        catch (Exception e) when (e is MediaProbeException or FormatException)
        {
            return null;
        }
        return results;
    }

    /// <summary>Throws <see cref="MediaProbeException"/> when the file is missing, corrupt, truncated or not media.</summary>
    public Task<MediaInspection> InspectAsync(string path, CancellationToken ct) => InspectAsync(path, fingerprint: false, ct);

    /// <summary>
    /// As <see cref="InspectAsync(string, CancellationToken)"/>; with <paramref name="fingerprint"/> the same pass also takes the
    /// audio's Chromaprint fingerprint (a file without audio is inspected again without it and has none).
    /// </summary>
    public async Task<MediaInspection> InspectAsync(string path, bool fingerprint, CancellationToken ct)
    {
        if (!fingerprint)
            return await InspectOnceAsync(path, null, ct);
        if (Mp4Tracks.HasAudioTrack(path) == false)
        {
            // The MP4 header declares no audio: no fingerprint output (ffmpeg would refuse it). Should ffmpeg find
            // audio all the same, the fingerprint is taken in a second run.
            var inspection = await InspectOnceAsync(path, null, ct);
            return inspection.Facts.HasAudio ? await InspectFingerprintedAsync(path, ct) : inspection;
        }
        return await InspectFingerprintedAsync(path, ct);
    }

    /// <summary>One ffmpeg run with the fingerprint output; a file without audio is inspected again without it.</summary>
    private async Task<MediaInspection> InspectFingerprintedAsync(string path, CancellationToken ct)
    {
        var output = FingerprintPath(path);
        try
        {
            var inspection = await InspectOnceAsync(path, output, ct);
            return inspection with { Fingerprint = ReadFingerprint(output) };
        }
        catch (MediaProbeException) when (!File.Exists(output) || new FileInfo(output).Length == 0)
        {
            // No audio stream for the fingerprint (ffmpeg refuses an output without streams): inspect without it;
            // a broken file fails there with its own verdict.
            var inspection = await InspectOnceAsync(path, null, ct);
            if (inspection.Facts.HasAudio)
                throw;
            return inspection;
        }
        finally
        {
            DeleteAll([output]);
        }
    }

    private static string FingerprintPath(string path) => path + ".fp";

    /// <summary>The raw fingerprint ffmpeg wrote (little-endian 32-bit items); null when there is none.</summary>
    private static uint[]? ReadFingerprint(string path)
    {
        if (!File.Exists(path))
            return null;
        var bytes = File.ReadAllBytes(path);
        if (bytes.Length < 4)
            return null;
        var items = new uint[bytes.Length / 4];
        for (var i = 0; i < items.Length; i++)
            items[i] = System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(i * 4));
        return items;
    }

    private static void DeleteAll(IEnumerable<string?>? paths)
    {
        foreach (var path in paths ?? [])
        {
            if (path is null)
                continue;
            try
            {
                File.Delete(path);
            }
            catch (IOException)
            {
                // A leftover .fp next to a temp file goes with the temp folder's clean-up.
            }
        }
    }

    private async Task<MediaInspection> InspectOnceAsync(string path, string? fingerprintOutput, CancellationToken ct)
    {
        var size = MediaProbe.RequireSize(path);
        var result = await runner.RunAsync(runner.Tools.Ffmpeg, Arguments([path], fingerprintOutput is null ? null : [fingerprintOutput]), null, captureStdout: false, StderrLines, ct);
        if (result.ExitCode != 0)
        {
            if (_logger.IsEnabled(LogLevel.Debug))
                _logger.LogDebug("ffmpeg rejected {Path}: {Stderr}", path, result.StderrTail);
            if (result.StderrTail.Contains("does not contain any stream", StringComparison.Ordinal))
                throw new MediaProbeException(path, "not a media file (no audio or video stream).");
            throw MediaProbe.Unreadable(path, result.StderrTail);
        }
        var facts = FfmpegInputParser.Parse(path, result.StderrTail, size);
        LoudnessMeasurement loudness;
        try
        {
            loudness = facts.HasAudio ? Ebur128SummaryParser.Parse(result.StderrTail) : LoudnessMeasurement.Silence;
        }
        catch (FormatException e)
        {
            throw new MediaProbeException(path, "loudness could not be measured (" + e.Message + ").");
        }
        return new MediaInspection(facts, loudness);
    }
}
