using System.Globalization;
using Tccg.TwitchSim.World;

namespace Tccg.TwitchSim.Cdn;

/// <summary>One MP4 the CDN can serve; files are cached by <see cref="FileName"/>, so equal specs share a file.</summary>
/// <param name="Deciseconds">Length in tenths of a second (clip durations have one decimal).</param>
/// <param name="AudioSeed">Non-zero: the audio is the melody of this seed (<see cref="TwitchSimOptions.DistinctAudio"/>), else one tone per format.</param>
/// <param name="AudioOffsetDeciseconds">Where in the melody the audio starts.</param>
internal sealed record MediaSpec(MediaProfile Profile, int Width, int Height, int Fps, int Deciseconds, int SampleRate, int Channels,
    int AudioSeed = 0, int AudioOffsetDeciseconds = 0)
{
    public bool HasAudio => Channels > 0;

    /// <summary>The spec with <paramref name="clip"/>'s own melody (small media lengthened to 8–10 s so planted pairs share ≥ 6 s).</summary>
    public MediaSpec WithAudioOf(SimClip clip, MediaSize size) => !HasAudio ? this : this with
    {
        AudioSeed = clip.AudioSeed,
        AudioOffsetDeciseconds = clip.AudioOffsetDeciseconds,
        Deciseconds = size == MediaSize.Small ? (8 + (int)(WorldGenerator.StableHash(clip.Id) % 3)) * 10 : Deciseconds,
    };

    /// <summary>Length in seconds as ffmpeg reads it ("18.3").</summary>
    public string SecondsText => (Deciseconds / 10.0).ToString("0.0", CultureInfo.InvariantCulture);

    public string FileName => string.Create(CultureInfo.InvariantCulture,
        $"{Profile}-{Width}x{Height}-{Fps}fps-{SecondsText}s-{(HasAudio ? $"{SampleRate}hz{Channels}ch" : "noaudio")}{(AudioSeed != 0 ? $"-melody{AudioSeed}at{AudioOffsetDeciseconds}" : "")}-v2.mp4");

    /// <summary>The native format of a profile: (width, height, fps, sample rate, channels).</summary>
    public static (int Width, int Height, int Fps, int SampleRate, int Channels) Native(MediaProfile profile) => profile switch
    {
        MediaProfile.Landscape1080p60 => (1920, 1080, 60, 48000, 2),
        MediaProfile.Landscape720p30 => (1280, 720, 30, 48000, 2),
        MediaProfile.Mono44k720p30 => (1280, 720, 30, 44100, 1),
        MediaProfile.NoAudio720p30 => (1280, 720, 30, 0, 0),
        MediaProfile.Vertical1080x1920 => (1080, 1920, 30, 48000, 2),
        _ => throw new ArgumentOutOfRangeException(nameof(profile)),
    };

    /// <summary>GQL quality names (highest first) offered for a profile, with the frame rate of each.</summary>
    public static IReadOnlyList<(int Quality, int Fps)> Qualities(MediaProfile profile) => profile switch
    {
        MediaProfile.Landscape1080p60 => [(1080, 60), (720, 60), (480, 30), (360, 30)],
        MediaProfile.Vertical1080x1920 => [(1080, 30), (720, 30), (480, 30)],
        _ => [(720, 30), (480, 30), (360, 30)],
    };

    /// <summary>Nominal width and height of a quality (what GQL reports).</summary>
    public static (int Width, int Height) Dimensions(MediaProfile profile, int quality) =>
        profile == MediaProfile.Vertical1080x1920
            ? (quality, Even(quality * 16 / 9.0))
            : (Even(quality * 16 / 9.0), quality);

    /// <summary>What the CDN serves for a clip's quality: tiny in <see cref="MediaSize.Small"/>, the real size in Full.</summary>
    public static MediaSpec For(MediaProfile profile, int quality, int qualityFps, MediaSize size, double clipDuration, string slug, int maxSeconds)
    {
        var native = Native(profile);
        if (size == MediaSize.Small)
        {
            var seconds = 2 + (int)(WorldGenerator.StableHash(slug) % 3);
            var (w, h) = profile == MediaProfile.Vertical1080x1920 ? (180, 320) : (320, 180);
            return new MediaSpec(profile, w, h, native.Fps, seconds * 10, native.SampleRate, native.Channels);
        }

        var (width, height) = Dimensions(profile, quality);
        var full = Math.Clamp((int)Math.Round(clipDuration * 10, MidpointRounding.AwayFromZero), 10, MaxDeciseconds(maxSeconds));
        return new MediaSpec(profile, width, height, Math.Min(qualityFps, native.Fps), full, native.SampleRate, native.Channels);
    }

    /// <summary>The longest full-size file, of which shorter ones are cuts.</summary>
    public static int MaxDeciseconds(int maxSeconds) => Math.Max(1, maxSeconds) * 10;

    private static int Even(double value) => ((int)Math.Round(value) + 1) / 2 * 2;
}
