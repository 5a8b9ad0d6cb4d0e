using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Tccg.Core.Configuration;
using Tccg.Generator;
using Tccg.Media;
using Tccg.Media.Rendering;

namespace Tccg.Cli.Commands;

/// <summary><c>tccg generator --server URL --token T</c>: a remote video generator working the server's render queue.</summary>
internal static class GeneratorCommand
{
    public static Command Create()
    {
        var server = new Option<string>("--server") { Description = "The Tccg server's base URL, e.g. http://tccg.lan:5080", HelpName = "URL", Required = true };
        var token = new Option<string>("--token") { Description = "A worker token (tccg token create --worker NAME on the server)", HelpName = "TOKEN", Required = true };
        var cache = new Option<string?>("--cache")
        {
            Description = "Folder for downloaded inputs, cached segments and work files (default {data}/generator-cache)",
            HelpName = "DIR",
        };
        var inputCap = new Option<int?>("--input-cache-max-mb")
        {
            Description = "Size cap of the input cache in MB, least recently used files removed after each job; 0 = unlimited (default: Tccg:Generator:InputCacheMaxMb, 10240)",
            HelpName = "MB",
        };
        var segmentCap = new Option<int?>("--segment-cache-max-mb")
        {
            Description = "Size cap of the segment cache in MB, least recently used segments removed after each job; 0 = unlimited (default: Tccg:Generator:SegmentCacheMaxMb, 10240)",
            HelpName = "MB",
        };
        var name = new Option<string?>("--name") { Description = "This generator's name on the server (default: the machine name)", HelpName = "NAME" };
        var once = new Option<bool>("--once") { Description = "Render one job, then exit (1 when it failed)" };
        var command = new Command("generator", "Run a video generator: lease render jobs from a server, render with ffmpeg, upload the results")
        {
            server, token, cache, inputCap, segmentCap, name, once,
        };
        command.SetAction(async (parse, ct) =>
        {
            if (!Uri.TryCreate(parse.GetValue(server), UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
                throw new CliUsageException("--server must be an absolute http(s) URL, e.g. http://tccg.lan:5080.");
            var secret = parse.GetValue(token)?.Trim();
            if (string.IsNullOrEmpty(secret))
                throw new CliUsageException("--token must not be empty.");

            if (parse.GetValue(inputCap) < 0 || parse.GetValue(segmentCap) < 0)
                throw new CliUsageException("--input-cache-max-mb and --segment-cache-max-mb must be 0 (unlimited) or more.");
            using var host = CliHost.Build(parse, b => b.Services.AddTccgMedia());
            var storage = host.Services.GetRequiredService<IOptions<StorageOptions>>().Value;
            var generator = host.Services.GetRequiredService<IOptions<GeneratorOptions>>().Value;
            var workerOptions = new GeneratorWorkerOptions
            {
                Name = parse.GetValue(name) ?? Environment.MachineName,
                CacheDir = Path.GetFullPath(parse.GetValue(cache) ?? Path.Combine(storage.Root, "generator-cache")),
            }.WithCacheCaps(generator);
            // The command line wins over the configuration.
            if (parse.GetValue(inputCap) is { } inputMb)
                workerOptions.InputCacheMaxBytes = GeneratorOptions.Bytes(inputMb);
            if (parse.GetValue(segmentCap) is { } segmentMb)
                workerOptions.SegmentCacheMaxBytes = GeneratorOptions.Bytes(segmentMb);
            using var http = GeneratorClient.CreateHttpClient(url, secret);
            var worker = new GeneratorWorker(
                new GeneratorClient(http),
                host.Services.GetRequiredService<Renderer>(),
                workerOptions,
                TimeProvider.System,
                host.Services.GetRequiredService<ILogger<GeneratorWorker>>());

            var output = parse.InvocationConfiguration.Output;
            var printer = new StatusPrinter(output);
            worker.StatusChanged += printer.Print;
            await output.WriteLineAsync($"Generator attached to {url} (Ctrl-C to stop; a job being rendered goes back to the queue).");
            try
            {
                await worker.RunAsync(parse.GetValue(once), ct);
            }
            catch (GeneratorProtocolException e)
            {
                throw new CliException(e.Message);
            }
            return worker.LastOutcome == JobOutcome.Failed ? TccgCli.ExitFailure : TccgCli.ExitOk;
        });
        return command;
    }

    /// <summary>One line per stage change or outcome, and at most one progress line a second.</summary>
    private sealed class StatusPrinter(TextWriter output)
    {
        private readonly Lock _gate = new();
        private string _lastStage = "";
        private long _lastTicks;

        public void Print(GeneratorStatus s)
        {
            lock (_gate)
            {
                var now = Environment.TickCount64;
                if (s.Outcome is null && s.Stage == _lastStage && now - _lastTicks < 1000)
                    return;
                _lastStage = s.Stage;
                _lastTicks = now;
                var eta = s.Eta is { } e ? string.Create(CultureInfo.InvariantCulture, $", {e.TotalSeconds:0} s left") : "";
                output.WriteLine(s.Outcome is { } outcome
                    ? string.Create(CultureInfo.InvariantCulture, $"job {s.JobId}: {outcome}{(s.Error is null ? "" : ": " + s.Error)}")
                    : string.Create(CultureInfo.InvariantCulture, $"job {s.JobId}: {s.Stage} {s.Percent:0}%{eta}"));
            }
        }
    }
}
