using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Tccg.Core.Clips;
using Tccg.Core.Configuration;
using Tccg.Core.Twitch;
using Tccg.Server.Auth;
using Tccg.Storage.Clips;
using Tccg.Storage.Games;
using Tccg.Twitch;
using Tccg.Twitch.Automation;
using Tccg.Twitch.Games;

namespace Tccg.Server.Features.ClipBin;

public sealed record GameView(
    long Id,
    string TwitchGameId,
    string Name,
    string BoxArtUrl,
    bool Enabled,
    ClipFilters Filters,
    GameSchedule Schedule,
    DateTimeOffset? LastFindAt,
    DateTimeOffset? NextFindAt,
    IReadOnlyDictionary<string, long> Counts,
    GameAutomationStatus? Automation);

public sealed record AddGameRequest(string? Name);

/// <summary>Everything of a game an admin may change; omitted parts stay as they are.</summary>
public sealed record UpdateGameRequest(bool? Enabled, ClipFilters? Filters, GameSchedule? Schedule);

/// <summary>Saved Twitch categories: list with counts per status, add by exact name, filters, schedule, enable.</summary>
public static class GamesApi
{
    public static RouteGroupBuilder MapGamesApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/games").WithTags("Games");
        group.MapGet("/", ListAsync).RequireAuthorization(Policies.Editor)
            .WithName("ListGames").WithSummary("Saved games with clip counts per status and automation state");
        group.MapGet("/{id:long}", GetAsync).RequireAuthorization(Policies.Editor)
            .WithName("GetGame").WithSummary("One saved game");
        group.MapPost("/", AddAsync).RequireAuthorization(Policies.Admin)
            .WithName("AddGame").WithSummary("Add a game by its exact Twitch name");
        group.MapPut("/{id:long}", UpdateAsync).RequireAuthorization(Policies.Admin)
            .WithName("UpdateGame").WithSummary("Enable/disable a game, set its filters and schedule");
        group.MapDelete("/{id:long}", DeleteAsync).RequireAuthorization(Policies.Admin)
            .WithName("RemoveGame").WithSummary("Remove a saved game (its clips stay in the bin)");
        return api;
    }

    private static async Task<GameView> ViewAsync(Game game, IClipStore clips, AutomationState automation, CancellationToken ct)
    {
        var counts = (await clips.CountsAsync(game.TwitchGameId, ct))
            .ToDictionary(c => c.Status.ToString(), c => c.Count, StringComparer.Ordinal);
        foreach (var status in Enum.GetNames<ClipStatus>())
            counts.TryAdd(status, 0);
        return new GameView(game.Id, game.TwitchGameId, game.Name, game.BoxArtUrl, game.Enabled, game.Filters, game.Schedule,
            game.LastFindAt, game.NextFindAt, counts, automation.Get(game.TwitchGameId));
    }

    public static async Task<Ok<GameView[]>> ListAsync(IGameStore games, IClipStore clips, AutomationState automation, CancellationToken ct)
    {
        var views = new List<GameView>();
        foreach (var game in await games.ListAsync(ct))
            views.Add(await ViewAsync(game, clips, automation, ct));
        return TypedResults.Ok(views.ToArray());
    }

    public static async Task<Results<Ok<GameView>, ProblemHttpResult>> GetAsync(
        long id, IGameStore games, IClipStore clips, AutomationState automation, CancellationToken ct) =>
        await games.GetAsync(id, ct) is { } game
            ? TypedResults.Ok(await ViewAsync(game, clips, automation, ct))
            : TypedResults.Problem(statusCode: 404, title: $"No game {id}.");

    public static async Task<Results<Created<GameView>, ProblemHttpResult>> AddAsync(
        AddGameRequest request, GameCatalog catalog, IClipStore clips, AutomationState automation, CancellationToken ct)
    {
        var name = request.Name?.Trim();
        if (string.IsNullOrEmpty(name) || name.Length > 200)
            return TypedResults.Problem(statusCode: 400, title: "A game name of 1 to 200 characters is required.");
        AddGameResult result;
        try
        {
            result = await catalog.AddByNameAsync(name, ct);
        }
        catch (OptionsKeyMissingException e)
        {
            return TypedResults.Problem(statusCode: 503, title: "Twitch is not configured", detail: e.Message);
        }
        catch (Exception e) when (e is TwitchApiException or HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            return TypedResults.Problem(statusCode: 502, title: "Twitch did not answer", detail: e.Message);
        }

        return result.Status switch
        {
            AddGameStatus.NotOnTwitch => TypedResults.Problem(statusCode: 404, title: $"Twitch has no category named \"{name}\".",
                detail: "The name must match exactly, as on twitch.tv/directory (e.g. \"Just Chatting\")."),
            AddGameStatus.AlreadySaved => TypedResults.Problem(statusCode: 409, title: $"{result.Name} is already saved."),
            _ => TypedResults.Created($"/api/v1/games/{result.Game!.Id}", await ViewAsync(result.Game, clips, automation, ct)),
        };
    }

    public static async Task<Results<Ok<GameView>, ProblemHttpResult>> UpdateAsync(
        long id, UpdateGameRequest request, IGameStore games, IClipStore clips, AutomationState automation, CancellationToken ct)
    {
        if (await games.GetAsync(id, ct) is not { } game)
            return TypedResults.Problem(statusCode: 404, title: $"No game {id}.");
        if (GameRules.Check(request.Filters, request.Schedule) is { } problem)
            return TypedResults.Problem(statusCode: 400, title: "Invalid game settings", detail: problem);
        var updated = game with
        {
            Enabled = request.Enabled ?? game.Enabled,
            Filters = request.Filters ?? game.Filters,
            Schedule = request.Schedule ?? game.Schedule,
        };
        await games.UpdateAsync(updated, ct);
        return TypedResults.Ok(await ViewAsync(updated, clips, automation, ct));
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(long id, IGameStore games, CancellationToken ct) =>
        await games.DeleteAsync(id, ct)
            ? TypedResults.NoContent()
            : TypedResults.Problem(statusCode: 404, title: $"No game {id}.");
}

/// <summary>Limits on game filters and schedules, with messages that name the field.</summary>
internal static class GameRules
{
    public static string? Check(ClipFilters? filters, GameSchedule? schedule)
    {
        if (filters?.Check() is { } error)
            return error;

        if (schedule is not null)
        {
            if (schedule.IntervalMinutes < 0 || schedule.IntervalMinutes > 60 * 24 * 30)
                return "schedule.intervalMinutes must be between 0 (manual) and 43200.";
            if (schedule.TargetUnreviewed < 0 || schedule.TargetUnreviewed > 100_000)
                return "schedule.targetUnreviewed must be between 0 and 100000.";
        }

        return null;
    }
}
