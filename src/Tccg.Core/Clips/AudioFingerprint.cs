using System.Buffers.Binary;
using System.Numerics;

namespace Tccg.Core.Clips;

/// <summary>Where two fingerprints share audio: how long, and the item offset of the second against the first.</summary>
public sealed record AudioMatch(double Seconds, int Offset, double BitErrorRate);

/// <summary>
/// Chromaprint fingerprints (ffmpeg's <c>chromaprint</c> muxer, <c>-fp_format raw</c>): one 32-bit item per
/// <see cref="ItemSeconds"/> of audio. Stored as little-endian bytes (4 bytes per 0.124 s: about 2 KB for a
/// minute). Indexed by <see cref="Keys"/>: each pair of neighbouring items gives a 28-bit key, the top
/// <see cref="IndexBitsPerItem"/> bits of both. The same audio fingerprinted from two encodes, or from two starts a
/// fraction of an item apart, keeps most of those bits, while unrelated audio shares almost none; and with 2^28 keys
/// the posting lists stay a few entries long even with hundreds of thousands of clips in the bin, so the cost of a
/// lookup does not grow with the bin. <see cref="Compare"/> then aligns the two fingerprints at the offsets their
/// item keys (<see cref="KeyBits"/>) suggest and measures the longest stretch of items that agree (at most
/// <see cref="MaxItemBitErrors"/> of 32 bits differ; unrelated audio differs in about 16).
/// </summary>
public static class AudioFingerprint
{
    /// <summary>Chromaprint's item step: 4096-sample frames overlapping by two thirds at 11,025 Hz.</summary>
    public const double ItemSeconds = 4096.0 / 3 / 11025;

    /// <summary>Items chromaprint's filters use up at the edges: a clip of N seconds has about N / step - 21 items.</summary>
    public const int EdgeItems = 21;

    /// <summary>Bits of an item that make its key when <see cref="Compare"/> looks for the offsets to align at.</summary>
    public const int KeyBits = 18;

    /// <summary>Bits of each of two neighbouring items that make an index key (<see cref="Keys"/>): 2 x 14 = 28 bits.</summary>
    public const int IndexBitsPerItem = 14;

    /// <summary>An item agrees with another when at most this many of their 32 bits differ.</summary>
    public const int MaxItemBitErrors = 10;

    /// <summary>A stretch of agreeing items may bridge this many disagreeing ones in a row.</summary>
    public const int MaxGap = 3;

    public static byte[] ToBytes(ReadOnlySpan<uint> items)
    {
        var bytes = new byte[items.Length * 4];
        for (var i = 0; i < items.Length; i++)
            BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(i * 4), items[i]);
        return bytes;
    }

    public static uint[] FromBytes(ReadOnlySpan<byte> bytes)
    {
        var items = new uint[bytes.Length / 4];
        for (var i = 0; i < items.Length; i++)
            items[i] = BinaryPrimitives.ReadUInt32LittleEndian(bytes[(i * 4)..]);
        return items;
    }

    public static int Key(uint item) => (int)(item >> (32 - KeyBits));

    /// <summary>The index key of two neighbouring items: the top <see cref="IndexBitsPerItem"/> bits of each (non-negative).</summary>
    public static int IndexKey(uint first, uint second) =>
        (int)(((first >> (32 - IndexBitsPerItem)) << IndexBitsPerItem) | (second >> (32 - IndexBitsPerItem)));

    /// <summary>The distinct index keys of a fingerprint (one per pair of neighbouring items), sorted.</summary>
    public static int[] Keys(ReadOnlySpan<uint> items)
    {
        var keys = new HashSet<int>();
        for (var i = 0; i + 1 < items.Length; i++)
            keys.Add(IndexKey(items[i], items[i + 1]));
        var array = keys.ToArray();
        Array.Sort(array);
        return array;
    }

    /// <summary>Seconds of audio a stretch of <paramref name="items"/> agreeing items stands for.</summary>
    public static double SecondsOf(int items) => items <= 0 ? 0 : (items + EdgeItems) * ItemSeconds;

    /// <summary>The longest stretch of shared audio between two fingerprints, or null when they share none.</summary>
    public static AudioMatch? Compare(ReadOnlySpan<uint> a, ReadOnlySpan<uint> b)
    {
        if (a.Length == 0 || b.Length == 0)
            return null;
        // Offsets (a index - b index) suggested by items with equal keys; the best few are tried (±1 for rounding).
        var positions = new Dictionary<int, List<int>>();
        for (var j = 0; j < b.Length; j++)
        {
            var key = Key(b[j]);
            if (!positions.TryGetValue(key, out var list))
                positions[key] = list = [];
            list.Add(j);
        }
        var votes = new Dictionary<int, int>();
        for (var i = 0; i < a.Length; i++)
        {
            if (!positions.TryGetValue(Key(a[i]), out var list))
                continue;
            foreach (var j in list)
                votes[i - j] = votes.GetValueOrDefault(i - j) + 1;
        }
        AudioMatch? best = null;
        var tried = new HashSet<int>();
        foreach (var (offset, _) in votes.Where(v => v.Value >= 2).OrderByDescending(v => v.Value).Take(4))
        {
            for (var d = -1; d <= 1; d++)
            {
                if (!tried.Add(offset + d))
                    continue;
                var match = Align(a, b, offset + d);
                if (match is not null && (best is null || match.Seconds > best.Seconds))
                    best = match;
            }
        }
        return best;
    }

    /// <summary>The longest stretch of agreeing items with <c>a[i]</c> against <c>b[i - offset]</c>.</summary>
    public static AudioMatch? Align(ReadOnlySpan<uint> a, ReadOnlySpan<uint> b, int offset)
    {
        var from = Math.Max(0, offset);
        var to = Math.Min(a.Length, b.Length + offset);
        int bestStart = -1, bestEnd = -1, start = -1, last = -1, bestErrors = 0, errors = 0;
        for (var i = from; i < to; i++)
        {
            var bits = BitOperations.PopCount(a[i] ^ b[i - offset]);
            if (bits > MaxItemBitErrors)
            {
                if (start >= 0 && i - last > MaxGap)
                    start = -1;
                continue;
            }
            if (start < 0)
            {
                start = i;
                errors = 0;
            }
            errors += bits;
            last = i;
            if (last - start > bestEnd - bestStart)
                (bestStart, bestEnd, bestErrors) = (start, last, errors);
        }
        if (bestStart < 0)
            return null;
        var length = bestEnd - bestStart + 1;
        return new AudioMatch(SecondsOf(length), offset, bestErrors / (32.0 * length));
    }
}
