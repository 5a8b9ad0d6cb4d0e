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
var jIndex = Array.IndexOf(args, "--parallelism");
var parallelism = jIndex >= 0 && jIndex + 1 < args.Length ? args[jIndex + 1] : "0";
var dirIndex = Array.IndexOf(args, "--dir");
var dir = dirIndex >= 0 && dirIndex + 1 < args.Length
    ? Path.GetFullPath(args[dirIndex + 1])
    : Path.Combine(Path.GetTempPath(), shortRun ? "tccg-bench-render-short" : "tccg-bench-render");
var runner = new MediaProcessRunner();
Console.WriteLine($"Workload in {dir} ({(shortRun ? "short: clips of 2–3 s" : "12 clips of 8–12 s")}), {Environment.ProcessorCount} cores");
var sw = Stopwatch.StartNew();
var doc = await Workload.PrepareAsync(dir, shortRun, runner);
Console.WriteLine($"Workload ready in {sw.Elapsed.TotalSeconds:0.0} s");
var timeline = Path.Combine(dir, "timeline.json");
await File.WriteAllTextAsync(timeline, TimelineLoader.Serialize(doc));

var outDir = Path.Combine(dir, "out");
var cache = Path.Combine(dir, "cache");
Directory.CreateDirectory(outDir);
var baselineArgs = await Baseline.BuildAsync(doc, dir, Path.Combine(outDir, "baseline.mp4"), Path.Combine(dir, "baseline-text"),
    new MediaProbe(runner), new LoudnessMeter(runner), new FontResolver(runner));
Console.WriteLine();
Console.WriteLine("Baseline command:");
Console.WriteLine(MediaProcessRunner.FormatCommandLine("ffmpeg", baselineArgs));
Console.WriteLine();
var argsFile = Path.Combine(dir, "baseline-args.json");
await File.WriteAllTextAsync(argsFile, JsonSerializer.Serialize(baselineArgs));

var baseline = await Child.MeasureAsync("baseline", ["--args", argsFile]);
if (Directory.Exists(cache))
    Directory.Delete(cache, recursive: true);
var cold = await Child.MeasureAsync("render", ["--timeline", timeline, "--out", Path.Combine(outDir, "render.mp4"), "--cache", cache, "--parallelism", parallelism]);

doc.Items![6].TrimStart = doc.Items[6].TrimStart!.Value + (shortRun ? 0.2 : 0.5);
await File.WriteAllTextAsync(timeline, TimelineLoader.Serialize(doc));
var trim = await Child.MeasureAsync("render", ["--timeline", timeline, "--out", Path.Combine(outDir, "render.mp4"), "--cache", cache, "--parallelism", parallelism]);

doc.Music!.Volume = 0.35;
await File.WriteAllTextAsync(timeline, TimelineLoader.Serialize(doc));
var music = await Child.MeasureAsync("render", ["--timeline", timeline, "--out", Path.Combine(outDir, "render.mp4"), "--cache", cache, "--parallelism", parallelism]);

Console.WriteLine();
Console.WriteLine($"{"step",-30} {"wall s",8} {"ratio",7} {"target",7} {"CPU s",8} {"CPU ratio",9} {"own MB",7} {"ffmpeg MB",9} {"encoded",8} {"reused",7}");
void Row(string name, Child.Measurement m, double? target)
{
    var ratio = m.Wall.TotalSeconds / baseline.Wall.TotalSeconds;
    Console.WriteLine(string.Create(inv,
        $"{name,-30} {m.Wall.TotalSeconds,8:0.00} {ratio,7:0.000} {(target is { } t ? "≤ " + t.ToString("0.0", inv) : ""),7} {m.CpuSeconds,8:0.0} {m.CpuSeconds / baseline.CpuSeconds,9:0.000} {m.OwnPeakMb,7:0} {m.ChildPeakMb,9:0} {m.Encoded,8} {m.Reused,7}"));
}
Row("baseline (one ffmpeg)", baseline, null);
Row("cold render", cold, 1.1);
Row("re-render, one trim changed", trim, 0.2);
Row("re-render, music volume", music, 0.1);
Console.WriteLine();
Console.WriteLine(string.Create(inv, $"Generator process peak: {Math.Max(cold.OwnPeakMb, Math.Max(trim.OwnPeakMb, music.OwnPeakMb)):0} MB (target < 300 MB)"));
return 0;

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
