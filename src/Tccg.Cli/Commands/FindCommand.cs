using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;
using Tccg.Core.Twitch;
using Tccg.Storage.Channels;
using Tccg.Storage.Games;
using Tccg.Twitch.Finder;

namespace Tccg.Cli.Commands;

/// <summary><c>tccg find [--game NAME | --channel LOGIN] [--period day|week|month|all]</c>: run the clip finder now.</summary>
internal static class FindCommand
{
    public static Command Create()
    {
        var game = new Option<string?>("--game") { Description = "Only this saved game (default: every enabled saved game)", HelpName = "NAME" };
        var channel = new Option<string?>("--channel") { Description = "Only this saved channel (login); default: every enabled saved game and channel", HelpName = "LOGIN" };
        var period = new Option<string?>("--period") { Description = "day, week, month or all (default: each game's or channel's own period)", HelpName = "PERIOD" };
        var command = new Command("find", "Find top clips on Twitch for saved games and channels and add them to the clip bin") { game, channel, period };
        command.SetAction((parse, ct) => TwitchCommandHost.GuardAsync(async () =>
        {
            ClipPeriod? forced = null;
            if (parse.GetValue(period) is { } p)
                forced = ClipWindows.TryParsePeriod(p, out var parsed) ? parsed : throw new CliUsageException($"--period must be day, week, month or all, not '{p}'.");
            using var host = await TwitchCommandHost.StartAsync(parse, needsTwitch: true, ct);
            var games = host.Services.GetRequiredService<IGameStore>();
            var channels = host.Services.GetRequiredService<IChannelStore>();
            var gameName = parse.GetValue(game);
            var channelLogin = parse.GetValue(channel);
            var targets = gameName is not null
                ? [await TwitchCommandHost.FindSavedGameAsync(games, gameName, ct)]
                : channelLogin is not null ? [] : (await games.ListAsync(ct)).Where(g => g.Enabled).ToList();
            var channelTargets = channelLogin is not null
                ? [await ChannelsCommand.FindSavedChannelAsync(channels, channelLogin, ct)]
                : gameName is not null ? [] : (await channels.ListAsync(ct)).Where(c => c.Enabled).ToList();
            if (targets.Count == 0 && channelTargets.Count == 0)
                throw new CliException("No saved games or channels to search; add one with `tccg games add NAME` or `tccg channels add LOGIN`.");
            var finder = host.Services.GetRequiredService<ClipFinder>();
            var console = TwitchCommandHost.Console(parse);
            var results = new List<FindResult>();
            foreach (var target in targets)
            {
                var when = forced ?? target.Schedule.Period;
                results.Add(await RunAsync(console, target.Name, when, p => finder.FindAsync(target, when, p, ct)));
            }
            foreach (var target in channelTargets)
            {
                var when = forced ?? target.Schedule.Period;
                results.Add(await RunAsync(console, "@" + target.Login, when, p => finder.FindChannelAsync(target, when, p, ct)));
            }
            var table = new Table().AddColumns("Source", "Collected", "Kept", "Duplicates", "Windows", "Helix calls");
            foreach (var r in results)
                table.AddRow(TwitchCommandHost.Escape(r.Game), N(r.Collected), N(r.Accepted), N(r.Duplicates), N(r.Windows), N(r.Calls));
            console.Write(table);
            return TccgCli.ExitOk;
        }));
        return command;
    }

    private static async Task<FindResult> RunAsync(IAnsiConsole console, string name, ClipPeriod period, Func<IProgress<FinderProgress>?, Task<FindResult>> find)
    {
        if (!console.Profile.Capabilities.Interactive)
            return await find(null);
        FindResult? result = null;
        await console.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new SpinnerColumn())
            .StartAsync(async ctx =>
            {
                var task = ctx.AddTask(TwitchCommandHost.Escape($"{name} ({period.ToString().ToLowerInvariant()})"));
                var progress = new SyncProgress<FinderProgress>(p =>
                {
                    task.MaxValue = Math.Max(1, p.WindowsQueued);
                    task.Value = p.WindowsDone;
                    var budget = p.Budget.Limit is { } limit ? $", budget {p.Budget.Remaining}/{limit}" : "";
                    task.Description = TwitchCommandHost.Escape($"{name}: {p.Phase}, {p.ClipsCollected} clips{budget}");
                });
                result = await find(progress);
                task.Value = task.MaxValue;
            });
        return result!;
    }

    private static string N(int value) => value.ToString("N0", CultureInfo.InvariantCulture);
}

/// <summary>An <see cref="IProgress{T}"/> that calls back on the reporting thread (Spectre's tasks are thread-safe).</summary>
internal sealed class SyncProgress<T>(Action<T> report) : IProgress<T>
{
    public void Report(T value) => report(value);
}
