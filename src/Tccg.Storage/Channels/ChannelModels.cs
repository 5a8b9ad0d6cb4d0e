using Tccg.Core.Twitch;
using Tccg.Storage.Games;

namespace Tccg.Storage.Channels;

/// <summary>
/// A saved channel (a Twitch broadcaster followed as a clip source, beside games) with the same filters and
/// schedule a game has. <see cref="TwitchUserId"/> is the <c>broadcaster_id</c> of its clips.
/// </summary>
public sealed record Channel
{
    public long Id { get; init; }
    public required string TwitchUserId { get; init; }
    public required string Login { get; init; }
    public string DisplayName { get; init; } = "";
    public string ProfileImageUrl { get; init; } = "";
    public bool Enabled { get; init; } = true;
    public ClipFilters Filters { get; init; } = new();
    public GameSchedule Schedule { get; init; } = new();
    public DateTimeOffset? LastFindAt { get; init; }
    public DateTimeOffset? NextFindAt { get; init; }
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>The name to show: the display name, or the login when it has none.</summary>
    public string Name => DisplayName.Length > 0 ? DisplayName : Login;
}

public interface IChannelStore
{
    /// <summary>Saves a new channel (its <see cref="Channel.Id"/> and <see cref="Channel.CreatedAt"/> are ignored).</summary>
    /// <exception cref="DuplicateInStoreException">The Twitch user id is already saved.</exception>
    Task<Channel> AddAsync(Channel channel, CancellationToken ct);

    Task<Channel?> GetAsync(long id, CancellationToken ct);

    Task<Channel?> GetByTwitchIdAsync(string twitchUserId, CancellationToken ct);

    /// <summary>The saved channel with this login (case-insensitive), or null.</summary>
    Task<Channel?> GetByLoginAsync(string login, CancellationToken ct);

    /// <summary>Every saved channel by login.</summary>
    Task<IReadOnlyList<Channel>> ListAsync(CancellationToken ct);

    /// <summary>Writes login, names, enabled, filters and schedule; false when the channel does not exist.</summary>
    Task<bool> UpdateAsync(Channel channel, CancellationToken ct);

    Task SetFindTimesAsync(long id, DateTimeOffset lastFindAt, DateTimeOffset? nextFindAt, CancellationToken ct);

    /// <summary>Enabled channels whose next find time has come (or was never set).</summary>
    Task<IReadOnlyList<Channel>> DueForFindAsync(DateTimeOffset now, CancellationToken ct);

    Task<bool> DeleteAsync(long id, CancellationToken ct);
}
