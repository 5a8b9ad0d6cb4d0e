using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Spectre.Console;
using Tccg.Core.Configuration;
using Tccg.Core.Timeline;
using Tccg.Media;
using Tccg.Media.Processes;
using Tccg.Media.Rendering;

namespace Tccg.Cli.Commands;

/// <summary><c>tccg render TIMELINE.json -o OUT.mp4</c>: a thin front end over <see cref="Renderer"/>.</summary>
internal static class RenderCommand
{
    public static Command Create()
    {
        var timeline = new Argument<string>("timeline") { Description = "Timeline JSON file (docs/render.md); paths in it are relative to it" };
        var output = new Option<string>("--output", "-o")
        {
            Description = "MP4 file to write; the credits and chapters go beside it as .txt",
            HelpName = "OUT.mp4",
            Required = true,
        };
        var cache = new Option<string?>("--cache")
        {
            Description = "Segment cache folder. Default: Tccg:Storage SegmentCacheDir (DATA/cache/segments)",
            HelpName = "DIR",
        };
        var parallelism = new Option<int?>("--parallelism", "-j")
        {
            Description = "Segment pictures encoded at once (one more ffmpeg makes the sound beside them). Default: Tccg:Generator:Parallelism (0 = one per core, plus one)",
            HelpName = "N",
        };
        var command = new Command("render", "Render a timeline to an upload-ready MP4 plus a credits/chapters text file")
        {
            timeline,
            output,
            cache,
            parallelism,
        };
        command.SetAction(async (parse, ct) =>
        {
            using var host = CliHost.Build(parse, b => b.Services.AddTccgMedia());
            var storage = host.Services.GetRequiredService<IOptions<StorageOptions>>().Value;
            var renderer = host.Services.GetRequiredService<Renderer>();
            var outPath = Path.GetFullPath(parse.GetValue(output)!);
            if (!outPath.EndsWith(".mp4", StringComparison.OrdinalIgnoreCase))
                throw new CliUsageException("--output must name an .mp4 file.");
            RenderRequest request;
            try
            {
                request = RenderRequest.FromFile(parse.GetValue(timeline)!, outPath, parse.GetValue(cache) ?? storage.SegmentCacheDir);
            }
            catch (TimelineValidationException e)
            {
                throw new CliException(e.Message);
            }
            request = request with { Parallelism = parse.GetValue(parallelism) };

            var writer = parse.InvocationConfiguration.Output;
            RenderResult result;
            try
            {
                result = ReferenceEquals(writer, Console.Out) && !Console.IsOutputRedirected
                    ? await RenderWithBarAsync(renderer, request, ct)
                    : await RenderWithLinesAsync(renderer, request, writer, ct);
            }
            catch (TimelineValidationException e)
            {
                throw new CliException(e.Message);
            }
            catch (MediaToolException e)
            {
                throw new CliException(e.Message);
            }

            await writer.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"Wrote {result.OutputPath} ({result.DurationSeconds:0.00} s), {result.DescriptionPath} and {result.ThumbnailPath}: {result.VideoSegmentsEncoded} segments encoded, {result.SegmentsReused} reused, in {result.Elapsed.TotalSeconds:0.0} s"));
            return TccgCli.ExitOk;
        });
        return command;
    }

    private static async Task<RenderResult> RenderWithBarAsync(Renderer renderer, RenderRequest request, CancellationToken ct)
    {
        RenderResult? result = null;
        await AnsiConsole.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new SpinnerColumn())
            .StartAsync(async ctx =>
            {
                var task = ctx.AddTask("Starting", maxValue: 100);
                var progress = new Progress<RenderProgress>(p =>
                {
                    task.Description = Markup.Escape(Describe(p));
                    task.Value = p.Percent;
                });
                result = await renderer.RenderAsync(request, progress, ct);
                task.Value = 100;
                task.Description = "Done";
            });
        return result!;
    }

    private static async Task<RenderResult> RenderWithLinesAsync(Renderer renderer, RenderRequest request, TextWriter writer, CancellationToken ct)
    {
        var last = "";
        var gate = new Lock();
        var progress = new SyncProgress(p =>
        {
            // One line per stage (and per finished segment) keeps logs readable.
            var line = p.Stage == RenderStage.EncodingSegments ? p.StageText : p.Stage.ToString();
            lock (gate)
            {
                if (line == last)
                    return;
                last = line;
                writer.WriteLine(Describe(p));
            }
        });
        return await renderer.RenderAsync(request, progress, ct);
    }

    private static string Describe(RenderProgress p)
    {
        var eta = p.Eta is { } e && p.Stage != RenderStage.Done ? $", about {Format(e)} left" : "";
        return string.Create(CultureInfo.InvariantCulture, $"{p.StageText} ({p.Percent:0}%{eta})");
    }

    private static string Format(TimeSpan t) =>
        t.TotalHours >= 1 ? t.ToString(@"h\:mm\:ss", CultureInfo.InvariantCulture) : t.ToString(@"m\:ss", CultureInfo.InvariantCulture);

    private sealed class SyncProgress(Action<RenderProgress> action) : IProgress<RenderProgress>
    {
        public void Report(RenderProgress value) => action(value);
    }
}
