using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Tccg.Core.Configuration;
using Tccg.Storage.Settings;
using Tccg.Twitch.Gql;
using Tccg.Twitch.Helix;

namespace Tccg.Twitch.Official;

/// <summary>
/// Official download URLs for channels a connected account may edit: <c>GET {HelixBase}/clips/downloads?editor_id=
/// &amp;broadcaster_id=&amp;clip_id=</c> with the account's user token (refreshed when it expires or Helix answers 401).
/// The landscape URL is used (either may be null; both expire, so they are never stored). A 403 (the account does not
/// edit that channel) drops the channel for this process; any failure falls back to GQL. Singleton.
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
    private static readonly TimeSpan ListFor = TimeSpan.FromSeconds(30);
    private readonly ConcurrentDictionary<string, (string Token, DateTimeOffset ExpiresAt)> _tokens = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, byte> _refused = new(StringComparer.Ordinal);
    private volatile Tuple<IReadOnlyList<TwitchConnection>, DateTimeOffset>? _connections;

    /// <summary>Calls answered with a URL (for tests and the doctor).</summary>
    public long Served => Interlocked.Read(ref _served);

    private long _served;

    /// <summary>Forget the cached accounts (one was connected or removed).</summary>
    public void Invalidate()
    {
        _connections = null;
        _refused.Clear();
    }

    /// <summary>A fresh official URL, or null when no connected account edits the channel or Twitch did not give one.</summary>
    public async Task<ClipUrlResult.Ready?> TryResolveAsync(string clipId, string broadcasterId, CancellationToken ct)
    {
        var connection = (await ConnectionsAsync(ct)).FirstOrDefault(c => c.Channels.Contains(broadcasterId, StringComparer.Ordinal)
            && !_refused.ContainsKey(c.TwitchUserId + "/" + broadcasterId));
        if (connection is null)
            return null;
        try
        {
            for (var attempt = 0; attempt < 2; attempt++)
            {
                var token = await TokenAsync(connection, renew: attempt > 0, ct);
                var url = $"{options.Value.HelixBaseUrl.TrimEnd('/')}/clips/downloads?editor_id={Uri.EscapeDataString(connection.TwitchUserId)}"
                    + $"&broadcaster_id={Uri.EscapeDataString(broadcasterId)}&clip_id={Uri.EscapeDataString(clipId)}";
                using var request = new HttpRequestMessage(HttpMethod.Get, url);
                request.Headers.TryAddWithoutValidation("Client-Id", options.Value.ClientId);
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
                using var response = await httpFactory.CreateClient(HttpClientName).SendAsync(request, ct);
                var body = await response.Content.ReadAsStringAsync(ct);
                if (response.StatusCode == HttpStatusCode.Unauthorized && attempt == 0)
                    continue;
                if (response.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.Unauthorized)
                {
                    _refused[connection.TwitchUserId + "/" + broadcasterId] = 0;
                    logger.LogWarning("Twitch account {Login} may not download clips of channel {Broadcaster} ({Status}: {Message}); using GQL for it",
                        connection.Login, broadcasterId, (int)response.StatusCode, HelixJson.ErrorMessage(body));
                    return null;
                }
                if (!response.IsSuccessStatusCode)
                {
                    logger.LogInformation("Official download of clip {ClipId} answered {Status}; using GQL", clipId, (int)response.StatusCode);
                    return null;
                }
                var landscape = Landscape(body, clipId);
                if (landscape is null)
                    return null;
                Interlocked.Increment(ref _served);
                return new ClipUrlResult.Ready(landscape, "official", null, null);
            }
        }
        catch (Exception e) when (e is TwitchApiException or HttpRequestException or JsonException && !ct.IsCancellationRequested)
        {
            logger.LogWarning("Official download of clip {ClipId} failed ({Message}); using GQL", clipId, e.Message);
        }
        return null;
    }

    /// <summary><c>data[]{clip_id, landscape_download_url, portrait_download_url}</c>: this clip's landscape URL, or null.</summary>
    public static Uri? Landscape(string body, string clipId)
    {
        using var doc = JsonDocument.Parse(body);
        if (!doc.RootElement.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.Array)
            return null;
        foreach (var item in data.EnumerateArray())
        {
            if (item.TryGetProperty("clip_id", out var id) && id.GetString() == clipId
                && item.TryGetProperty("landscape_download_url", out var url) && url.ValueKind == JsonValueKind.String
                && Uri.TryCreate(url.GetString(), UriKind.Absolute, out var uri))
                return uri;
        }
        return null;
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
