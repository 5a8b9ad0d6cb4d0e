using System.Net.Http.Headers;
using System.Text.Json;

namespace Tccg.Twitch.Gql;

/// <summary>
/// How every Twitch request looks, like yt-dlp's, streamlink's and TwitchDownloader's: JSON bodies buffered and sent
/// with <c>Content-Length</c> (never chunked: strict front ends refuse a body without its length), and the usual
/// headers (<c>Accept</c>, <c>Accept-Language</c>, a <c>User-Agent</c>).
/// </summary>
public static class TwitchRequests
{
    public const string UserAgent = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36 Tccg/1.0";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>A JSON body whose length is known before it is sent.</summary>
    public static ByteArrayContent JsonBody(object body)
    {
        var content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(body, Json));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        return content;
    }

    /// <summary>Adds the usual headers where the request has none of its own.</summary>
    public static void ApplyUsualHeaders(HttpRequestMessage request)
    {
        if (request.Headers.UserAgent.Count == 0)
            request.Headers.TryAddWithoutValidation("User-Agent", UserAgent);
        if (request.Headers.Accept.Count == 0)
            request.Headers.TryAddWithoutValidation("Accept", "application/json, */*");
        if (request.Headers.AcceptLanguage.Count == 0)
            request.Headers.TryAddWithoutValidation("Accept-Language", "en-US");
    }
}

/// <summary>
/// First handler of every Twitch client: the usual headers, and any body without a known length buffered so it goes
/// out with <c>Content-Length</c> instead of chunked.
/// </summary>
public sealed class TwitchRequestHandler : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        TwitchRequests.ApplyUsualHeaders(request);
        if (request.Content is { } content && content.Headers.ContentLength is null)
            await content.LoadIntoBufferAsync(cancellationToken);
        return await base.SendAsync(request, cancellationToken);
    }
}
