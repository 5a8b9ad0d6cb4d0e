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
    }

    /// <summary>The body of the first top-level box of <paramref name="type"/>, walking box headers from the start of the file.</summary>
    private static byte[]? ReadTopLevelBox(FileStream file, ReadOnlySpan<byte> type)
    {
        Span<byte> header = stackalloc byte[16];
        long position = 0;
        var length = file.Length;
        while (position + 8 <= length)
        {
            file.Position = position;
            if (file.ReadAtLeast(header[..8], 8, throwOnEndOfStream: false) < 8)
                return null;
            long size = BinaryPrimitives.ReadUInt32BigEndian(header);
            var headerSize = 8;
            if (size == 1)
            {
                if (file.ReadAtLeast(header.Slice(8, 8), 8, throwOnEndOfStream: false) < 8)
                    return null;
                size = (long)BinaryPrimitives.ReadUInt64BigEndian(header.Slice(8, 8));
                headerSize = 16;
            }
            else if (size == 0)
            {
                size = length - position; // the box runs to the end of the file
            }
            if (size < headerSize || position + size > length)
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
        while (at + 8 <= span.Length)
        {
            long size = BinaryPrimitives.ReadUInt32BigEndian(span[at..]);
            var headerSize = 8;
            if (size == 1)
            {
                if (at + 16 > span.Length)
                    break;
                size = (long)BinaryPrimitives.ReadUInt64BigEndian(span[(at + 8)..]);
                headerSize = 16;
            }
            else if (size == 0)
            {
                size = span.Length - at;
            }
            if (size < headerSize || at + size > span.Length)
                break;
            if (span.Slice(at + 4, 4).SequenceEqual(type))
                found.Add(parent.Slice(at + headerSize, (int)size - headerSize));
            at += (int)size;
        }
        return found;
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
