using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Tccg.Core.Clips;
using Tccg.Core.Configuration;
using Tccg.Storage.Channels;
using Tccg.Storage.Clips;
using Tccg.Storage.Games;
using Tccg.Storage.Servers;
using Tccg.Twitch.Downloads;
using Tccg.Twitch.Finder;

namespace Tccg.Twitch.Automation;

/// <summary>Tuning of the automation loop (not a configuration section; the server may override it in code).</summary>
public sealed class AutomationOptions
{
    /// <summary>How often saved games are checked for due work.</summary>
    public TimeSpan Tick { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Clips a single download round takes at most (rounds repeat until the target is met).</summary>
    public int DownloadBatch { get; set; } = 50;
}

/// <summary>
/// Automatic mode: on every tick, for each enabled saved game, runs the finder when its schedule says so (keeping
/// views and new clips current), then the downloader until the game has its target number of downloaded clips
/// waiting for review. One game's
/// failure is recorded in <see cref="AutomationState"/> and does not stop the others; a rotated clip access
/// hash or GQL client id blocks downloading for every game until the configuration is fixed. Each pass ends with the retention
/// of used clips' files (<c>Tccg:Downloader:KeepUsedDays</c>).
/// </summary>
public sealed class AutomationService(
    IServiceScopeFactory scopes,
    AutomationState state,
    IOptions<AutomationOptions> options,
    IOptions<ServerOptions> server,
    TimeProvider time,
    ILogger<AutomationService> logger) : BackgroundService
{
    private readonly SemaphoreSlim _onePass = new(1, 1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!server.Value.Automation)
        {
            logger.LogInformation("Automation is off ({Key} = false)", ServerOptions.Section + ":Automation");
            return;
        }
        // Several servers on one database: the pass runs only in the server holding the "automation" lease.
        LeaseKeeper? lease;
        using (var scope = scopes.CreateScope())
        {
            lease = scope.ServiceProvider.GetService<ILeaseStore>() is { } leases
                ? new LeaseKeeper(leases, AutomationLease, TimeSpan.FromSeconds(server.Value.AutomationLeaseSeconds), time, logger)
                : null;
        }
        _lease = lease;
        var keeping = lease?.RunAsync(stoppingToken) ?? Task.CompletedTask;
        using var timer = new PeriodicTimer(options.Value.Tick, time);
        try
        {
            do
            {
                if (lease is not null && !lease.IsHeld)
                {
                    logger.LogInformation("Automation stands by: another server holds the {Lease} lease", AutomationLease);
                    await lease.WaitHeldAsync(stoppingToken);
                }
                try
                {
                    await RunOnceAsync(stoppingToken);
                }
                catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
                {
                    return;
                }
                catch (Exception e)
                {
                    logger.LogError(e, "Automation tick failed");
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            await keeping;
        }
    }

    /// <summary>The name of the lease row that makes one server of several the one running automation.</summary>
    public const string AutomationLease = "automation";

    private LeaseKeeper? _lease;

    /// <summary>False when the hosted loop runs and another server holds the automation lease (a pass here would run twice).</summary>
    public bool HoldsLease => _lease?.IsHeld ?? true;

    /// <summary>
    /// One pass over every saved game (what each tick does; tests and the server's "run now" call it).
    /// Passes never overlap: a call while one runs waits for it.
    /// </summary>
    public async Task RunOnceAsync(CancellationToken ct)
    {
        if (!HoldsLease)
        {
            logger.LogInformation("Automation pass skipped: another server holds the {Lease} lease", AutomationLease);
            return;
        }
        await _onePass.WaitAsync(ct);
        state.SetRunning(true, time.GetUtcNow());
        try
        {
            using var scope = scopes.CreateScope();
            var sp = scope.ServiceProvider;
            var games = sp.GetRequiredService<IGameStore>();
            var saved = await games.ListAsync(ct);
            var channels = await sp.GetRequiredService<IChannelStore>().ListAsync(ct);
            foreach (var gone in state.Games.Where(s => saved.All(g => g.TwitchGameId != s.GameId) && channels.All(c => ChannelKey(c) != s.GameId)))
                state.Remove(gone.GameId);
            foreach (var game in saved.Where(g => g.Enabled))
            {
                ct.ThrowIfCancellationRequested();
                await RunGameAsync(sp, game, ct);
            }
            foreach (var channel in channels.Where(c => c.Enabled))
            {
                ct.ThrowIfCancellationRequested();
                await RunChannelAsync(sp, channel, ct);
            }
            try
            {
                await sp.GetRequiredService<ClipBinMaintenance>().ApplyRetentionAsync(ct);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                logger.LogWarning(e, "Retention could not delete a used clip's file");
            }
        }
        finally
        {
            state.SetRunning(false, time.GetUtcNow());
            _onePass.Release();
        }
    }

    public override void Dispose()
    {
        _onePass.Dispose();
        base.Dispose();
    }

    private async Task RunGameAsync(IServiceProvider sp, Game game, CancellationToken ct)
    {
        var clips = sp.GetRequiredService<IClipStore>();
        var now = time.GetUtcNow();
        Set(game, s => s with { Phase = AutomationPhase.Idle, NextRun = game.NextFindAt, Target = game.Schedule.TargetUnreviewed });
        try
        {
            var downloaded = await DownloadedCountAsync(clips, game, ct);
            if (game.NextFindAt is null || game.NextFindAt <= now)
            {
                Set(game, s => s with { Phase = AutomationPhase.Finding, Detail = "collecting clips" });
                var finder = sp.GetRequiredService<ClipFinder>();
                var progress = new Progress<FinderProgress>(p => Set(game, s => s with
                {
                    Detail = $"{p.Phase}: {p.WindowsDone}/{p.WindowsQueued} windows, {p.ClipsCollected} clips",
                }));
                var found = await finder.FindAsync(game, game.Schedule.Period, progress, ct);
                var next = game.Schedule.IntervalMinutes > 0 ? now.AddMinutes(game.Schedule.IntervalMinutes) : (DateTimeOffset?)null;
                Set(game, s => s with { LastRun = now, NextRun = next, LastFound = found.Accepted });
            }

            var downloader = sp.GetRequiredService<ClipDownloader>();
            var total = 0;
            while (downloaded < game.Schedule.TargetUnreviewed)
            {
                var want = Math.Min(options.Value.DownloadBatch, game.Schedule.TargetUnreviewed - downloaded);
                Set(game, s => s with { Phase = AutomationPhase.Downloading, Downloaded = downloaded, Detail = $"downloading up to {want} clips" });
                var result = await downloader.DownloadAsync(new DownloadRequest(game.TwitchGameId, want), null, ct);
                total += result.Downloaded;
                downloaded = await DownloadedCountAsync(clips, game, ct);
                if (result.Downloaded == 0)
                    break;
            }
            Set(game, s => s with
            {
                Phase = AutomationPhase.Idle, LastDownloaded = total, Downloaded = downloaded, LastError = null, Detail = null,
            });
        }
        catch (DownloadsBlockedException e)
        {
            Set(game, s => s with { Phase = AutomationPhase.Blocked, LastError = e.Message, Detail = null });
            logger.LogError("Automation for {Game} is blocked: {Message}", game.Name, e.Message);
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            Set(game, s => s with { Phase = AutomationPhase.Idle, LastError = e.Message, Detail = null });
            logger.LogWarning(e, "Automation for {Game} failed", game.Name);
        }
    }

    /// <summary>The automation state key of a channel (games use their Twitch game id).</summary>
    public static string ChannelKey(Channel channel) => "channel:" + channel.TwitchUserId;

    /// <summary>A saved channel's turn: find when due, then download until its target of waiting clips is met.</summary>
    private async Task RunChannelAsync(IServiceProvider sp, Channel channel, CancellationToken ct)
    {
        var clips = sp.GetRequiredService<IClipStore>();
        var now = time.GetUtcNow();
        var key = ChannelKey(channel);
        var name = "@" + channel.Login;
        var target = channel.Schedule.TargetUnreviewed;
        void SetChannel(Func<GameAutomationStatus, GameAutomationStatus> change) =>
            state.Update(key, old => change(old ?? new GameAutomationStatus(
                key, name, AutomationPhase.Idle, channel.LastFindAt, channel.NextFindAt, null, 0, 0, 0, target, null)) with { GameName = name });
        async Task<int> CountAsync() =>
            (int)(await clips.CountsOfChannelAsync(channel.TwitchUserId, ct)).Where(c => c.Status == ClipStatus.Downloaded).Sum(c => c.Count);

        SetChannel(s => s with { Phase = AutomationPhase.Idle, NextRun = channel.NextFindAt, Target = target });
        try
        {
            var downloaded = await CountAsync();
            if (channel.NextFindAt is null || channel.NextFindAt <= now)
            {
                SetChannel(s => s with { Phase = AutomationPhase.Finding, Detail = "collecting clips" });
                var found = await sp.GetRequiredService<ClipFinder>().FindChannelAsync(channel, channel.Schedule.Period,
                    new Progress<FinderProgress>(p => SetChannel(s => s with { Detail = $"{p.Phase}: {p.WindowsDone}/{p.WindowsQueued} windows, {p.ClipsCollected} clips" })), ct);
                var next = channel.Schedule.IntervalMinutes > 0 ? now.AddMinutes(channel.Schedule.IntervalMinutes) : (DateTimeOffset?)null;
                SetChannel(s => s with { LastRun = now, NextRun = next, LastFound = found.Accepted });
            }
            var downloader = sp.GetRequiredService<ClipDownloader>();
            var total = 0;
            while (downloaded < target)
            {
                var want = Math.Min(options.Value.DownloadBatch, target - downloaded);
                SetChannel(s => s with { Phase = AutomationPhase.Downloading, Downloaded = downloaded, Detail = $"downloading up to {want} clips" });
                var result = await downloader.DownloadAsync(new DownloadRequest(null, want, channel.TwitchUserId), null, ct);
                total += result.Downloaded;
                downloaded = await CountAsync();
                if (result.Downloaded == 0)
                    break;
            }
            SetChannel(s => s with { Phase = AutomationPhase.Idle, LastDownloaded = total, Downloaded = downloaded, LastError = null, Detail = null });
        }
        catch (DownloadsBlockedException e)
        {
            SetChannel(s => s with { Phase = AutomationPhase.Blocked, LastError = e.Message, Detail = null });
            logger.LogError("Automation for channel {Channel} is blocked: {Message}", channel.Login, e.Message);
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            SetChannel(s => s with { Phase = AutomationPhase.Idle, LastError = e.Message, Detail = null });
            logger.LogWarning(e, "Automation for channel {Channel} failed", channel.Login);
        }
    }

    private static async Task<int> DownloadedCountAsync(IClipStore clips, Game game, CancellationToken ct) =>
        (int)(await clips.CountsAsync(game.TwitchGameId, ct))
            .Where(c => c.Status == ClipStatus.Downloaded)
            .Sum(c => c.Count);

    private void Set(Game game, Func<GameAutomationStatus, GameAutomationStatus> change) =>
        state.Update(game.TwitchGameId, old => change(old ?? new GameAutomationStatus(
            game.TwitchGameId, game.Name, AutomationPhase.Idle, game.LastFindAt, game.NextFindAt, null, 0, 0, 0,
            game.Schedule.TargetUnreviewed, null)) with { GameName = game.Name });
}
