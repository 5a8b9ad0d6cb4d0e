using System.Net;

namespace Tccg.Twitch;

/// <summary>Twitch answered with an error or a body we cannot read. The message names the endpoint.</summary>
public class TwitchApiException(string message, HttpStatusCode? status = null, Exception? inner = null)
    : Exception(message, inner)
{
    public HttpStatusCode? StatusCode { get; } = status;
}

/// <summary>
/// Twitch no longer accepts a download setting (a rotated hash or client id): every clip would fail the same way, so
/// a download run stops at once with this one message, naming the configuration key to change.
/// </summary>
public abstract class DownloadsBlockedException(string message, string configKey, HttpStatusCode? status = null)
    : TwitchApiException(message, status)
{
    /// <summary>The configuration key that needs a new value, e.g. <c>Tccg:Twitch:ClipAccessHash</c>.</summary>
    public string ConfigKey { get; } = configKey;
}

/// <summary>
/// Twitch answered <c>PersistedQueryNotFound</c> for every way Tccg knows to get a signed clip URL (every
/// ShareClipRenderStatus hash and VideoAccessToken_Clip): downloads pause until a hash is updated. The message
/// says exactly what to update and how.
/// </summary>
public sealed class ClipAccessHashRotatedException(IReadOnlyList<Gql.GqlWay> stale)
    : DownloadsBlockedException(Describe(stale), "Tccg:Twitch:ClipAccessHashes")
{
    public IReadOnlyList<Gql.GqlWay> Stale { get; } = stale;

    /// <summary>The first stale hash (kept for callers that name one).</summary>
    public string Hash { get; } = stale.Count > 0 ? stale[0].Hash : "";

    private static string Describe(IReadOnlyList<Gql.GqlWay> stale) =>
        $"Twitch answered PersistedQueryNotFound for every way to get a clip URL ({string.Join(", ", stale.Select(w => w.Label))}): "
        + "Twitch has rotated its persisted-query hashes. Downloads are paused until you update them: on twitch.tv open a clip with the "
        + "browser's developer tools, copy extensions.persistedQuery.sha256Hash of the ShareClipRenderStatus request to gql.twitch.tv, and run "
        + "`tccg twitch set-hash --clip-access HASH` (or Admin → Twitch download settings, or set Tccg:Twitch:ClipAccessHashes / "
        + "Tccg:Twitch:ClipAccessHash; for VideoAccessToken_Clip, Tccg:Twitch:VideoAccessTokenHash). The next download uses it; no restart needed.";
}

/// <summary>Downloads are paused (every way failed earlier, under the same settings): the stored reason, until a setting changes.</summary>
public sealed class DownloadsPausedException(DownloadPauseInfo pause)
    : DownloadsBlockedException(pause.Message, pause.ConfigKey)
{
    public DateTimeOffset Since { get; } = pause.Since;
}

/// <summary>What <see cref="DownloadsPausedException"/> carries.</summary>
public sealed record DownloadPauseInfo(DateTimeOffset Since, string Message, string ConfigKey);

/// <summary>GQL refuses the <c>Client-ID</c> header: <c>Tccg:Twitch:GqlClientId</c> needs the current web client id.</summary>
public sealed class GqlClientIdRejectedException(string clientId, string twitchMessage)
    : DownloadsBlockedException(
        $"Twitch GQL rejected the Client-ID {clientId} ({twitchMessage}). Downloads are paused until you set "
        + "the Client-ID twitch.tv itself sends to gql.twitch.tv with `tccg twitch set-hash --gql-client-id ID` (or Admin → Twitch download "
        + "settings, or Tccg:Twitch:GqlClientId / Tccg__Twitch__GqlClientId). The next download uses it; no restart needed.",
        "Tccg:Twitch:GqlClientId", HttpStatusCode.BadRequest);
