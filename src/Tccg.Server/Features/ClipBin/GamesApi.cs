using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Tccg.Core.Clips;
using Tccg.Core.Configuration;
using Tccg.Core.Twitch;
using Tccg.Core.Compilations;
using Tccg.Server.Application;
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

    public static async Task<Ok<GameView[]>> ListAsync(HttpContext http, ClipBinService service, CancellationToken ct) =>
        TypedResults.Ok((await service.ListGamesAsync(http.Caller(), ct)).ToArray());

    public static async Task<Ok<GameView>> GetAsync(long id, HttpContext http, ClipBinService service, CancellationToken ct) =>
        TypedResults.Ok(await service.GetGameAsync(http.Caller(), id, ct));

    public static async Task<Created<GameView>> AddAsync(AddGameRequest request, HttpContext http, ClipBinService service, CancellationToken ct)
    {
        var game = await service.AddGameAsync(http.Caller(), request.Name, ct);
        return TypedResults.Created($"/api/v1/games/{game.Id}", game);
    }

    public static async Task<Ok<GameView>> UpdateAsync(long id, UpdateGameRequest request, HttpContext http, ClipBinService service, CancellationToken ct) =>
        TypedResults.Ok(await service.UpdateGameAsync(http.Caller(), id, request, ct));

    public static async Task<NoContent> DeleteAsync(long id, HttpContext http, ClipBinService service, CancellationToken ct)
    {
        await service.RemoveGameAsync(http.Caller(), id, ct);
        return TypedResults.NoContent();
    }
}

/// <summary>Limits on game filters and schedules, with messages that name the field.</summary>
public static class GameRules
{
    public static ValidationMessage? Check(ClipFilters? filters, GameSchedule? schedule)
    {
        if (filters?.Check() is { } problem)
            return problem;

        if (schedule is not null)
        {
            if (schedule.IntervalMinutes < 0 || schedule.IntervalMinutes > 60 * 24 * 30)
                return new("schedule.intervalMinutes", "must be between 0 (manual) and 43200.");
            if (schedule.TargetUnreviewed < 0 || schedule.TargetUnreviewed > 100_000)
                return new("schedule.targetUnreviewed", "must be between 0 and 100000.");
        }

        return null;
    }
}
