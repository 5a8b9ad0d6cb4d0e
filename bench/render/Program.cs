using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Tccg.Bench.Render;
using Tccg.Core.Configuration;
using Tccg.Core.Timeline;
using Tccg.Media.Loudness;
using Tccg.Media.Processes;
using Tccg.Media.Probing;
using Tccg.Media.Rendering;

// bench/render: the generator against one big ffmpeg command. Each measured step runs in a child
// process so its wall time and peak memory (its own and its ffmpeg children's) are its alone.
var inv = CultureInfo.InvariantCulture;
if (args.Length > 0 && args[0] == "--phase")
    return await Child.RunAsync(args);

var shortRun = args.Contains("--short");
var wIndex = Array.IndexOf(args, "--workload");
var workload = wIndex >= 0 && wIndex + 1 < args.Length ? args[wIndex + 1] : "landscape";
if (workload is not ("landscape" or "vertical" or "blur"))
{
    Console.Error.WriteLine("--workload must be landscape (default), vertical (1080x1920, stacked from Twitch boxes) or blur (1080x1920, blurred fills)");
    return 2;
}
var jIndex = Array.IndexOf(args, "--parallelism");
var parallelism = jIndex >= 0 && jIndex + 1 < args.Length ? args[jIndex + 1] : "0";
var dirIndex = Array.IndexOf(args, "--dir");
var dir = dirIndex >= 0 && dirIndex + 1 < args.Length
    ? Path.GetFullPath(args[dirIndex + 1])
    : Path.Combine(Path.GetTempPath(), shortRun ? "tccg-bench-render-short" : "tccg-bench-render");
var runner = new MediaProcessRunner();
Console.WriteLine($"Workload {workload} in {dir} ({(shortRun ? "short: clips of 2–3 s" : "12 clips of 8–12 s")}), {Environment.ProcessorCount} cores, load average {LoadAverage()}");
var sw = Stopwatch.StartNew();
var doc = await Workload.PrepareAsync(dir, shortRun, runner);
if (workload != "landscape")
    doc = VerticalWorkload.Apply(doc, blur: workload == "blur");
Console.WriteLine($"Workload ready in {sw.Elapsed.TotalSeconds:0.0} s");
var timeline = Path.Combine(dir, workload == "landscape" ? "timeline.json" : $"timeline-{workload}.json");
await File.WriteAllTextAsync(timeline, TimelineLoader.Serialize(doc));

var outDir = Path.Combine(dir, "out");
var cache = Path.Combine(dir, workload == "landscape" ? "cache" : "cache-" + workload);
Directory.CreateDirectory(outDir);
var suffix = workload == "landscape" ? "" : "-" + workload;
var baselineArgs = await Baseline.BuildAsync(doc, dir, Path.Combine(outDir, $"baseline{suffix}.mp4"), Path.Combine(dir, "baseline-text"),
    new MediaProbe(runner), new LoudnessMeter(runner), new FontResolver(runner));
Console.WriteLine();
Console.WriteLine("Baseline command:");
Console.WriteLine(MediaProcessRunner.FormatCommandLine("ffmpeg", baselineArgs));
Console.WriteLine();
var argsFile = Path.Combine(dir, $"baseline-args{suffix}.json");
await File.WriteAllTextAsync(argsFile, JsonSerializer.Serialize(baselineArgs));

var output = Path.Combine(outDir, $"render{suffix}.mp4");
var baseline = await Child.MeasureAsync("baseline", ["--args", argsFile]);
if (Directory.Exists(cache))
    Directory.Delete(cache, recursive: true);
var cold = await Child.MeasureAsync("render", ["--timeline", timeline, "--out", output, "--cache", cache, "--parallelism", parallelism]);

Child.Measurement? trim = null, music = null, relayout = null;
if (workload == "vertical")
{
    // One clip's layout changed (its facecam box moved down and the split with it): only that clip re-encodes.
    var changed = VerticalWorkload.TwitchBoxes(6);
    doc.Items![6].Layout = (changed with { Split = 0.3, Top = changed.Top! with { Y = 0.05 } }).ToSection();
    await File.WriteAllTextAsync(timeline, TimelineLoader.Serialize(doc));
    relayout = await Child.MeasureAsync("render", ["--timeline", timeline, "--out", output, "--cache", cache, "--parallelism", parallelism]);
}
else if (workload == "landscape")
{
    doc.Items![6].TrimStart = doc.Items[6].TrimStart!.Value + (shortRun ? 0.2 : 0.5);
    await File.WriteAllTextAsync(timeline, TimelineLoader.Serialize(doc));
    trim = await Child.MeasureAsync("render", ["--timeline", timeline, "--out", output, "--cache", cache, "--parallelism", parallelism]);

    doc.Music!.Volume = 0.35;
    await File.WriteAllTextAsync(timeline, TimelineLoader.Serialize(doc));
    music = await Child.MeasureAsync("render", ["--timeline", timeline, "--out", output, "--cache", cache, "--parallelism", parallelism]);
}

Console.WriteLine();
Console.WriteLine($"{"step",-30} {"wall s",8} {"ratio",7} {"target",7} {"CPU s",8} {"CPU ratio",9} {"own MB",7} {"ffmpeg MB",9} {"encoded",8} {"reused",7}");
void Row(string name, Child.Measurement m, double? target)
{
    var ratio = m.Wall.TotalSeconds / baseline.Wall.TotalSeconds;
    Console.WriteLine(string.Create(inv,
        $"{name,-30} {m.Wall.TotalSeconds,8:0.00} {ratio,7:0.000} {(target is { } t ? "≤ " + t.ToString("0.0", inv) : ""),7} {m.CpuSeconds,8:0.0} {m.CpuSeconds / baseline.CpuSeconds,9:0.000} {m.OwnPeakMb,7:0} {m.ChildPeakMb,9:0} {m.Encoded,8} {m.Reused,7}"));
}
Row("baseline (one ffmpeg)", baseline, null);
Row("cold render", cold, workload == "landscape" ? 1.1 : 1.0);
if (trim is not null)
    Row("re-render, one trim changed", trim, 0.2);
if (music is not null)
    Row("re-render, music volume", music, 0.1);
if (relayout is not null)
    Row("re-render, one layout changed", relayout, 0.2);
Console.WriteLine();
var peak = new[] { cold, trim, music, relayout }.OfType<Child.Measurement>().Max(m => m.OwnPeakMb);
Console.WriteLine(string.Create(inv, $"Generator process peak: {peak:0} MB (target < 300 MB); load average at the end {LoadAverage()}"));
return 0;

static string LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";

internal static class Child
{
    public sealed record Measurement(TimeSpan Wall, double OwnPeakMb, double ChildPeakMb, int Encoded, int Reused, double CpuSeconds);

    public static async Task<Measurement> MeasureAsync(string phase, string[] extra)
    {
        var psi = new ProcessStartInfo(Environment.ProcessPath!) { RedirectStandardOutput = true, UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(Environment.ProcessPath!) == "dotnet")
            psi.ArgumentList.Add(typeof(Child).Assembly.Location);
        psi.ArgumentList.Add("--phase");
        psi.ArgumentList.Add(phase);
        foreach (var a in extra)
            psi.ArgumentList.Add(a);
        Console.Write($"Running {phase} {string.Join(' ', extra.Where((_, i) => i % 2 == 1).Select(Path.GetFileName))} … ");
        var sw = Stopwatch.StartNew();
        using var p = Process.Start(psi)!;
        var output = await p.StandardOutput.ReadToEndAsync();
        await p.WaitForExitAsync();
        sw.Stop();
        if (p.ExitCode != 0)
            throw new InvalidOperationException($"{phase} failed: {output}");
        var parts = output.Trim().Split('\n')[^1].Split(' ');
        var m = new Measurement(sw.Elapsed, double.Parse(parts[0], CultureInfo.InvariantCulture), double.Parse(parts[1], CultureInfo.InvariantCulture),
            int.Parse(parts[2], CultureInfo.InvariantCulture), int.Parse(parts[3], CultureInfo.InvariantCulture), double.Parse(parts[4], CultureInfo.InvariantCulture));
        Console.WriteLine($"{sw.Elapsed.TotalSeconds:0.0} s");
        return m;
    }

    public static async Task<int> RunAsync(string[] args)
    {
        string Arg(string name) => args[Array.IndexOf(args, name) + 1];
        var runner = new MediaProcessRunner();
        int encoded = 0, reused = 0;
        if (args[1] == "baseline")
        {
            var list = JsonSerializer.Deserialize<List<string>>(await File.ReadAllTextAsync(Arg("--args")))!;
            await runner.FfmpegAsync(list, null, CancellationToken.None);
        }
        else
        {
            var renderer = new Renderer(runner, new MediaProbe(runner), new LoudnessMeter(runner), new FontResolver(runner),
                Options.Create(new GeneratorOptions()), TimeProvider.System);
            var request = RenderRequest.FromFile(Arg("--timeline"), Arg("--out"), Arg("--cache")) with
            {
                Parallelism = int.Parse(Arg("--parallelism"), CultureInfo.InvariantCulture),
            };
            var result = await renderer.RenderAsync(request, null, CancellationToken.None);
            encoded = result.VideoSegmentsEncoded;
            reused = result.SegmentsReused;
        }
        var own = Process.GetCurrentProcess().PeakWorkingSet64 / 1048576.0;
        var cpu = Native.CpuSeconds(0) + Native.CpuSeconds(-1);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{own:0.0} {Native.ChildrenMaxRssKb() / 1024.0:0.0} {encoded} {reused} {cpu:0.00}"));
        return 0;
    }
}

internal static partial class Native
{
    private const int RusageChildren = -1;

    /// <summary>Peak resident set of the largest waited-for child process (getrusage ru_maxrss, KB).</summary>
    public static long ChildrenMaxRssKb()
    {
        var usage = new long[18];
        return GetRusage(RusageChildren, usage) == 0 ? usage[4] : 0;
    }

    /// <summary>User + system CPU seconds of this process (0) or its waited-for children (-1).</summary>
    public static double CpuSeconds(int who)
    {
        var usage = new long[18];
        return GetRusage(who, usage) == 0 ? usage[0] + usage[1] / 1e6 + usage[2] + usage[3] / 1e6 : 0;
    }

    [LibraryImport("libc", EntryPoint = "getrusage")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static partial int GetRusage(int who, [Out] long[] usage);
}
