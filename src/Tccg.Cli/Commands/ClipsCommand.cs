using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;
using Tccg.Core.Clips;
using Tccg.Storage.Clips;
using Tccg.Storage.Games;
using Tccg.Twitch.Downloads;

namespace Tccg.Cli.Commands;

/// <summary><c>tccg clips list|check-missing</c>: look into the clip bin.</summary>
internal static class ClipsCommand
{
    public static Command Create() => new("clips", "Look into the clip bin")
    {
        List(),
        CheckMissing(),
    };

    private static Command List()
    {
        var game = new Option<string?>("--game") { Description = "Only clips of this saved game", HelpName = "NAME" };
        var status = new Option<string?>("--status") { Description = "Only clips in this status: " + string.Join(", ", Enum.GetNames<ClipStatus>()), HelpName = "STATUS" };
        var limit = new Option<int>("--limit") { Description = "Show at most N clips (most viewed first)", HelpName = "N", DefaultValueFactory = _ => 50 };
        var command = new Command("list", "List clips, most viewed first") { game, status, limit };
        command.SetAction(async (parse, ct) =>
        {
            ClipStatus? wanted = null;
            if (parse.GetValue(status) is { } s)
                wanted = Enum.TryParse<ClipStatus>(s, ignoreCase: true, out var parsed) && Enum.IsDefined(parsed)
                    ? parsed
                    : throw new CliUsageException($"--status must be one of {string.Join(", ", Enum.GetNames<ClipStatus>())}, not '{s}'.");
            var max = parse.GetValue(limit);
            if (max is < 1 or > 1000)
                throw new CliUsageException("--limit must be between 1 and 1000.");
            using var host = await TwitchCommandHost.StartAsync(parse, needsTwitch: false, ct);
            string? gameId = null;
            if (parse.GetValue(game) is { } name)
                gameId = (await TwitchCommandHost.FindSavedGameAsync(host.Services.GetRequiredService<IGameStore>(), name, ct)).TwitchGameId;
            var page = await host.Services.GetRequiredService<IClipStore>().QueryAsync(
                new ClipQuery { GameId = gameId, Status = wanted, Limit = max }, ct);
            var console = TwitchCommandHost.Console(parse);
            if (page.Items.Count == 0)
            {
                console.WriteLine("No clips match.");
                return TccgCli.ExitOk;
            }
            var table = new Table().AddColumns("Clip", "Status", "Views", "Length", "Broadcaster", "Lang", "Created", "Title / last error");
            foreach (var c in page.Items)
            {
                var note = c.Status is ClipStatus.Failed or ClipStatus.Unavailable && c.LastError is { } error ? error : c.Title;
                table.AddRow(
                    TwitchCommandHost.Escape(c.TwitchClipId),
                    c.Status.ToString(),
                    c.ViewCount.ToString("N0", CultureInfo.InvariantCulture),
                    c.Duration.ToString("0.0", CultureInfo.InvariantCulture) + " s",
                    TwitchCommandHost.Escape(c.BroadcasterLogin ?? c.BroadcasterName),
                    TwitchCommandHost.Escape(c.Language),
                    c.CreatedAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture),
                    TwitchCommandHost.Escape(note.Length > 60 ? note[..60] + "…" : note));
            }
            console.Write(table);
            return TccgCli.ExitOk;
        });
        return command;
    }

    private static Command CheckMissing()
    {
        var command = new Command("check-missing", "Mark downloaded or used clips whose file vanished as Missing");
        command.SetAction(async (parse, ct) =>
        {
            using var host = await TwitchCommandHost.StartAsync(parse, needsTwitch: false, ct);
            var missing = await host.Services.GetRequiredService<ClipBinMaintenance>().CheckMissingAsync(ct);
            await parse.InvocationConfiguration.Output.WriteLineAsync(missing == 0
                ? "Every downloaded clip has its file."
                : $"{missing} clip(s) marked Missing.");
            return TccgCli.ExitOk;
        });
        return command;
    }
}
