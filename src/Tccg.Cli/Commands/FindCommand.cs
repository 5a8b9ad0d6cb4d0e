using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;
using Tccg.Core.Twitch;
using Tccg.Storage.Games;
using Tccg.Twitch.Finder;

namespace Tccg.Cli.Commands;

/// <summary><c>tccg find [--game NAME] [--period day|week|month|all]</c>: run the clip finder now.</summary>
internal static class FindCommand
{
    public static Command Create()
    {
        var game = new Option<string?>("--game") { Description = "Only this saved game (default: every enabled saved game)", HelpName = "NAME" };
        var period = new Option<string?>("--period") { Description = "day, week, month or all (default: each game's own period)", HelpName = "PERIOD" };
        var command = new Command("find", "Find top clips on Twitch for saved games and add them to the clip bin") { game, period };
        command.SetAction((parse, ct) => TwitchCommandHost.GuardAsync(async () =>
        {
            ClipPeriod? forced = null;
            if (parse.GetValue(period) is { } p)
                forced = ClipWindows.TryParsePeriod(p, out var parsed) ? parsed : throw new CliUsageException($"--period must be day, week, month or all, not '{p}'.");
            using var host = await TwitchCommandHost.StartAsync(parse, needsTwitch: true, ct);
            var games = host.Services.GetRequiredService<IGameStore>();
            var targets = parse.GetValue(game) is { } name
                ? [await TwitchCommandHost.FindSavedGameAsync(games, name, ct)]
                : (await games.ListAsync(ct)).Where(g => g.Enabled).ToList();
            if (targets.Count == 0)
                throw new CliException("No saved games to search; add one with `tccg games add NAME`.");
            var finder = host.Services.GetRequiredService<ClipFinder>();
            var console = TwitchCommandHost.Console(parse);
            var results = new List<FindResult>();
            foreach (var target in targets)
            {
                var when = forced ?? target.Schedule.Period;
                results.Add(await RunAsync(console, finder, target, when, ct));
            }
            var table = new Table().AddColumns("Game", "Collected", "Kept", "Duplicates", "Windows", "Helix calls");
            foreach (var r in results)
                table.AddRow(TwitchCommandHost.Escape(r.Game), N(r.Collected), N(r.Accepted), N(r.Duplicates), N(r.Windows), N(r.Calls));
            console.Write(table);
            return TccgCli.ExitOk;
        }));
        return command;
    }

    private static async Task<FindResult> RunAsync(IAnsiConsole console, ClipFinder finder, Game game, ClipPeriod period, CancellationToken ct)
    {
        if (!console.Profile.Capabilities.Interactive)
            return await finder.FindAsync(game, period, null, ct);
        FindResult? result = null;
        await console.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new SpinnerColumn())
            .StartAsync(async ctx =>
            {
                var task = ctx.AddTask(TwitchCommandHost.Escape($"{game.Name} ({period.ToString().ToLowerInvariant()})"));
                var progress = new SyncProgress<FinderProgress>(p =>
                {
                    task.MaxValue = Math.Max(1, p.WindowsQueued);
                    task.Value = p.WindowsDone;
                    var budget = p.Budget.Limit is { } limit ? $", budget {p.Budget.Remaining}/{limit}" : "";
                    task.Description = TwitchCommandHost.Escape($"{game.Name}: {p.Phase}, {p.ClipsCollected} clips{budget}");
                });
                result = await finder.FindAsync(game, period, progress, ct);
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
