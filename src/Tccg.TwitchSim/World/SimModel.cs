namespace Tccg.TwitchSim.World;

/// <summary>The media formats the simulated CDN serves (each made once by ffmpeg and cached).</summary>
public enum MediaProfile
{
    /// <summary>1920x1080, 60 fps, 48 kHz stereo.</summary>
    Landscape1080p60,

    /// <summary>1280x720, 30 fps, 48 kHz stereo.</summary>
    Landscape720p30,

    /// <summary>1280x720, 30 fps, 44.1 kHz mono.</summary>
    Mono44k720p30,

    /// <summary>1280x720, 30 fps, no audio stream at all.</summary>
    NoAudio720p30,

    /// <summary>1080x1920, 30 fps, 48 kHz stereo: the portrait asset.</summary>
    Vertical1080x1920,
}

/// <summary>A category.</summary>
public sealed record SimGame(string Id, string Name, string IgdbId);

/// <summary>A Twitch user (broadcaster or clip creator). <see cref="DisplayName"/> may differ from <see cref="Login"/> beyond case.</summary>
public sealed record SimUser(
    string Id,
    string Login,
    string DisplayName,
    string Language,
    DateTimeOffset CreatedAt,
    string BroadcasterType,
    string Description);

/// <summary>One clip. Metadata is fixed by the seed; <see cref="IsDeleted"/>, <see cref="IsCreating"/> and <see cref="IsMediaBroken"/> are run-time knobs.</summary>
public sealed class SimClip
{
    private volatile bool _deleted;
    private volatile bool _creating;
    private volatile bool _mediaBroken;
    private readonly int _audioSeed;

    public required string Id { get; init; }
    public required SimUser Broadcaster { get; init; }
    public required SimUser Creator { get; init; }
    public required string GameId { get; init; }

    /// <summary>"" when the clip has no VOD.</summary>
    public required string VideoId { get; init; }

    /// <summary>Null when the clip has no VOD.</summary>
    public int? VodOffset { get; init; }

    public required string Language { get; init; }
    public required string Title { get; init; }
    public int ViewCount { get; init; }
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>Seconds, one decimal; whole numbers serialise as JSON integers (<c>30</c>), like Twitch.</summary>
    public double Duration { get; init; }

    public bool IsFeatured { get; init; }
    public MediaProfile Profile { get; init; }

    /// <summary>GQL lists a portrait asset (aspect ratio below 1) before the landscape one.</summary>
    public bool HasPortrait { get; init; }

    /// <summary>A very old clip: legacy <c>clips-media-assets2</c> thumbnail whose <c>.mp4</c> mapping the CDN serves.</summary>
    public bool IsLegacy { get; init; }

    /// <summary>Comes back for windows just next to it (Twitch's loose window edges).</summary>
    public bool LeaksOutOfWindow { get; init; }

    /// <summary>Legacy media name (<c>{video}-offset-{n}</c>) for legacy clips.</summary>
    public string? LegacyMediaName { get; init; }

    /// <summary>Identifies the clip's rendered asset (part of its CDN path).</summary>
    public required string AssetId { get; init; }

    public bool IsDeleted
    {
        get => _deleted;
        internal set => _deleted = value;
    }

    public bool IsCreating
    {
        get => _creating;
        internal set => _creating = value;
    }

    /// <summary>The CDN answers 200 with an HTML error page instead of the clip's MP4 (a broken edge node).</summary>
    public bool IsMediaBroken
    {
        get => _mediaBroken;
        internal set => _mediaBroken = value;
    }

    public double? VodEnd => VodOffset is { } start ? start + Duration : null;

    /// <summary>
    /// Seeds the clip's melody when the simulator serves distinct audio (<see cref="TwitchSimOptions.DistinctAudio"/>).
    /// Defaults to a hash of the clip id (every clip its own melody); a planted twin takes its original's.
    /// </summary>
    public int AudioSeed
    {
        get => _audioSeed != 0 ? _audioSeed : (int)(WorldGenerator.StableHash(Id) & 0x3FFFFFFF) | 1;
        init => _audioSeed = value;
    }

    /// <summary>Where in its melody the clip's audio starts, in tenths of a second (a planted twin starts later than its original).</summary>
    public int AudioOffsetDeciseconds { get; init; }

    /// <summary>The id of the clip whose audio this one repeats (a planted pair), or null.</summary>
    public string? AudioTwinOf { get; init; }
}
