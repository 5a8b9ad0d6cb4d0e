using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;
using Tccg.Core.Clips;
using Tccg.Core.Twitch;
using Tccg.Storage;
using Tccg.Storage.Clips;
using Tccg.Storage.Games;
using Tccg.Server.Features.ClipBin;
using Tccg.Twitch.Helix;

namespace Tccg.Cli.Commands;

/// <summary><c>tccg games add|list|remove|set</c>: the saved games (Twitch categories) the finder searches.</summary>
internal static class GamesCommand
{
    public static Command Create() => new("games", "Manage the saved games (Twitch categories) the finder searches")
    {
        Add(),
        List(),
        Remove(),
        Set(),
    };

    private static Command Add()
    {
        var name = new Argument<string>("name") { Description = "Exact Twitch category name, e.g. \"Just Chatting\"" };
        var command = new Command("add", "Save a game by its exact Twitch name") { name };
        command.SetAction((parse, ct) => TwitchCommandHost.GuardAsync(async () =>
        {
            using var host = await TwitchCommandHost.StartAsync(parse, needsTwitch: true, ct);
            var game = await host.Services.GetRequiredService<ClipBinService>().AddGameAsync(TwitchCommandHost.Caller, parse.GetValue(name), ct);
            await parse.InvocationConfiguration.Output.WriteLineAsync(
                $"Saved \"{game.Name}\" (Twitch id {game.TwitchGameId}); run `tccg find --game \"{game.Name}\"` to collect its clips.");
            return TccgCli.ExitOk;
        }));
        return command;
    }

    private static Command List()
    {
        var command = new Command("list", "List saved games with their filters and clip counts per status");
        command.SetAction((parse, ct) => TwitchCommandHost.GuardAsync(async () =>
        {
            using var host = await TwitchCommandHost.StartAsync(parse, needsTwitch: false, ct);
            var games = await host.Services.GetRequiredService<ClipBinService>().ListGamesAsync(TwitchCommandHost.Caller, ct);
            var console = TwitchCommandHost.Console(parse);
            if (games.Count == 0)
            {
                console.WriteLine("No games saved. Add one with `tccg games add NAME`.");
                return TccgCli.ExitOk;
            }
            var table = new Table().AddColumns("Game", "Id", "Filters", "Schedule");
            foreach (var status in Enum.GetValues<ClipStatus>())
                table.AddColumn(new TableColumn(status.ToString()).RightAligned());
            foreach (var game in games)
            {
                var row = new List<string>
                {
                    TwitchCommandHost.Escape(game.Name) + (game.Enabled ? "" : " (disabled)"),
                    game.TwitchGameId,
                    TwitchCommandHost.Escape(Describe(game.Filters)),
                    $"{game.Schedule.Period.ToString().ToLowerInvariant()}, every {game.Schedule.IntervalMinutes} min, target {game.Schedule.TargetUnreviewed}",
                };
                foreach (var status in Enum.GetValues<ClipStatus>())
                    row.Add(game.Counts.GetValueOrDefault(status.ToString()).ToString(CultureInfo.InvariantCulture));
                table.AddRow(row.ToArray());
            }
            console.Write(table);
            return TccgCli.ExitOk;
        }));
        return command;
    }

    private static Command Remove()
    {
        var name = new Argument<string>("name") { Description = "Saved game name (or Twitch id)" };
        var command = new Command("remove", "Remove a saved game (its clips stay in the clip bin)") { name };
        command.SetAction((parse, ct) => TwitchCommandHost.GuardAsync(async () =>
        {
            using var host = await TwitchCommandHost.StartAsync(parse, needsTwitch: false, ct);
            var game = await TwitchCommandHost.FindSavedGameAsync(host.Services.GetRequiredService<IGameStore>(), parse.GetValue(name)!, ct);
            await host.Services.GetRequiredService<ClipBinService>().RemoveGameAsync(TwitchCommandHost.Caller, game.Id, ct);
            await parse.InvocationConfiguration.Output.WriteLineAsync($"Removed \"{game.Name}\".");
            return TccgCli.ExitOk;
        }));
        return command;
    }

    private static Command Set()
    {
        var name = new Argument<string>("name") { Description = "Saved game name (or Twitch id)" };
        var languages = new Option<string?>("--languages") { Description = "Comma-separated language codes to keep, e.g. en,de (\"\" keeps all)", HelpName = "CODES" };
        var minViews = new Option<int?>("--min-views") { Description = "Skip clips with fewer views", HelpName = "N" };
        var minDuration = new Option<double?>("--min-duration") { Description = "Skip clips shorter than this many seconds (0: no minimum)", HelpName = "S" };
        var maxDuration = new Option<double?>("--max-duration") { Description = "Skip clips longer than this many seconds (0: no maximum)", HelpName = "S" };
        var block = new Option<string[]>("--block") { Description = "Never collect clips of this broadcaster login (repeatable)", HelpName = "LOGIN" };
        var unblock = new Option<string[]>("--unblock") { Description = "Collect this broadcaster's clips again (repeatable)", HelpName = "LOGIN" };
        var cap = new Option<int?>("--per-broadcaster-cap") { Description = "Keep at most N clips per broadcaster (0: no cap)", HelpName = "N" };
        var period = new Option<string?>("--period") { Description = "What the automatic finder searches: day, week, month or all", HelpName = "PERIOD" };
        var interval = new Option<int?>("--interval") { Description = "Minutes between automatic finder runs", HelpName = "MINUTES" };
        var target = new Option<int?>("--target") { Description = "Downloaded clips waiting for review that automatic mode keeps ready", HelpName = "N" };
        var enabled = new Option<bool?>("--enabled") { Description = "Include the game in automatic mode (true or false)", HelpName = "BOOL" };
        var command = new Command("set", "Change a saved game's filters and schedule")
        {
            name, languages, minViews, minDuration, maxDuration, block, unblock, cap, period, interval, target, enabled,
        };
        command.SetAction((parse, ct) => TwitchCommandHost.GuardAsync(async () =>
        {
            using var host = await TwitchCommandHost.StartAsync(parse, needsTwitch: false, ct);
            var game = await TwitchCommandHost.FindSavedGameAsync(host.Services.GetRequiredService<IGameStore>(), parse.GetValue(name)!, ct);
            var f = game.Filters;
            if (parse.GetValue(languages) is { } langs)
                f = f with { Languages = langs.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(l => l.ToLowerInvariant()).Distinct().ToList() };
            if (parse.GetValue(minViews) is { } views)
                f = f with { MinViews = NonNegative(views, "--min-views") };
            if (parse.GetValue(minDuration) is { } min)
                f = f with { MinDuration = NonNegative(min, "--min-duration") };
            if (parse.GetValue(maxDuration) is { } max)
                f = f with { MaxDuration = NonNegative(max, "--max-duration") };
            if (f.MaxDuration > 0 && f.MinDuration > f.MaxDuration)
                throw new CliUsageException($"--min-duration ({f.MinDuration}) is above --max-duration ({f.MaxDuration}).");
            var blocked = f.BlockedBroadcasters.ToList();
            foreach (var login in parse.GetValue(block) ?? [])
                if (!blocked.Contains(login.Trim(), StringComparer.OrdinalIgnoreCase))
                    blocked.Add(login.Trim().ToLowerInvariant());
            foreach (var login in parse.GetValue(unblock) ?? [])
                blocked.RemoveAll(b => string.Equals(b, login.Trim(), StringComparison.OrdinalIgnoreCase));
            f = f with { BlockedBroadcasters = blocked };
            if (parse.GetValue(cap) is { } perBroadcaster)
                f = f with { PerBroadcasterCap = NonNegative(perBroadcaster, "--per-broadcaster-cap") };

            var s = game.Schedule;
            if (parse.GetValue(period) is { } p)
            {
                if (!ClipWindows.TryParsePeriod(p, out var parsed))
                    throw new CliUsageException($"--period must be day, week, month or all, not '{p}'.");
                s = s with { Period = parsed };
            }
            if (parse.GetValue(interval) is { } minutes)
                s = s with { IntervalMinutes = minutes >= 1 ? minutes : throw new CliUsageException("--interval must be at least 1 minute.") };
            if (parse.GetValue(target) is { } t)
                s = s with { TargetUnreviewed = NonNegative(t, "--target") };
            var updated = await host.Services.GetRequiredService<ClipBinService>().UpdateGameAsync(TwitchCommandHost.Caller, game.Id,
                new UpdateGameRequest(parse.GetValue(enabled) ?? game.Enabled, f, s), ct);
            await parse.InvocationConfiguration.Output.WriteLineAsync($"\"{game.Name}\": {Describe(updated.Filters)}");
            return TccgCli.ExitOk;
        }));
        return command;
    }

    private static T NonNegative<T>(T value, string option) where T : System.Numerics.INumber<T> =>
        value >= T.Zero ? value : throw new CliUsageException($"{option} cannot be negative.");

    internal static string Describe(ClipFilters f)
    {
        var parts = new List<string>
        {
            f.Languages.Count == 0 ? "all languages" : "languages " + string.Join(',', f.Languages),
        };
        if (f.MinViews > 0)
            parts.Add($"≥ {f.MinViews.ToString(CultureInfo.InvariantCulture)} views");
        if (f.MinDuration > 0 || f.MaxDuration > 0)
            parts.Add($"{f.MinDuration.ToString(CultureInfo.InvariantCulture)}–{(f.MaxDuration > 0 ? f.MaxDuration.ToString(CultureInfo.InvariantCulture) : "∞")} s");
        if (f.BlockedBroadcasters.Count > 0)
            parts.Add("blocked " + string.Join(',', f.BlockedBroadcasters));
        if (f.PerBroadcasterCap > 0)
            parts.Add($"≤ {f.PerBroadcasterCap.ToString(CultureInfo.InvariantCulture)} per broadcaster");
        return string.Join("; ", parts);
    }
}
