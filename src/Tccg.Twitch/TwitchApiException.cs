using System.Net;

namespace Tccg.Twitch;

/// <summary>Twitch answered with an error or a body we cannot read. The message names the endpoint.</summary>
public class TwitchApiException(string message, HttpStatusCode? status = null, Exception? inner = null)
    : Exception(message, inner)
{
    public HttpStatusCode? StatusCode { get; } = status;
}

/// <summary>
/// Twitch rotated the persisted-query hash of ShareClipRenderStatus: every download fails until
/// <c>Tccg:Twitch:ClipAccessHash</c> is updated. Stops a download run.
/// </summary>
public sealed class ClipAccessHashRotatedException(string hash)
    : TwitchApiException(
        $"Twitch rejected the clip access hash {hash} (PersistedQueryNotFound): Twitch has rotated it. "
        + "Downloads cannot continue until you set Tccg:Twitch:ClipAccessHash (environment variable "
        + "Tccg__Twitch__ClipAccessHash) to the current sha256Hash of the ShareClipRenderStatus query.")
{
    public string Hash { get; } = hash;
}
