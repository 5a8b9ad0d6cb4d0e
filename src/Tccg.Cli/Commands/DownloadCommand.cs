using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;
using Tccg.Storage.Games;
using Tccg.Twitch.Downloads;

namespace Tccg.Cli.Commands;

/// <summary><c>tccg download [--game NAME] [--channel LOGIN] [--limit N]</c>: download found clips now.</summary>
internal static class DownloadCommand
{
    public static Command Create()
    {
        var game = new Option<string?>("--game") { Description = "Only clips of this saved game (default: every game)", HelpName = "NAME" };
        var channel = new Option<string?>("--channel") { Description = "Only clips of this saved channel (login)", HelpName = "LOGIN" };
        var limit = new Option<int>("--limit") { Description = "Download at most N clips", HelpName = "N", DefaultValueFactory = _ => 100 };
        var command = new Command("download", "Download found clips (and failed ones whose retry time has come) into the clip bin") { game, channel, limit };
        command.SetAction((parse, ct) => TwitchCommandHost.GuardAsync(async () =>
        {
            if (parse.GetValue(limit) < 1)
                throw new CliUsageException("--limit must be at least 1.");
            using var host = await TwitchCommandHost.StartAsync(parse, needsTwitch: false, ct);
            string? gameId = null;
            if (parse.GetValue(game) is { } name)
                gameId = (await TwitchCommandHost.FindSavedGameAsync(host.Services.GetRequiredService<IGameStore>(), name, ct)).TwitchGameId;
            string? broadcasterId = null;
            if (parse.GetValue(channel) is { } login)
                broadcasterId = (await ChannelsCommand.FindSavedChannelAsync(host.Services.GetRequiredService<Tccg.Storage.Channels.IChannelStore>(), login, ct)).TwitchUserId;
            var downloader = host.Services.GetRequiredService<ClipDownloader>();
            var request = new DownloadRequest(gameId, parse.GetValue(limit), broadcasterId);
            var console = TwitchCommandHost.Console(parse);
            DownloadResult result;
            if (console.Profile.Capabilities.Interactive)
            {
                DownloadResult? done = null;
                await console.Progress()
                    .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
                    .StartAsync(async ctx =>
                    {
                        var task = ctx.AddTask("Downloading clips");
                        var progress = new SyncProgress<DownloadProgress>(p =>
                        {
                            task.MaxValue = Math.Max(1, p.Total);
                            task.Value = p.Done;
                            task.Description = $"Downloading: {p.Downloaded} done, {p.Failed} failed, {p.Bytes / 1_048_576.0:0.0} MB";
                        });
                        done = await downloader.DownloadAsync(request, progress, ct);
                        task.Value = task.MaxValue;
                    });
                result = done!;
            }
            else
            {
                result = await downloader.DownloadAsync(request, null, ct);
            }
            var seconds = Math.Max(result.Elapsed.TotalSeconds, 0.001);
            console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{result.Downloaded} downloaded, {result.Failed} failed, {result.Unavailable} unavailable, {result.NotReady} not ready yet "
                + $"of {result.Total} due ({result.Bytes / 1_048_576.0:0.0} MB in {seconds:0.0} s)."));
            return result.Total > 0 && result.Downloaded == 0 && result.Failed > 0 ? TccgCli.ExitFailure : TccgCli.ExitOk;
        }));
        return command;
    }
}
