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
/// Twitch rotated the persisted-query hash of ShareClipRenderStatus: every download fails until
/// <c>Tccg:Twitch:ClipAccessHash</c> is updated. Stops a download run.
/// </summary>
public sealed class ClipAccessHashRotatedException(string hash)
    : DownloadsBlockedException(
        $"Twitch rejected the clip access hash {hash} (PersistedQueryNotFound): Twitch has rotated it. "
        + "Downloads cannot continue until you set Tccg:Twitch:ClipAccessHash (environment variable "
        + "Tccg__Twitch__ClipAccessHash) to the current sha256Hash of the ShareClipRenderStatus query.",
        "Tccg:Twitch:ClipAccessHash")
{
    public string Hash { get; } = hash;
}

/// <summary>GQL refuses the <c>Client-ID</c> header: <c>Tccg:Twitch:GqlClientId</c> needs the current web client id.</summary>
public sealed class GqlClientIdRejectedException(string clientId, string twitchMessage)
    : DownloadsBlockedException(
        $"Twitch GQL rejected the Client-ID {clientId} ({twitchMessage}). Downloads cannot continue until you set "
        + "Tccg:Twitch:GqlClientId (environment variable Tccg__Twitch__GqlClientId) to the Client-ID twitch.tv itself sends to gql.twitch.tv.",
        "Tccg:Twitch:GqlClientId", HttpStatusCode.BadRequest);
