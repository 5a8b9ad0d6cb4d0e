using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;
using Tccg.Core.Clips;
using Tccg.Core.Twitch;
using Tccg.Storage.Channels;
using Tccg.Storage.Clips;
using Tccg.Twitch.Channels;

using Tccg.Server.Features.Channels;

namespace Tccg.Cli.Commands;

/// <summary><c>tccg channels add|list|remove|set</c>: the saved channels the finder follows beside games.</summary>
internal static class ChannelsCommand
{
    public static Command Create() => new("channels", "Manage the saved Twitch channels the finder follows (beside games)")
    {
        Add(),
        List(),
        Remove(),
        Set(),
    };

    private static Command Add()
    {
        var login = new Argument<string>("login") { Description = "The channel's Twitch login, e.g. \"somestreamer\"" };
        var command = new Command("add", "Save a channel by its Twitch login (looked up on Twitch)") { login };
        command.SetAction((parse, ct) => TwitchCommandHost.GuardAsync(async () =>
        {
            var wanted = parse.GetValue(login)!;
            if (!ChannelCatalog.IsValidLogin(wanted.Trim().TrimStart('@')))
                throw new CliUsageException($"\"{wanted}\" is not a Twitch login (letters, digits and underscores, at most 25).");
            using var host = await TwitchCommandHost.StartAsync(parse, needsTwitch: true, ct);
            var channel = await host.Services.GetRequiredService<ChannelsService>().AddAsync(TwitchCommandHost.Caller, new AddChannelRequest(wanted), ct);
            await parse.InvocationConfiguration.Output.WriteLineAsync(
                $"Saved channel {channel.Login} ({channel.DisplayName}, Twitch id {channel.TwitchUserId}); run `tccg find --channel {channel.Login}` to collect its clips.");
            return TccgCli.ExitOk;
        }));
        return command;
    }

    private static Command List()
    {
        var command = new Command("list", "List saved channels with their filters and clip counts per status");
        command.SetAction((parse, ct) => TwitchCommandHost.GuardAsync(async () =>
        {
            using var host = await TwitchCommandHost.StartAsync(parse, needsTwitch: false, ct);
            var channels = await host.Services.GetRequiredService<ChannelsService>().ListAsync(TwitchCommandHost.Caller, ct);
            var console = TwitchCommandHost.Console(parse);
            if (channels.Count == 0)
            {
                console.WriteLine("No channels saved. Add one with `tccg channels add LOGIN`.");
                return TccgCli.ExitOk;
            }
            var table = new Table().AddColumns("Channel", "Id", "Filters", "Schedule");
            foreach (var status in Enum.GetValues<ClipStatus>())
                table.AddColumn(new TableColumn(status.ToString()).RightAligned());
            foreach (var channel in channels)
            {
                var row = new List<string>
                {
                    TwitchCommandHost.Escape($"{channel.Login} ({channel.DisplayName})") + (channel.Enabled ? "" : " (disabled)"),
                    channel.TwitchUserId,
                    TwitchCommandHost.Escape(GamesCommand.Describe(channel.Filters)),
                    $"{channel.Schedule.Period.ToString().ToLowerInvariant()}, every {channel.Schedule.IntervalMinutes} min, target {channel.Schedule.TargetUnreviewed}",
                };
                foreach (var status in Enum.GetValues<ClipStatus>())
                    row.Add(channel.Counts.GetValueOrDefault(status.ToString()).ToString(CultureInfo.InvariantCulture));
                table.AddRow(row.ToArray());
            }
            console.Write(table);
            return TccgCli.ExitOk;
        }));
        return command;
    }

    private static Command Remove()
    {
        var login = new Argument<string>("login") { Description = "Saved channel login (or Twitch user id)" };
        var command = new Command("remove", "Remove a saved channel (its clips stay in the clip bin)") { login };
        command.SetAction((parse, ct) => TwitchCommandHost.GuardAsync(async () =>
        {
            using var host = await TwitchCommandHost.StartAsync(parse, needsTwitch: false, ct);
            var channel = await FindSavedChannelAsync(host.Services.GetRequiredService<IChannelStore>(), parse.GetValue(login)!, ct);
            await host.Services.GetRequiredService<ChannelsService>().RemoveAsync(TwitchCommandHost.Caller, channel.Id, ct);
            await parse.InvocationConfiguration.Output.WriteLineAsync($"Removed channel {channel.Login}.");
            return TccgCli.ExitOk;
        }));
        return command;
    }

    private static Command Set()
    {
        var login = new Argument<string>("login") { Description = "Saved channel login (or Twitch user id)" };
        var languages = new Option<string?>("--languages") { Description = "Comma-separated language codes to keep, e.g. en,de (\"\" keeps all)", HelpName = "CODES" };
        var minViews = new Option<int?>("--min-views") { Description = "Skip clips with fewer views", HelpName = "N" };
        var minDuration = new Option<double?>("--min-duration") { Description = "Skip clips shorter than this many seconds (0: no minimum)", HelpName = "S" };
        var maxDuration = new Option<double?>("--max-duration") { Description = "Skip clips longer than this many seconds (0: no maximum)", HelpName = "S" };
        var period = new Option<string?>("--period") { Description = "What the automatic finder searches: day, week, month or all", HelpName = "PERIOD" };
        var interval = new Option<int?>("--interval") { Description = "Minutes between automatic finder runs", HelpName = "MINUTES" };
        var target = new Option<int?>("--target") { Description = "Downloaded clips waiting for review that automatic mode keeps ready", HelpName = "N" };
        var enabled = new Option<bool?>("--enabled") { Description = "Include the channel in automatic mode (true or false)", HelpName = "BOOL" };
        var command = new Command("set", "Change a saved channel's filters and schedule")
        {
            login, languages, minViews, minDuration, maxDuration, period, interval, target, enabled,
        };
        command.SetAction((parse, ct) => TwitchCommandHost.GuardAsync(async () =>
        {
            using var host = await TwitchCommandHost.StartAsync(parse, needsTwitch: false, ct);
            var channel = await FindSavedChannelAsync(host.Services.GetRequiredService<IChannelStore>(), parse.GetValue(login)!, ct);
            var f = channel.Filters;
            if (parse.GetValue(languages) is { } langs)
                f = f with { Languages = langs.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(l => l.ToLowerInvariant()).Distinct().ToList() };
            if (parse.GetValue(minViews) is { } views)
                f = f with { MinViews = views };
            if (parse.GetValue(minDuration) is { } min)
                f = f with { MinDuration = min };
            if (parse.GetValue(maxDuration) is { } max)
                f = f with { MaxDuration = max };
            if (f.Check() is { } problem)
            {
                var option = problem.Field switch { "filters.minViews" => "--min-views", "filters.minDuration" => "--min-duration", _ => "--max-duration" };
                throw new CliUsageException($"{option} {problem.Message.Replace("filters.maxDuration", "--max-duration", StringComparison.Ordinal)}");
            }
            var s = channel.Schedule;
            if (parse.GetValue(period) is { } p)
                s = s with { Period = ClipWindows.TryParsePeriod(p, out var parsed) ? parsed : throw new CliUsageException($"--period must be day, week, month or all, not '{p}'.") };
            if (parse.GetValue(interval) is { } minutes)
                s = s with { IntervalMinutes = minutes >= 1 ? minutes : throw new CliUsageException("--interval must be at least 1 minute.") };
            if (parse.GetValue(target) is { } t)
                s = s with { TargetUnreviewed = t >= 0 ? t : throw new CliUsageException("--target cannot be negative.") };
            var updated = await host.Services.GetRequiredService<ChannelsService>().UpdateAsync(TwitchCommandHost.Caller, channel.Id,
                new UpdateChannelRequest(parse.GetValue(enabled) ?? channel.Enabled, f, s), ct);
            await parse.InvocationConfiguration.Output.WriteLineAsync($"{channel.Login}: {GamesCommand.Describe(updated.Filters)}");
            return TccgCli.ExitOk;
        }));
        return command;
    }

    /// <summary>The saved channel with this login (case-insensitive, a leading @ allowed) or Twitch user id; a clean error listing the saved ones otherwise.</summary>
    public static async Task<Channel> FindSavedChannelAsync(IChannelStore channels, string login, CancellationToken ct)
    {
        var wanted = login.Trim().TrimStart('@');
        var all = await channels.ListAsync(ct);
        var channel = all.FirstOrDefault(c => string.Equals(c.Login, wanted, StringComparison.OrdinalIgnoreCase))
            ?? all.FirstOrDefault(c => c.TwitchUserId == wanted);
        if (channel is not null)
            return channel;
        var saved = all.Count == 0 ? "no channels are saved yet (add one with `tccg channels add LOGIN`)" : "saved channels: " + string.Join(", ", all.Select(c => c.Login));
        throw new CliException($"No saved channel \"{login}\"; {saved}.");
    }
}
