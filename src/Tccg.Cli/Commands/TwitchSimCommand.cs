using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Tccg.TwitchSim;

namespace Tccg.Cli.Commands;

/// <summary><c>tccg twitch-sim</c>: run the Twitch simulator on loopback until Ctrl-C and print how to point tccg at it.</summary>
internal static class TwitchSimCommand
{
    public static Command Create()
    {
        var port = new Option<int>("--port")
        {
            Description = "Loopback port to listen on (0 picks a free one)",
            HelpName = "N",
            DefaultValueFactory = _ => 5099,
        };
        var seed = new Option<int>("--seed")
        {
            Description = "Seed of the simulated world (games, channels, clips) and of injected faults",
            HelpName = "S",
            DefaultValueFactory = _ => 1,
        };
        var fullSize = new Option<bool>("--full-size")
        {
            Description = "Serve clips at their real resolution and length (capped at 30 s) instead of tiny 320x180 test files",
        };
        var errorRate = new Option<double>("--error-rate")
        {
            Description = "Fraction (0..1) of Helix, GQL and CDN requests answered with a 500",
            HelpName = "RATE",
        };
        var command = new Command("twitch-sim", "Run the built-in Twitch simulator (OAuth, Helix, GQL, clip CDN) on 127.0.0.1 until Ctrl-C")
        {
            port,
            seed,
            fullSize,
            errorRate,
        };
        command.SetAction(async (parse, ct) =>
        {
            var rate = parse.GetValue(errorRate);
            if (rate is < 0 or > 1)
                throw new CliUsageException("--error-rate must be between 0 and 1.");
            var verbose = parse.GetValue(GlobalOptions.Verbose);
            using var loggerFactory = LoggerFactory.Create(builder => CliHost.ConfigureLogging(builder, verbose));
            var options = new TwitchSimOptions
            {
                Port = parse.GetValue(port),
                Seed = parse.GetValue(seed),
                MediaSize = parse.GetValue(fullSize) ? MediaSize.Full : MediaSize.Small,
                LoggerFactory = loggerFactory,
            };
            options.HelixFaults.ServerErrorRate = rate;
            options.GqlFaults.ServerErrorRate = rate;
            options.CdnFaults.ServerErrorRate = rate;

            await using var sim = await TwitchSimHost.StartAsync(options, ct);
            var output = parse.InvocationConfiguration.Output;
            await WriteBannerAsync(output, sim);
            _ = PrepareMediaAsync(sim, output, ct);
            try
            {
                await Task.Delay(Timeout.Infinite, ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                await parse.InvocationConfiguration.Output.WriteLineAsync("Twitch simulator stopped.");
            }

            return TccgCli.ExitOk;
        });
        return command;
    }

    /// <summary>Encodes the served media in the background so the first downloads do not wait for ffmpeg.</summary>
    private static async Task PrepareMediaAsync(TwitchSimHost sim, TextWriter output, CancellationToken ct)
    {
        try
        {
            var files = await sim.PrepareMediaAsync(ct);
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"Media ready ({files} files in {sim.Options.MediaCacheDir ?? Path.Combine(Path.GetTempPath(), "tccg-twitchsim-media")})."));
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            if (!ct.IsCancellationRequested)
                await output.WriteLineAsync($"Could not prepare media ahead of time ({e.Message}); it will be made on first request.");
        }
    }

    private static async Task WriteBannerAsync(TextWriter output, TwitchSimHost sim)
    {
        var o = sim.Options;
        var lines = new List<string>
        {
            $"Twitch simulator listening on {sim.BaseUrl} (seed {o.Seed}, {(o.MediaSize == MediaSize.Full ? "full-size" : "small")} media)",
            $"  OAuth token:   {sim.AuthBaseUrl}/oauth2/token",
            $"  Helix:         {sim.HelixBaseUrl}",
            $"  GQL:           {sim.GqlUrl}",
            $"  Client id:     {sim.ClientId}",
            $"  Client secret: {sim.ClientSecret}",
            "",
            "Games:",
        };
        lines.AddRange(sim.World.Games.Select(g => string.Create(CultureInfo.InvariantCulture,
            $"  {g.Name} (id {g.Id}, {(sim.World.ClipsByGame.TryGetValue(g.Id, out var clips) ? clips.Length : 0)} clips)")));
        lines.Add("");
        lines.Add("Point tccg at it with these flags:");
        lines.Add("  " + string.Join(' ', sim.TccgConfiguration.Select(p => $"--set {p.Key}={p.Value}")));
        lines.Add("");
        lines.Add("or these environment variables:");
        lines.AddRange(sim.TccgConfiguration.Select(p => $"  export {p.Key.Replace(":", "__", StringComparison.Ordinal)}={p.Value}"));
        lines.Add("");
        lines.Add("or this in appsettings.json:");
        lines.Add("  \"Tccg\": { \"Twitch\": {");
        lines.AddRange(sim.TccgConfiguration.Select((p, i) =>
            $"    \"{p.Key["Tccg:Twitch:".Length..]}\": \"{p.Value}\"{(i < sim.TccgConfiguration.Count - 1 ? "," : "")}"));
        lines.Add("  } }");
        lines.Add("");
        lines.Add("Press Ctrl-C to stop.");
        foreach (var line in lines)
            await output.WriteLineAsync(line);
        await output.FlushAsync();
    }
}
