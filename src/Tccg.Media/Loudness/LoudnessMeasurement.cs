namespace Tccg.Media.Loudness;

/// <summary>
/// EBU R128 loudness of a file's audio as it is rendered (48 kHz stereo).
/// Silence and files without audio measure <see cref="SilenceLufs"/> / <see cref="SilenceDb"/>
/// rather than minus infinity, so the values store in any database and JSON.
/// </summary>
/// <param name="IntegratedLufs">Integrated loudness in LUFS.</param>
/// <param name="TruePeakDb">Peak in dB: true peak (dBTP) from a render's <c>ebur128=peak=true</c>; the sample peak (dBFS, a
/// lower bound of the true peak) from <see cref="LoudnessMeter"/>, whose callers only read the integrated value.</param>
/// <param name="LoudnessRangeLu">Loudness range in LU.</param>
public sealed record LoudnessMeasurement(double IntegratedLufs, double TruePeakDb, double LoudnessRangeLu)
{
    /// <summary>The EBU R128 absolute gate: anything quieter counts as silence.</summary>
    public const double SilenceLufs = Tccg.Core.Timeline.AudioRules.SilenceLufs;

    /// <summary>Stand-in true peak for digital silence.</summary>
    public const double SilenceDb = -144;

    public static LoudnessMeasurement Silence { get; } = new(SilenceLufs, SilenceDb, 0);

    public bool IsSilent => IntegratedLufs <= SilenceLufs;
}
