using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Tccg.Core.Configuration;
using Tccg.Core.Tasks;
using Tccg.Storage.Settings;
using Tccg.Twitch.Gql;
using Tccg.Twitch.Helix;

namespace Tccg.Twitch.Official;

/// <summary>
/// Official download URLs for channels a connected account may edit: <c>GET {HelixBase}/clips/downloads?editor_id=
/// &amp;broadcaster_id=&amp;clip_id=…</c> with the account's user token (refreshed when it expires or Helix answers 401).
/// Calls are batched: the downloader announces the clips it is about to fetch (<see cref="Expect"/>), and the first
/// clip of a channel to be resolved asks for up to <see cref="MaxClipIdsPerCall"/> of that channel's announced clips
/// in one call; the others wait for that call instead of making their own. Answers are cached until shortly before
/// their URLs expire (the <c>expires</c> of the signed token, or <see cref="UnknownLifetime"/>), a null landscape URL
/// (still processing, or only a portrait asset) or a clip missing from the answer falls back to GQL, and a URL the
/// CDN refuses is forgotten (<see cref="Forget"/>) so the next resolve asks again. The endpoint's own rate limit
/// (100 calls a minute per user) is read from its <c>Ratelimit-*</c> headers: when the bucket is empty, clips go by
/// GQL until it refills (429s are waited out by the resilience pipeline). A 403 (the account does not edit that
/// channel) drops the channel for this process; any failure falls back to GQL. Singleton.
/// </summary>
public sealed class OfficialClipUrls(
    IServiceProvider services,
    IHttpClientFactory httpFactory,
    IOptions<TwitchOptions> options,
    ITwitchConnectionStore store,
    TimeProvider time,
    ILogger<OfficialClipUrls> logger)
{
    public const string HttpClientName = "twitch-official";

    /// <summary>Twitch takes at most this many <c>clip_id</c>s per call.</summary>
    public const int MaxClipIdsPerCall = 10;

    /// <summary>How long an answer is trusted when its URL carries no expiry we can read.</summary>
    public static readonly TimeSpan UnknownLifetime = TimeSpan.FromSeconds(60);

    /// <summary>When the bucket is empty and refills within this, the call waits for it; later refills send the clip to GQL.</summary>
    private static readonly TimeSpan MaxBudgetWait = TimeSpan.FromSeconds(5);

    private const int MaxPendingPerChannel = 2000;
    private const int CacheTrimAt = 5000;
    private static readonly TimeSpan ListFor = TimeSpan.FromSeconds(30);
    private readonly ConcurrentDictionary<string, (string Token, DateTimeOffset ExpiresAt)> _tokens = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, byte> _refused = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, CachedUrl> _urls = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Task> _asking = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (int Remaining, DateTimeOffset Reset)> _budgets = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<string>> _pending = new(StringComparer.Ordinal);
    private volatile Tuple<IReadOnlyList<TwitchConnection>, DateTimeOffset>? _connections;

    /// <summary>One clip's answer: its URLs (either may be null) and until when the landscape one may be handed out.</summary>
    private sealed record CachedUrl(Uri? Landscape, Uri? Portrait, DateTimeOffset UsableUntil);

    /// <summary>Clips resolved with an official URL (for tests and the doctor).</summary>
    public long Served => Interlocked.Read(ref _served);

    /// <summary><c>/clips/downloads</c> calls made (each for up to <see cref="MaxClipIdsPerCall"/> clips).</summary>
    public long Calls => Interlocked.Read(ref _calls);

    private long _served;
    private long _calls;

    /// <summary>Forget the cached accounts (one was connected or removed).</summary>
    public void Invalidate()
    {
        _connections = null;
        _refused.Clear();
        _urls.Clear();
    }

    /// <summary>
    /// Announces clips about to be resolved, in order, so one call can fetch the URLs of up to
    /// <see cref="MaxClipIdsPerCall"/> clips of the same channel. Clips of channels no account edits are ignored later.
    /// </summary>
    public void Expect(IEnumerable<(string ClipId, string? BroadcasterId)> clips)
    {
        lock (_pending)
        {
            foreach (var (clipId, broadcasterId) in clips)
            {
                if (broadcasterId is not { Length: > 0 })
                    continue;
                if (!_pending.TryGetValue(broadcasterId, out var list))
                    _pending[broadcasterId] = list = [];
                if (list.Count < MaxPendingPerChannel && !list.Contains(clipId, StringComparer.Ordinal))
                    list.Add(clipId);
            }
        }
    }

    /// <summary>The CDN refused this clip's official URL (expired early, revoked): the next resolve asks Twitch again.</summary>
    public void Forget(string clipId) => _urls.TryRemove(clipId, out _);

    /// <summary>A fresh official URL, or null when no connected account edits the channel or Twitch did not give one.</summary>
    public async Task<ClipUrlResult.Ready?> TryResolveAsync(string clipId, string broadcasterId, CancellationToken ct)
    {
        var connection = (await ConnectionsAsync(ct)).FirstOrDefault(c => c.Channels.Contains(broadcasterId, StringComparer.Ordinal)
            && !_refused.ContainsKey(c.TwitchUserId + "/" + broadcasterId));
        if (connection is null)
            return null;
        for (var round = 0; round < 3; round++)
        {
            if (_urls.TryGetValue(clipId, out var cached) && cached.UsableUntil > time.GetUtcNow())
                return Hand(cached);
            if (_asking.TryGetValue(clipId, out var inFlight))
            {
                // Another clip's call covers this one: wait for it, whatever it ended with, then look again.
                await inFlight.WaitAsync(ct).Settled();
                ct.ThrowIfCancellationRequested();
                continue;
            }
            if (round == 2 || _refused.ContainsKey(connection.TwitchUserId + "/" + broadcasterId) || !HasBudget(connection.TwitchUserId))
                break;
            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            if (Claim(broadcasterId, clipId, done.Task) is not { } batch)
                continue;
            try
            {
                if (!await AskAsync(connection, broadcasterId, batch, ct))
                    return null;
            }
            finally
            {
                foreach (var id in batch)
                    _asking.TryRemove(new KeyValuePair<string, Task>(id, done.Task));
                done.TrySetResult();
            }
        }
        return _urls.TryGetValue(clipId, out var last) && last.UsableUntil > time.GetUtcNow() ? Hand(last) : null;
    }

    private ClipUrlResult.Ready? Hand(CachedUrl cached)
    {
        if (cached.Landscape is null)
            return null;
        Interlocked.Increment(ref _served);
        return new ClipUrlResult.Ready(cached.Landscape, "official", null, null);
    }

    /// <summary>
    /// Claims <paramref name="clipId"/> and up to <see cref="MaxClipIdsPerCall"/> − 1 announced clips of its channel that
    /// need asking, for one call (<paramref name="call"/>); null when another call already covers the clip. Claiming is
    /// atomic, so concurrent resolves never split a channel's clips into part-filled calls.
    /// </summary>
    private List<string>? Claim(string broadcasterId, string clipId, Task call)
    {
        var now = time.GetUtcNow();
        lock (_pending)
        {
            if (!_asking.TryAdd(clipId, call))
                return null;
            var batch = new List<string> { clipId };
            if (!_pending.TryGetValue(broadcasterId, out var list))
                return batch;
            list.Remove(clipId);
            var i = 0;
            while (i < list.Count && batch.Count < MaxClipIdsPerCall)
            {
                var id = list[i];
                if (_asking.ContainsKey(id) || (_urls.TryGetValue(id, out var c) && c.UsableUntil > now) || !_asking.TryAdd(id, call))
                {
                    i++;
                    continue;
                }
                batch.Add(id);
                list.RemoveAt(i);
            }
            if (list.Count == 0)
                _pending.Remove(broadcasterId);
            return batch;
        }
    }

    /// <summary>One call for <paramref name="clipIds"/>; caches every answer. False when the call failed (the clips go by GQL).</summary>
    private async Task<bool> AskAsync(TwitchConnection connection, string broadcasterId, List<string> clipIds, CancellationToken ct)
    {
        if (!await TakeBudgetAsync(connection.TwitchUserId, ct))
            return false;
        try
        {
            for (var attempt = 0; attempt < 2; attempt++)
            {
                var token = await TokenAsync(connection, renew: attempt > 0, ct);
                var url = $"{options.Value.HelixBaseUrl.TrimEnd('/')}/clips/downloads?editor_id={Uri.EscapeDataString(connection.TwitchUserId)}"
                    + $"&broadcaster_id={Uri.EscapeDataString(broadcasterId)}" + string.Concat(clipIds.Select(id => "&clip_id=" + Uri.EscapeDataString(id)));
                using var request = new HttpRequestMessage(HttpMethod.Get, url);
                request.Headers.TryAddWithoutValidation("Client-Id", options.Value.ClientId);
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
                Interlocked.Increment(ref _calls);
                using var response = await httpFactory.CreateClient(HttpClientName).SendAsync(request, ct);
                ObserveBudget(connection.TwitchUserId, response);
                var body = await response.Content.ReadAsStringAsync(ct);
                if (response.StatusCode == HttpStatusCode.Unauthorized && attempt == 0)
                    continue;
                if (response.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.Unauthorized)
                {
                    _refused[connection.TwitchUserId + "/" + broadcasterId] = 0;
                    logger.LogWarning("Twitch account {Login} may not download clips of channel {Broadcaster} ({Status}: {Message}); using GQL for it",
                        connection.Login, broadcasterId, (int)response.StatusCode, HelixJson.ErrorMessage(body));
                    return false;
                }
                if (!response.IsSuccessStatusCode)
                {
                    logger.LogInformation("Official downloads of {Count} clips of channel {Broadcaster} answered {Status}; using GQL",
                        clipIds.Count, broadcasterId, (int)response.StatusCode);
                    return false;
                }
                var answers = Parse(body);
                var now = time.GetUtcNow();
                if (_urls.Count > CacheTrimAt)
                    foreach (var old in _urls.Where(kv => kv.Value.UsableUntil <= now).Select(kv => kv.Key).ToList())
                        _urls.TryRemove(old, out _);
                foreach (var id in clipIds)
                {
                    // Not in the answer (deleted, not this channel's): remembered as "no URL" for a while, so GQL decides.
                    var (landscape, portrait) = answers.GetValueOrDefault(id);
                    _urls[id] = new CachedUrl(landscape, portrait, UsableUntil(landscape ?? portrait, now));
                }
                return true;
            }
        }
        catch (Exception e) when (e is TwitchApiException or HttpRequestException or JsonException && !ct.IsCancellationRequested)
        {
            logger.LogWarning("Official downloads of {Count} clips of channel {Broadcaster} failed ({Message}); using GQL", clipIds.Count, broadcasterId, e.Message);
        }
        return false;
    }

    /// <summary>
    /// Until when a URL may be handed out: its expiry (the <c>expires</c> of a signed <c>token</c> query parameter, or an
    /// <c>Expires</c>/<c>expires</c> unix-seconds parameter) less a margin for the transfer to start (a quarter of its
    /// lifetime, at most 30 s); <see cref="UnknownLifetime"/> when it carries none.
    /// </summary>
    public static DateTimeOffset UsableUntil(Uri? url, DateTimeOffset now)
    {
        var expires = url is null ? null : ExpiryOf(url);
        if (expires is not { } at)
            return now + UnknownLifetime;
        var margin = TimeSpan.FromTicks(Math.Min(TimeSpan.FromSeconds(30).Ticks, Math.Max(0, (at - now).Ticks / 4)));
        return at - margin;
    }

    /// <summary>The expiry a signed URL carries, if it carries one we can read.</summary>
    public static DateTimeOffset? ExpiryOf(Uri url)
    {
        var query = System.Web.HttpUtility.ParseQueryString(url.Query);
        if (query["token"] is { Length: > 0 } token)
        {
            try
            {
                using var doc = JsonDocument.Parse(token);
                if (doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("expires", out var e) && e.TryGetInt64(out var unix))
                    return DateTimeOffset.FromUnixTimeSeconds(unix);
            }
            catch (JsonException)
            {
                // Not a JSON token: look for a plain parameter.
            }
        }
        foreach (var key in new[] { "Expires", "expires" })
            if (long.TryParse(query[key], System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var seconds))
                return DateTimeOffset.FromUnixTimeSeconds(seconds);
        return null;
    }

    /// <summary>False when the user's bucket is known to be empty for longer than <see cref="MaxBudgetWait"/>.</summary>
    private bool HasBudget(string userId)
    {
        lock (_budgets)
            return !_budgets.TryGetValue(userId, out var b) || b.Remaining > 0 || b.Reset - time.GetUtcNow() <= MaxBudgetWait;
    }

    /// <summary>
    /// Takes one call from the user's bucket (as the headers last told it; unknown means full), waiting when it refills
    /// soon; false when it is empty for longer (the clips go by GQL). Taken before the call, so concurrent calls never
    /// overdraw it.
    /// </summary>
    private async Task<bool> TakeBudgetAsync(string userId, CancellationToken ct)
    {
        TimeSpan wait;
        lock (_budgets)
        {
            if (!_budgets.TryGetValue(userId, out var budget) || budget.Reset <= time.GetUtcNow())
                return true;
            if (budget.Remaining > 0)
            {
                _budgets[userId] = (budget.Remaining - 1, budget.Reset);
                return true;
            }
            wait = budget.Reset - time.GetUtcNow();
            if (wait > MaxBudgetWait)
            {
                logger.LogInformation("Official downloads: the clips/downloads budget of user {UserId} is spent until {Reset:O}; using GQL meanwhile", userId, budget.Reset);
                return false;
            }
        }
        await Task.Delay(wait, time, ct);
        return true;
    }

    private void ObserveBudget(string userId, HttpResponseMessage response)
    {
        var reset = HelixRateLimiter.ResetOf(response);
        var remaining = response.StatusCode == HttpStatusCode.TooManyRequests ? 0
            : response.Headers.TryGetValues("Ratelimit-Remaining", out var values)
                && int.TryParse(values.FirstOrDefault(), System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var r) ? r : (int?)null;
        if (remaining is not { } left || reset is not { } at)
            return;
        lock (_budgets)
            _budgets[userId] = _budgets.TryGetValue(userId, out var old) && old.Reset >= at ? (Math.Min(left, old.Remaining), old.Reset) : (left, at);
    }

    /// <summary><c>data[]{clip_id, landscape_download_url, portrait_download_url}</c>: each clip's URLs (either may be null).</summary>
    public static Dictionary<string, (Uri? Landscape, Uri? Portrait)> Parse(string body)
    {
        var answers = new Dictionary<string, (Uri?, Uri?)>(StringComparer.Ordinal);
        using var doc = JsonDocument.Parse(body);
        if (!doc.RootElement.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.Array)
            return answers;
        foreach (var item in data.EnumerateArray())
            if (item.TryGetProperty("clip_id", out var id) && id.GetString() is { Length: > 0 } clipId)
                answers[clipId] = (UrlOf(item, "landscape_download_url"), UrlOf(item, "portrait_download_url"));
        return answers;

        static Uri? UrlOf(JsonElement item, string name) =>
            item.TryGetProperty(name, out var url) && url.ValueKind == JsonValueKind.String && Uri.TryCreate(url.GetString(), UriKind.Absolute, out var uri) ? uri : null;
    }

    private async Task<IReadOnlyList<TwitchConnection>> ConnectionsAsync(CancellationToken ct)
    {
        if (_connections is { } cached && time.GetUtcNow() - cached.Item2 < ListFor)
            return cached.Item1;
        var list = await store.ListAsync(ct);
        _connections = Tuple.Create(list, time.GetUtcNow());
        return list;
    }

    private async Task<string> TokenAsync(TwitchConnection connection, bool renew, CancellationToken ct)
    {
        if (!renew && _tokens.TryGetValue(connection.TwitchUserId, out var cached) && cached.ExpiresAt > time.GetUtcNow())
            return cached.Token;
        var accounts = (TwitchAccounts)services.GetService(typeof(TwitchAccounts))!;
        var fresh = await accounts.RefreshAsync(connection, time, ct);
        _tokens[connection.TwitchUserId] = fresh;
        return fresh.AccessToken;
    }
}
