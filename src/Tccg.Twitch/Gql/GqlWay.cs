namespace Tccg.Twitch.Gql;

/// <summary>One way to ask GQL for a signed clip URL: a persisted query's operation name and its sha256 hash.</summary>
public sealed record GqlWay(string Operation, string Hash)
{
    public const string ShareClipRenderStatus = "ShareClipRenderStatus";
    public const string VideoAccessTokenClip = "VideoAccessToken_Clip";

    /// <summary><c>Operation:hash</c>, how a remembered way is stored.</summary>
    public string Key => Operation + ":" + Hash;

    /// <summary><c>ShareClipRenderStatus 66038e29…</c>, for messages and tables.</summary>
    public string Label => $"{Operation} {(Hash.Length > 8 ? Hash[..8] + "…" : Hash)}";

    /// <summary>The configuration key whose value this hash comes from.</summary>
    public string ConfigKey => Operation == VideoAccessTokenClip ? "Tccg:Twitch:VideoAccessTokenHash" : "Tccg:Twitch:ClipAccessHashes";

    /// <summary>The GQL request body: <c>{"operationName","variables","extensions":{"persistedQuery":{"version":1,"sha256Hash"}}}</c>.</summary>
    public object Body(string clipId) => new
    {
        operationName = Operation,
        variables = Operation == VideoAccessTokenClip ? (object)new { slug = clipId, platform = "web" } : new { slug = clipId },
        extensions = new { persistedQuery = new { version = 1, sha256Hash = Hash } },
    };
}
