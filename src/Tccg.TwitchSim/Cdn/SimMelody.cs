using System.Globalization;

namespace Tccg.TwitchSim.Cdn;

/// <summary>The lavfi source of a clip's own audio when the simulator serves distinct audio (also used by benchmarks).</summary>
public static class SimMelody
{
    /// <summary>
    /// A seeded melody (two voices of pseudo-random notes, five and three a second) from <paramref name="offset"/>
    /// seconds in: distinct seeds give unrelated audio, the same seed the same audio, as a fingerprint sees it.
    /// </summary>
    public static string Filter(int seed, double offset, int sampleRate, string seconds)
    {
        var a = 12.9898 + (seed % 1000 * 0.0137);
        var c = seed * 78.233 % 1000;
        var t = string.Create(CultureInfo.InvariantCulture, $"(t+{offset:0.0##})");
        var voice1 = string.Create(CultureInfo.InvariantCulture,
            $"0.45*sin(2*PI*{t}*110*pow(2,floor(36*mod(abs(sin(floor({t}*5)*{a:0.######}+{c:0.######})*43758.5453),1))/12))");
        var voice2 = string.Create(CultureInfo.InvariantCulture,
            $"0.3*sin(2*PI*{t}*220*pow(2,floor(24*mod(abs(sin(floor({t}*3)*{a * 1.7:0.######}+{c * 1.3:0.######})*24634.6345),1))/12))");
        return string.Create(CultureInfo.InvariantCulture, $"aevalsrc='{voice1}+{voice2}':s={sampleRate}:d={seconds}");
    }
}
