namespace Tccg.Core.Twitch;

/// <summary>What a clip source follows: a Twitch category (game) or a Twitch channel (broadcaster).</summary>
public enum ClipSourceKind
{
    Game,
    Channel,
}

/// <summary>
/// The Helix clips query of one source: <c>game_id=</c> for a game, <c>broadcaster_id=</c> for a channel. Both are
/// sliced the same way past the ~1,000-clip cap.
/// </summary>
public readonly record struct ClipScope(ClipSourceKind Kind, string TwitchId)
{
    public static ClipScope Game(string twitchGameId) => new(ClipSourceKind.Game, twitchGameId);

    public static ClipScope Channel(string broadcasterId) => new(ClipSourceKind.Channel, broadcasterId);

    /// <summary>The Helix query parameter naming the source.</summary>
    public string Parameter => Kind == ClipSourceKind.Game ? "game_id" : "broadcaster_id";

    public override string ToString() => $"{Parameter}={TwitchId}";
}
