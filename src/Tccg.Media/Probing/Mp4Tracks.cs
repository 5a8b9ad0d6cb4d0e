using System.Buffers.Binary;

namespace Tccg.Media.Probing;

/// <summary>
/// Reads which kinds of track an MP4 (ISO base media) file declares, from its <c>moov</c> box alone, without starting a
/// process: <c>moov/trak/mdia/hdlr</c> names each track's handler (<c>soun</c> for audio). The analysis pass uses it to
/// leave the fingerprint output out for a clip without audio, which ffmpeg would otherwise refuse only after a whole
/// process start.
/// </summary>
public static class Mp4Tracks
{
    /// <summary>A <c>moov</c> box larger than this is not read (real clips' are well under a megabyte).</summary>
    private const long MaxMoovBytes = 32 << 20;

    /// <summary>
    /// True when the file's <c>moov</c> box declares an audio track, false when it declares tracks and none is audio,
    /// null when the file is not an MP4 this reader understands (ffmpeg then decides).
    /// </summary>
    public static bool? HasAudioTrack(string path)
    {
        try
        {
            using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 4096, FileOptions.RandomAccess);
            var moov = ReadTopLevelBox(file, "moov"u8);
            if (moov is null)
                return null;
            var tracks = 0;
            foreach (var trak in Children(moov, "trak"u8))
            {
                tracks++;
                foreach (var mdia in Children(trak, "mdia"u8))
                {
                    foreach (var hdlr in Children(mdia, "hdlr"u8))
                    {
                        // version and flags (4), pre_defined (4), then the handler type.
                        if (hdlr.Length >= 12 && hdlr.Span.Slice(8, 4).SequenceEqual("soun"u8))
                            return true;
                    }
                }
            }
            return tracks > 0 ? false : null;
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
        catch (ArgumentException)
        {
            return null; // only a hint: whatever this reader cannot follow, ffmpeg decides
        }
    }

    /// <summary>The body of the first top-level box of <paramref name="type"/>, walking box headers from the start of the file.</summary>
    private static byte[]? ReadTopLevelBox(FileStream file, ReadOnlySpan<byte> type)
    {
        Span<byte> header = stackalloc byte[16];
        long position = 0;
        var length = file.Length;
        while (length - position >= 8)
        {
            file.Position = position;
            var read = file.ReadAtLeast(header, (int)Math.Min(16, length - position), throwOnEndOfStream: false);
            if (!TryReadHeader(header[..read], length - position, out var size, out var headerSize))
                return null;
            if (position == 0 && !IsBoxType(header.Slice(4, 4)))
                return null;
            if (header.Slice(4, 4).SequenceEqual(type))
            {
                if (size - headerSize > MaxMoovBytes)
                    return null;
                var body = new byte[size - headerSize];
                file.Position = position + headerSize;
                file.ReadExactly(body);
                return body;
            }
            position += size;
        }
        return null;
    }

    /// <summary>The bodies of the direct child boxes of <paramref name="type"/> inside a box body.</summary>
    private static List<ReadOnlyMemory<byte>> Children(ReadOnlyMemory<byte> parent, ReadOnlySpan<byte> type)
    {
        var found = new List<ReadOnlyMemory<byte>>();
        var span = parent.Span;
        var at = 0;
        while (span.Length - at >= 8 && TryReadHeader(span[at..Math.Min(span.Length, at + 16)], span.Length - at, out var size, out var headerSize))
        {
            if (span.Slice(at + 4, 4).SequenceEqual(type))
                found.Add(parent.Slice(at + headerSize, (int)size - headerSize));
            at += (int)size;
        }
        return found;
    }

    /// <summary>
    /// A box header (32-bit size and type, a 64-bit size when the first is 1, "to the end" when it is 0) whose box fits
    /// in the <paramref name="remaining"/> bytes from its start.
    /// </summary>
    private static bool TryReadHeader(ReadOnlySpan<byte> header, long remaining, out long size, out int headerSize)
    {
        size = 0;
        headerSize = 8;
        if (header.Length < 8)
            return false;
        size = BinaryPrimitives.ReadUInt32BigEndian(header);
        if (size == 1)
        {
            if (header.Length < 16)
                return false;
            var large = BinaryPrimitives.ReadUInt64BigEndian(header[8..]);
            if (large > long.MaxValue)
                return false;
            size = (long)large;
            headerSize = 16;
        }
        else if (size == 0)
        {
            size = remaining; // the box runs to the end
        }
        return size >= headerSize && size <= remaining;
    }

    /// <summary>Four printable ASCII characters, as every box type is (a text or random file fails here).</summary>
    private static bool IsBoxType(ReadOnlySpan<byte> type)
    {
        foreach (var b in type)
        {
            if (b is < 0x20 or > 0x7e)
                return false;
        }
        return true;
    }
}
