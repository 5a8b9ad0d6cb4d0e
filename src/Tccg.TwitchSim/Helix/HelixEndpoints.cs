using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Primitives;
using Tccg.TwitchSim.Hosting;
using Tccg.TwitchSim.World;

namespace Tccg.TwitchSim.Helix;

/// <summary><c>/helix/games</c>, <c>/helix/games/top</c>, <c>/helix/users</c> and <c>/helix/clips</c> (auth and rate limit run in <see cref="SimGate"/>).</summary>
internal static class HelixEndpoints
{
    private const int MaxIds = 100;

    public static void MapHelix(this IEndpointRouteBuilder app)
    {
        var helix = app.MapGroup("/helix");
        helix.MapGet("/games", GetGames);
        helix.MapGet("/games/top", GetTopGames);
        helix.MapGet("/users", GetUsers);
        helix.MapGet("/clips", GetClips);
    }

    private static IResult GetGames(HttpRequest request, SimState state)
    {
        var ids = request.Query["id"];
        var names = request.Query["name"];
        var igdb = request.Query["igdb_id"];
        if (ids.Count + names.Count + igdb.Count == 0)
            return TwitchJson.Error(400, "Missing required parameter \"id\" or \"name\" or \"igdb_id\"");
        if (ids.Count + names.Count + igdb.Count > MaxIds)
            return TwitchJson.Error(400, "The number of items in the request exceeds the maximum of 100");

        var world = state.World;
        var found = new List<SimGame>();
        foreach (var id in ids)
        {
            if (id is not null && world.GamesById.TryGetValue(id, out var game))
                found.Add(game);
        }

        foreach (var name in names)
        {
            if (name is not null && world.GamesByName.TryGetValue(name, out var game))
                found.Add(game);
        }

        foreach (var id in igdb)
            found.AddRange(world.Games.Where(g => string.Equals(g.IgdbId, id, StringComparison.Ordinal)));

        var data = found.DistinctBy(g => g.Id).Select(g => g.ToDto(state.BaseUrl)).ToList();
        return Results.Json(new HelixData<GameDto>(data), TwitchJson.Helix);
    }

    private static IResult GetTopGames(HttpRequest request, SimState state)
    {
        if (!TryFirst(request.Query["first"], out var first, out var error))
            return error;
        if (!TryOffset(request.Query["after"], out var offset, out error))
            return error;
        var games = state.World.Games;
        var page = games.Skip(offset).Take(first).Select(g => g.ToDto(state.BaseUrl)).ToList();
        var next = offset + first < games.Count ? ClipIndex.EncodeCursor(offset + first) : null;
        return Results.Json(new HelixPage<GameDto>(page, new Pagination(next)), TwitchJson.Helix);
    }

    private static IResult GetUsers(HttpRequest request, SimState state)
    {
        var ids = request.Query["id"];
        var logins = request.Query["login"];
        if (ids.Count + logins.Count == 0)
            return TwitchJson.Error(400, "Must provide an ID, Login or OAuth Token.");
        if (ids.Count + logins.Count > MaxIds)
            return TwitchJson.Error(400, "The number of items in the request exceeds the maximum of 100");

        var world = state.World;
        var found = new List<SimUser>();
        foreach (var id in ids)
        {
            if (id is not null && world.UsersById.TryGetValue(id, out var user))
                found.Add(user);
        }

        foreach (var login in logins)
        {
            if (login is not null && world.UsersByLogin.TryGetValue(login, out var user))
                found.Add(user);
        }

        var data = found.DistinctBy(u => u.Id).Select(u => u.ToDto(state.BaseUrl)).ToList();
        return Results.Json(new HelixData<UserDto>(data), TwitchJson.Helix);
    }

    private static IResult GetClips(HttpRequest request, SimState state)
    {
        var query = request.Query;
        var ids = query["id"];
        var games = query["game_id"];
        var broadcasters = query["broadcaster_id"];
        var kinds = (ids.Count > 0 ? 1 : 0) + (games.Count > 0 ? 1 : 0) + (broadcasters.Count > 0 ? 1 : 0);
        if (kinds == 0)
            return TwitchJson.Error(400, "Missing required parameter \"broadcaster_id\" or \"game_id\" or \"id\"");
        if (kinds > 1 || games.Count > 1 || broadcasters.Count > 1)
            return TwitchJson.Error(400, "Exactly one of \"broadcaster_id\", \"game_id\" or \"id\" must be specified");

        if (ids.Count > 0)
        {
            // Helix ignores window, first and after for id lookups and sends no cursor.
            if (ids.Count > MaxIds)
                return TwitchJson.Error(400, "The parameter \"id\" was malformed: the number of items must be less than or equal to 100");
            var byId = ids.Distinct(StringComparer.Ordinal)
                .Select(id => id is not null && state.World.ClipsById.TryGetValue(id, out var clip) && !clip.IsDeleted ? clip : null)
                .OfType<SimClip>()
                .Select(c => c.ToDto(state.BaseUrl))
                .ToList();
            return Results.Json(new HelixPage<ClipDto>(byId, new Pagination(null)), TwitchJson.Helix);
        }

        if (!TryFirst(query["first"], out var first, out var error))
            return error;
        if (!TryOffset(query["after"], out var offset, out error))
            return error;
        if (!TryTime(query["started_at"], "started_at", out var startedAt, out error))
            return error;
        if (!TryTime(query["ended_at"], "ended_at", out var endedAt, out error))
            return error;
        bool? featured = null;
        if (query["is_featured"].FirstOrDefault() is { } featuredText)
        {
            if (!bool.TryParse(featuredText, out var value))
                return TwitchJson.Error(400, "The parameter \"is_featured\" was malformed: the value must be a boolean");
            featured = value;
        }

        // No started_at: all time (ended_at alone is ignored). started_at alone: a 7-day window.
        if (startedAt is null)
            endedAt = null;
        else
            endedAt ??= startedAt.Value.AddDays(7);
        if (startedAt is not null && endedAt < startedAt)
            return TwitchJson.Error(400, "The parameter \"ended_at\" must be later than \"started_at\"");

        var clipQuery = new ClipQuery(games.Count > 0, games.Count > 0 ? games[0]! : broadcasters[0]!, startedAt, endedAt, featured);
        var results = state.Clips.Resolve(clipQuery);
        var page = state.Clips.Page(results, offset, first);
        var data = page.Clips.Select(c => c.ToDto(state.BaseUrl)).ToList();
        var cursor = page.NextOffset is { } next ? ClipIndex.EncodeCursor(next) : null;
        return Results.Json(new HelixPage<ClipDto>(data, new Pagination(cursor)), TwitchJson.Helix);
    }

    private static bool TryFirst(StringValues values, out int first, out IResult error)
    {
        first = 20;
        error = Results.Empty;
        var text = values.FirstOrDefault();
        if (text is null)
            return true;
        if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out first))
            error = TwitchJson.Error(400, "The parameter \"first\" was malformed: the value must be a valid int");
        else if (first > 100)
            error = TwitchJson.Error(400, "The parameter \"first\" was malformed: the value must be less than or equal to 100");
        else if (first < 1)
            error = TwitchJson.Error(400, "The parameter \"first\" was malformed: the value must be greater than or equal to 1");
        else
            return true;
        return false;
    }

    private static bool TryOffset(StringValues values, out int offset, out IResult error)
    {
        offset = 0;
        error = Results.Empty;
        var text = values.FirstOrDefault();
        if (string.IsNullOrEmpty(text) || ClipIndex.TryDecodeCursor(text, out offset))
            return true;
        error = TwitchJson.Error(400, "The parameter \"after\" was malformed: invalid cursor");
        return false;
    }

    private static bool TryTime(StringValues values, string name, out DateTimeOffset? time, out IResult error)
    {
        time = null;
        error = Results.Empty;
        var text = values.FirstOrDefault();
        if (string.IsNullOrEmpty(text))
            return true;
        // An unencoded '+' in a query string arrives as a space.
        text = text.Replace(' ', '+');
        if (text.Contains('T', StringComparison.Ordinal)
            && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed))
        {
            time = parsed;
            return true;
        }

        error = TwitchJson.Error(400, $"The parameter \"{name}\" was malformed: the value must be a valid RFC3339 timestamp");
        return false;
    }
}
