using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.Extensions.Logging;
using Tccg.Core.Twitch;

namespace Tccg.Twitch.Helix;

/// <summary>
/// The Helix endpoints Tccg uses. A typed client: auth, pacing and retries live in the handler
/// pipeline that <see cref="TwitchServiceCollectionExtensions.AddTccgTwitch"/> builds.
/// </summary>
public sealed class HelixClient(HttpClient http, ILogger<HelixClient> logger)
{
    /// <summary>Largest <c>first</c> Helix accepts, and the most ids per <c>/users</c> or <c>/games</c> call.</summary>
    public const int PageSize = 100;

    /// <summary>A game by its exact name (Helix matches names exactly), or null.</summary>
    public async Task<HelixGame?> GetGameByNameAsync(string name, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var page = await GetPageAsync<HelixGame>($"games?name={Uri.EscapeDataString(name.Trim())}", "games by name", ct);
        return page.Data.Count > 0 ? page.Data[0] : null;
    }

    /// <summary>Games by id (at most 100 per call; more are fetched in batches).</summary>
    public async Task<IReadOnlyList<HelixGame>> GetGamesByIdAsync(IEnumerable<string> ids, CancellationToken ct)
    {
        var result = new List<HelixGame>();
        foreach (var batch in ids.Distinct(StringComparer.Ordinal).Chunk(PageSize))
        {
            var query = string.Join('&', batch.Select(id => "id=" + Uri.EscapeDataString(id)));
            result.AddRange((await GetPageAsync<HelixGame>("games?" + query, "games by id", ct)).Data);
        }
        return result;
    }

    /// <summary>One page of <c>/games/top</c>.</summary>
    public Task<HelixPage<HelixGame>> GetTopGamesAsync(int first, string? after, CancellationToken ct)
    {
        var query = new StringBuilder("games/top?first=").Append(Math.Clamp(first, 1, PageSize).ToString(CultureInfo.InvariantCulture));
        if (after is not null)
            query.Append("&after=").Append(Uri.EscapeDataString(after));
        return GetPageAsync<HelixGame>(query.ToString(), "top games", ct);
    }

    /// <summary>Users by id, 100 per call (the login is what channel links need).</summary>
    public async Task<IReadOnlyList<HelixUser>> GetUsersByIdAsync(IEnumerable<string> ids, CancellationToken ct)
    {
        var result = new List<HelixUser>();
        foreach (var batch in ids.Where(id => id.Length > 0).Distinct(StringComparer.Ordinal).Chunk(PageSize))
        {
            var query = string.Join('&', batch.Select(id => "id=" + Uri.EscapeDataString(id)));
            result.AddRange((await GetPageAsync<HelixUser>("users?" + query, "users by id", ct)).Data);
        }
        return result;
    }

    /// <summary>The user with this login (case-insensitive), or null when Twitch has none.</summary>
    public async Task<HelixUser?> GetUserByLoginAsync(string login, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(login);
        var page = await GetPageAsync<HelixUser>("users?login=" + Uri.EscapeDataString(login.Trim().ToLowerInvariant()), "users by login", ct);
        return page.Data.Count > 0 ? page.Data[0] : null;
    }

    /// <summary>One page of a game's clips created in <c>[startedAt, endedAt)</c>, most viewed first.</summary>
    public Task<HelixPage<HelixClip>> GetClipsAsync(
        string gameId, DateTimeOffset startedAt, DateTimeOffset endedAt, string? after, CancellationToken ct, int first = PageSize) =>
        GetClipsAsync(ClipScope.Game(gameId), startedAt, endedAt, after, ct, first);

    /// <summary>One page of a game's or a channel's clips created in <c>[startedAt, endedAt)</c>, most viewed first.</summary>
    public Task<HelixPage<HelixClip>> GetClipsAsync(
        ClipScope scope, DateTimeOffset startedAt, DateTimeOffset endedAt, string? after, CancellationToken ct, int first = PageSize)
    {
        var query = new StringBuilder("clips?").Append(scope.Parameter).Append('=').Append(Uri.EscapeDataString(scope.TwitchId))
            .Append("&started_at=").Append(Uri.EscapeDataString(Rfc3339(startedAt)))
            .Append("&ended_at=").Append(Uri.EscapeDataString(Rfc3339(endedAt)))
            .Append("&first=").Append(Math.Clamp(first, 1, PageSize).ToString(CultureInfo.InvariantCulture));
        if (after is not null)
            query.Append("&after=").Append(Uri.EscapeDataString(after));
        return GetPageAsync<HelixClip>(query.ToString(), "clips", ct);
    }

    /// <summary>Clips by id (100 per call).</summary>
    public async Task<IReadOnlyList<HelixClip>> GetClipsByIdAsync(IEnumerable<string> ids, CancellationToken ct)
    {
        var result = new List<HelixClip>();
        foreach (var batch in ids.Distinct(StringComparer.Ordinal).Chunk(PageSize))
        {
            var query = string.Join('&', batch.Select(id => "id=" + Uri.EscapeDataString(id)));
            result.AddRange((await GetPageAsync<HelixClip>("clips?" + query, "clips by id", ct)).Data);
        }
        return result;
    }

    public static string Rfc3339(DateTimeOffset instant) =>
        instant.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private async Task<HelixPage<T>> GetPageAsync<T>(string relative, string what, CancellationToken ct)
    {
        using var response = await http.GetAsync(new Uri(relative, UriKind.Relative), HttpCompletionOption.ResponseContentRead, ct);
        var body = await response.Content.ReadAsStringAsync(ct);
        if (!response.IsSuccessStatusCode)
        {
            logger.LogWarning("Helix {What} failed with {Status}: {Body}", what, (int)response.StatusCode, HelixJson.Snippet(body));
            throw new TwitchApiException(Describe(response.StatusCode, what, HelixJson.ErrorMessage(body)), response.StatusCode);
        }
        return HelixJson.ParsePage<T>(body, what);
    }

    private static string Describe(HttpStatusCode status, string what, string message) => status switch
    {
        HttpStatusCode.Unauthorized =>
            $"Twitch rejected the app token for {what} even after fetching a new one (check Tccg:Twitch:ClientId and ClientSecret): {message}",
        HttpStatusCode.TooManyRequests => $"Twitch kept rate-limiting {what} (429) after waiting: {message}",
        _ => $"Twitch answered {(int)status} {status} for {what}: {message}",
    };
}
