using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;
using Tccg.Twitch.Doctor;
using Tccg.Twitch.Gql;

namespace Tccg.Cli.Commands;

/// <summary><c>tccg twitch show|set-hash|doctor</c>: the download settings that change without a restart, and a health check.</summary>
internal static class TwitchCommand
{
    public static Command Create() => new("twitch", "Twitch download settings (GQL client id and hashes) and a connection check")
    {
        Show(),
        SetHash(),
        Doctor(),
    };

    private static Command Show()
    {
        var command = new Command("show", "Show the GQL client id, the ways tried in order, the one that last worked and any download pause");
        command.SetAction((parse, ct) => TwitchCommandHost.GuardAsync(async () =>
        {
            using var host = await TwitchCommandHost.StartAsync(parse, needsTwitch: false, ct);
            var provider = host.Services.GetRequiredService<DownloadSettingsProvider>();
            var settings = await provider.GetAsync(ct);
            var last = await provider.GetLastWayAsync(ct);
            var console = TwitchCommandHost.Console(parse);
            var table = new Table().AddColumns("Setting", "Value", "From");
            table.AddRow("GQL Client-ID", TwitchCommandHost.Escape(settings.GqlClientId), settings.ClientIdSource.ToString());
            var n = 1;
            foreach (var way in settings.Ways)
                table.AddRow($"Way {n++}", TwitchCommandHost.Escape($"{way.Operation} {way.Hash}" + (way.Key == last ? "  (last worked)" : "")), settings.HashesSource.ToString());
            console.Write(table);
            if (await provider.GetPauseAsync(ct) is { } pause)
                console.WriteLine($"Downloads are PAUSED since {pause.Since.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} UTC: {pause.Message}");
            return TccgCli.ExitOk;
        }));
        return command;
    }

    private static Command SetHash()
    {
        var clip = new Option<string[]>("--clip-access")
        {
            Description = "ShareClipRenderStatus hashes, tried in this order (repeat the option or separate with commas); replaces the list",
            HelpName = "HASH", AllowMultipleArgumentsPerToken = true,
        };
        var video = new Option<string?>("--video-access-token") { Description = "VideoAccessToken_Clip hash (the fallback after every ShareClipRenderStatus hash)", HelpName = "HASH" };
        var client = new Option<string?>("--gql-client-id") { Description = "Client-ID header twitch.tv sends to gql.twitch.tv", HelpName = "ID" };
        var reset = new Option<bool>("--reset") { Description = "Forget the stored values: configuration (or the built-in defaults) applies again" };
        var command = new Command("set-hash", "Store new GQL hashes or client id in the database; the next download uses them, no restart needed")
        {
            clip, video, client, reset,
        };
        command.SetAction((parse, ct) => TwitchCommandHost.GuardAsync(async () =>
        {
            var hashes = parse.GetValue(clip) is { Length: > 0 } given ? DownloadSettingsProvider.SplitHashes(string.Join(',', given)) : null;
            var videoHash = parse.GetValue(video)?.Trim();
            var clientId = parse.GetValue(client)?.Trim();
            var forget = parse.GetValue(reset);
            if (!forget && hashes is null && videoHash is null && clientId is null)
                throw new CliUsageException("Give --clip-access HASH, --video-access-token HASH, --gql-client-id ID or --reset.");
            foreach (var hash in (hashes ?? []).Append(videoHash).OfType<string>())
            {
                if (!DownloadSettingsProvider.IsHash(hash))
                    throw new CliUsageException($"'{hash}' is not a persisted-query hash (64 hexadecimal digits, the sha256Hash of the GQL request).");
            }
            if (clientId is { Length: 0 or > 64 } || (clientId is not null && !clientId.All(char.IsAsciiLetterOrDigit)))
                throw new CliUsageException("--gql-client-id is 1 to 64 letters and digits (the Client-ID header of twitch.tv's GQL requests).");
            using var host = await TwitchCommandHost.StartAsync(parse, needsTwitch: false, ct);
            var provider = host.Services.GetRequiredService<DownloadSettingsProvider>();
            if (forget)
                await provider.SaveAsync("", [], "", ct);
            await provider.SaveAsync(clientId, hashes, videoHash, ct);
            var settings = await provider.GetAsync(ct);
            var console = TwitchCommandHost.Console(parse);
            console.WriteLine($"Stored. GQL Client-ID {settings.GqlClientId}; ways in order: {string.Join(", ", settings.Ways.Select(w => w.Label))}. "
                + "The next download uses them; `tccg twitch doctor` checks them now.");
            return TccgCli.ExitOk;
        }));
        return command;
    }

    private static Command Doctor()
    {
        var clip = new Option<string?>("--clip") { Description = "Try the GQL ways on this clip id (default: a recent clip from Helix or the clip bin)", HelpName = "ID" };
        var command = new Command("doctor", "Check credentials, Helix, each GQL way and the CDN; exit 0 when downloads would work, 1 when not") { clip };
        command.SetAction((parse, ct) => TwitchCommandHost.GuardAsync(async () =>
        {
            using var host = await TwitchCommandHost.StartAsync(parse, needsTwitch: false, ct);
            var console = TwitchCommandHost.Console(parse);
            DoctorReport report;
            if (console.Profile.Capabilities.Interactive)
            {
                DoctorReport? done = null;
                await console.Status().StartAsync("Checking Twitch…", async _ =>
                    done = await host.Services.GetRequiredService<TwitchDoctor>().RunAsync(parse.GetValue(clip), ct));
                report = done!;
            }
            else
            {
                report = await host.Services.GetRequiredService<TwitchDoctor>().RunAsync(parse.GetValue(clip), ct);
            }
            var table = new Table().AddColumns("Check", "Verdict", "Detail", "Fix");
            foreach (var line in report.Lines)
            {
                var verdict = line.Verdict switch
                {
                    DoctorVerdict.Ok => "[green]ok[/]",
                    DoctorVerdict.Warning => "[yellow]warning[/]",
                    DoctorVerdict.Failed => "[red]FAILED[/]",
                    _ => "skipped",
                };
                table.AddRow(TwitchCommandHost.Escape(line.Check), verdict, TwitchCommandHost.Escape(line.Detail), TwitchCommandHost.Escape(line.Fix ?? ""));
            }
            console.Write(table);
            console.WriteLine(report.DownloadsWork ? "Downloads would work." : "Downloads would NOT work: see the fixes above.");
            return report.DownloadsWork ? TccgCli.ExitOk : TccgCli.ExitFailure;
        }));
        return command;
    }
}
