using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Tccg.Core.Clips;
using Tccg.Core.Configuration;
using Tccg.Server.Application;
using Tccg.Storage.Clips;
using Tccg.Storage.Games;
using Tccg.Twitch;
using Tccg.Twitch.Automation;
using Tccg.Twitch.Downloads;
using Tccg.Twitch.Games;

namespace Tccg.Server.Features.ClipBin;

/// <summary>
/// The clip bin as users see and change it: saved games with counts and automation state (everyone who edits), adding,
/// changing and removing games, the missing-files check and "run now" (admins), clips and their files (editors).
/// </summary>
public sealed class ClipBinService(
    IGameStore games, IClipStore clips, GameCatalog catalog, ClipBinMaintenance maintenance, AutomationState automation,
    IServiceProvider services, IHostApplicationLifetime lifetime, IOptions<StorageOptions> storage)
{
    public async Task<IReadOnlyList<GameView>> ListGamesAsync(CurrentUser caller, CancellationToken ct)
    {
        caller.RequireEditor();
        var views = new List<GameView>();
        foreach (var game in await games.ListAsync(ct))
            views.Add(await ViewAsync(game, ct));
        return views;
    }

    public async Task<GameView> GetGameAsync(CurrentUser caller, long id, CancellationToken ct)
    {
        caller.RequireEditor();
        return await ViewAsync(await games.GetAsync(id, ct) ?? throw GameNotFound(id), ct);
    }

    /// <summary>Adds a game by its exact Twitch name (admins); 404 when Twitch has none, 409 when saved already, 502/503 when Twitch fails.</summary>
    public async Task<GameView> AddGameAsync(CurrentUser caller, string? name, CancellationToken ct)
    {
        caller.RequireAdmin();
        if (Tccg.Core.Compilations.EditorLimits.CheckName("name", name) is { } problem)
            throw RuleException.Invalid(problem.Field, problem.Message);
        var wanted = name!.Trim();
        AddGameResult result;
        try
        {
            result = await catalog.AddByNameAsync(wanted, ct);
        }
        catch (OptionsKeyMissingException e)
        {
            throw new RuleException(503, "Twitch is not configured", e.Message);
        }
        catch (Exception e) when (e is TwitchApiException or HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            throw new RuleException(502, "Twitch did not answer", e.Message);
        }

        return result.Status switch
        {
            AddGameStatus.NotOnTwitch => throw RuleException.NotFound($"Twitch has no category named \"{wanted}\". The name must match exactly, as on twitch.tv/directory (e.g. \"Just Chatting\")."),
            AddGameStatus.AlreadySaved => throw RuleException.Conflict($"{result.Name} is already saved."),
            _ => await ViewAsync(result.Game!, ct),
        };
    }

    /// <summary>Enables or disables a game, sets its filters and schedule (admins); omitted parts stay.</summary>
    public async Task<GameView> UpdateGameAsync(CurrentUser caller, long id, UpdateGameRequest request, CancellationToken ct)
    {
        caller.RequireAdmin();
        var game = await games.GetAsync(id, ct) ?? throw GameNotFound(id);
        if (GameRules.Check(request.Filters, request.Schedule) is { } problem)
            throw RuleException.Invalid(problem.Field, problem.Message);
        var updated = game with
        {
            Enabled = request.Enabled ?? game.Enabled,
            Filters = request.Filters ?? game.Filters,
            Schedule = request.Schedule ?? game.Schedule,
        };
        await games.UpdateAsync(updated, ct);
        return await ViewAsync(updated, ct);
    }

    public async Task RemoveGameAsync(CurrentUser caller, long id, CancellationToken ct)
    {
        caller.RequireAdmin();
        if (!await games.DeleteAsync(id, ct))
            throw GameNotFound(id);
    }

    /// <summary>Clip counts per status over every game.</summary>
    public async Task<IReadOnlyList<ClipCount>> CountsAsync(CurrentUser caller, CancellationToken ct)
    {
        caller.RequireEditor();
        return await clips.CountsAsync(null, ct);
    }

    /// <summary>Marks downloaded clips whose file vanished as Missing (admins); how many.</summary>
    public Task<int> CheckMissingAsync(CurrentUser caller, CancellationToken ct)
    {
        caller.RequireAdmin();
        return maintenance.CheckMissingAsync(ct);
    }

    public AutomationView Automation(CurrentUser caller)
    {
        caller.RequireEditor();
        return new AutomationView(services.GetService<AutomationService>() is not null, automation.Running, automation.LastTick, automation.Games);
    }

    /// <summary>Live automation changes (the dashboard subscribes); null when the server runs without automation.</summary>
    public IDisposable? Subscribe(CurrentUser caller, Action changed)
    {
        caller.RequireEditor();
        return services.GetService<AutomationService>() is null ? null : automation.Subscribe(changed);
    }

    /// <summary>Runs the finder and downloader for every enabled game now, in the background (admins).</summary>
    public AutomationView RunAutomation(CurrentUser caller)
    {
        caller.RequireAdmin();
        if (services.GetService<AutomationService>() is not { } service)
            throw RuleException.Conflict("Automation is off", "Set Tccg:Server:Automation to true and restart the server.");
        if (automation.Running)
            throw RuleException.Conflict("The finder/downloader is already running.");
        _ = Task.Run(() => service.RunOnceAsync(lifetime.ApplicationStopping), lifetime.ApplicationStopping);
        return new AutomationView(true, true, automation.LastTick, automation.Games);
    }

    public async Task<ClipRecord> GetClipAsync(CurrentUser caller, long id, CancellationToken ct)
    {
        caller.RequireEditor();
        return await clips.GetAsync(id, ct) ?? throw RuleException.NotFound($"No clip {Id(id)}.");
    }

    public async Task<ClipPage> QueryClipsAsync(CurrentUser caller, ClipQuery query, CancellationToken ct)
    {
        caller.RequireEditor();
        try
        {
            return await clips.QueryAsync(query, ct);
        }
        catch (ArgumentException e)
        {
            throw new RuleException(400, "Invalid clip query", e.Message);
        }
    }

    /// <summary>The full path of a clip's file for playing it; 404 with the reason when there is none.</summary>
    public async Task<string> ClipFileAsync(CurrentUser caller, long id, CancellationToken ct)
    {
        var clip = await GetClipAsync(caller, id, ct);
        if (clip.FilePath is null)
            throw RuleException.NotFound($"Clip {Id(id)} has no file ({clip.Status}).");
        var path = Path.IsPathRooted(clip.FilePath) ? clip.FilePath : Path.Combine(Path.GetFullPath(storage.Value.Root), clip.FilePath);
        if (!File.Exists(path))
            throw new RuleException(404, $"The file of clip {Id(id)} is missing on the server.", "An admin can run the missing-files check to mark it.");
        return path;
    }

    private async Task<GameView> ViewAsync(Game game, CancellationToken ct)
    {
        var counts = (await clips.CountsAsync(game.TwitchGameId, ct))
            .ToDictionary(c => c.Status.ToString(), c => c.Count, StringComparer.Ordinal);
        foreach (var status in Enum.GetNames<ClipStatus>())
            counts.TryAdd(status, 0);
        return new GameView(game.Id, game.TwitchGameId, game.Name, game.BoxArtUrl, game.Enabled, game.Filters, game.Schedule,
            game.LastFindAt, game.NextFindAt, counts, automation.Get(game.TwitchGameId));
    }

    private static RuleException GameNotFound(long id) => RuleException.NotFound($"No game {Id(id)}.");

    private static string Id(long id) => id.ToString(CultureInfo.InvariantCulture);
}
