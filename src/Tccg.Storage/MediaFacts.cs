namespace Tccg.Storage;

/// <summary>What ffprobe said about a media file; measured once and stored with the clip or asset.</summary>
/// <param name="Duration">Seconds.</param>
public sealed record MediaFacts(
    int Width,
    int Height,
    double Fps,
    string? VideoCodec,
    string? AudioCodec,
    bool HasAudio,
    int SampleRate,
    int Channels,
    double Duration);

/// <summary>A row asked for by id that does not exist.</summary>
public sealed class NotFoundInStoreException(string what) : InvalidOperationException($"{what} does not exist.");

/// <summary>A row would break a uniqueness rule (a user name or Twitch game id that is taken).</summary>
public sealed class DuplicateInStoreException(string what, Exception? inner = null)
    : InvalidOperationException($"{what} already exists.", inner);
