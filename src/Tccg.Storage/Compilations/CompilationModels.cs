namespace Tccg.Storage.Compilations;

/// <summary>A compilation being edited: settings and music are JSON documents owned by the editor.</summary>
public sealed record Compilation
{
    public long Id { get; init; }
    public long? OwnerId { get; init; }
    public required string Name { get; init; }
    /// <summary>The Twitch game id whose clips are reviewed for it, if any.</summary>
    public string? GameId { get; init; }
    /// <summary>The Twitch user id of the channel whose clips are reviewed for it, if any (instead of a game's).</summary>
    public string? ChannelId { get; init; }

    /// <summary>Whose clips the review queue shows: the channel's when set, else the game's; null when neither.</summary>
    public Tccg.Core.Twitch.ClipScope? ReviewScope =>
        ChannelId is { Length: > 0 } channel ? Tccg.Core.Twitch.ClipScope.Channel(channel)
        : GameId is { Length: > 0 } game ? Tccg.Core.Twitch.ClipScope.Game(game) : null;
    public string SettingsJson { get; init; } = "{}";
    public long? IntroAssetId { get; init; }
    public long? OutroAssetId { get; init; }
    public long? IntervalAssetId { get; init; }
    public long? FirstAssetId { get; init; }
    public string MusicJson { get; init; } = "{}";
    /// <summary>Visible to every editor, not only its owner.</summary>
    public bool Shared { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }
    /// <summary>Bumped by every write of the compilation or its items; writes name the version they read (optimistic concurrency).</summary>
    public long Version { get; init; } = 1;
}

/// <summary>One clip on a compilation's timeline. Trims are seconds from the start of the file; null means untrimmed.</summary>
/// <param name="LayoutJson">The item's own timeline layout object (JSON), set in the layout editor; null: the default.</param>
public sealed record CompilationItem(long ClipId, double? TrimStart = null, double? TrimEnd = null, double Volume = 1.0, string? LayoutJson = null);

public enum ReviewDecision
{
    Keep,
    Skip,
}

public sealed record ReviewEntry(long ClipId, ReviewDecision Decision, long? UserId, DateTimeOffset DecidedAt);

/// <summary>What one review changes: the clip's decision (null: forgotten) and the whole timeline after it.</summary>
public sealed record ReviewChange(long ClipId, ReviewDecision? Decision, IReadOnlyList<CompilationItem> Items);

/// <summary>A review written: the compilation's new version and the change.</summary>
public sealed record ReviewWrite(long Version, ReviewChange Change);

public interface ICompilationStore
{
    Task<Compilation> CreateAsync(Compilation compilation, CancellationToken ct);

    Task<Compilation?> GetAsync(long id, CancellationToken ct);

    /// <summary>Compilations a user may see: their own plus shared ones (every one when <paramref name="userId"/> is null).</summary>
    Task<IReadOnlyList<Compilation>> ListAsync(long? userId, CancellationToken ct);

    /// <summary>
    /// Writes everything but owner and creation time, and the items when given, in one transaction, only when the stored
    /// version is still <paramref name="expectedVersion"/> (<c>UPDATE … WHERE id = @id AND version = @expected</c>).
    /// Returns the new version, or null when someone saved in between or the compilation is gone.
    /// </summary>
    Task<long?> SaveAsync(Compilation compilation, IReadOnlyList<CompilationItem>? items, long expectedVersion, CancellationToken ct);

    /// <summary>
    /// Applies one review decision as one serialized write: the compilation row is locked (its version bumped) first, then
    /// <paramref name="decide"/> sees the items and decisions as they are under that lock and says which clip's decision
    /// changes to what (null forgets it: undo) and the timeline that follows; both are written and committed together.
    /// Concurrent reviews of one compilation (in any process) wait for each other instead of losing. Returns the new
    /// version and what was decided, or null when the compilation is gone; an exception from <paramref name="decide"/>
    /// rolls everything back.
    /// </summary>
    Task<ReviewWrite?> ReviewAsync(long compilationId, long? userId, Func<IReadOnlyList<CompilationItem>, IReadOnlyList<ReviewEntry>, ReviewChange> decide,
        CancellationToken ct);

    Task<bool> DeleteAsync(long id, CancellationToken ct);

    /// <summary>The timeline in order.</summary>
    Task<IReadOnlyList<CompilationItem>> GetItemsAsync(long compilationId, CancellationToken ct);

    /// <summary>Replaces the whole timeline in one transaction (positions follow the list order) and bumps the version, whatever it was (set-up and tools; editors use <see cref="SaveAsync"/>).</summary>
    Task SetItemsAsync(long compilationId, IReadOnlyList<CompilationItem> items, CancellationToken ct);

    /// <summary>Records (or changes) the keep/skip decision for a clip in this compilation.</summary>
    Task DecideAsync(long compilationId, long clipId, long? userId, ReviewDecision decision, CancellationToken ct);

    /// <summary>Forgets a decision (undo); false when there was none.</summary>
    Task<bool> UndecideAsync(long compilationId, long clipId, CancellationToken ct);

    /// <summary>Decisions in the order they were made.</summary>
    Task<IReadOnlyList<ReviewEntry>> GetDecisionsAsync(long compilationId, CancellationToken ct);
}
