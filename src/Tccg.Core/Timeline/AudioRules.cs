namespace Tccg.Core.Timeline;

/// <summary>
/// How a compilation's sound is mixed, written once: the renderer (<c>Renderer</c>, <c>FinalCommand</c> in Tccg.Media)
/// and the editor's in-page preview (handed these numbers as data) both follow them.
/// </summary>
public static class AudioRules
{
    /// <summary>Loudness normalisation never moves a piece by more than this, in dB.</summary>
    public const double MaxGainDb = 30;

    /// <summary>A measurement at or below this (LUFS) is silence: no normalisation gain.</summary>
    public const double SilenceLufs = -70;

    /// <summary>Music ducking (ffmpeg <c>sidechaincompress</c> keyed by the speech): level above which the music is reduced (linear, RMS).</summary>
    public const double DuckThreshold = 0.03;

    /// <summary>Music ducking: compression ratio above the threshold.</summary>
    public const double DuckRatio = 6;

    /// <summary>Music ducking: attack, in milliseconds.</summary>
    public const double DuckAttackMs = 20;

    /// <summary>Music ducking: release, in milliseconds.</summary>
    public const double DuckReleaseMs = 400;

    /// <summary>The gain (dB) that brings a piece measured at <paramref name="lufs"/> to <paramref name="target"/>.</summary>
    public static double LoudnessGainDb(double lufs, double target) =>
        lufs <= SilenceLufs ? 0 : Math.Clamp(target - lufs, -MaxGainDb, MaxGainDb);

    /// <summary>A volume factor (1 = unchanged, 2 = +6 dB) in dB.</summary>
    public static double VolumeDb(double volume) => 20 * Math.Log10(volume);

    /// <summary>The <c>sidechaincompress</c> options of the ducking (music first input, speech the key).</summary>
    public static string DuckFilterOptions { get; } = FormattableString.Invariant(
        $"threshold={DuckThreshold}:ratio={DuckRatio}:attack={DuckAttackMs}:release={DuckReleaseMs}");

    /// <summary>The ducking as the browser preview needs it.</summary>
    public static object DuckingForClient { get; } = new
    {
        threshold = DuckThreshold,
        ratio = DuckRatio,
        attackMs = DuckAttackMs,
        releaseMs = DuckReleaseMs,
    };
}
