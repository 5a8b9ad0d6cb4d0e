using System.Buffers.Binary;
using System.Globalization;
using Tccg.Core.Timeline;

namespace Tccg.Media.Rendering;

/// <summary>
/// The upload thumbnail every render writes beside its MP4 (<c>NAME.jpg</c>): 1280x720, or 1080x1920 for a
/// portrait output, one frame of the first clip at its loudest second, placed by the clip's layout, with the
/// streamer name in the overlay style.
/// </summary>
public static class Thumbnail
{
    public const int Width = 1280, Height = 720;

    /// <summary>The thumbnail's size for an output: portrait outputs get 1080x1920, the rest 1280x720.</summary>
    public static (int Width, int Height) SizeFor(OutputSettings output) =>
        output.Height > output.Width ? (1080, 1920) : (Width, Height);

    /// <summary>
    /// The start (in seconds from the file's start) of the loudest whole second of a 32-bit float WAV (the audio
    /// segments), by mean square over all channels; 0 for silence or a file shorter than a second.
    /// </summary>
    public static double LoudestSecond(string wavPath)
    {
        using var file = File.OpenRead(wavPath);
        using var reader = new BinaryReader(file);
        if (new string(reader.ReadChars(4)) != "RIFF")
            return 0;
        reader.ReadInt32();
        if (new string(reader.ReadChars(4)) != "WAVE")
            return 0;
        int channels = 2, rate = SegmentSpec.SampleRate;
        while (file.Position + 8 <= file.Length)
        {
            var id = new string(reader.ReadChars(4));
            var size = reader.ReadUInt32();
            if (id == "fmt ")
            {
                var fmt = reader.ReadBytes((int)size);
                channels = BinaryPrimitives.ReadInt16LittleEndian(fmt.AsSpan(2));
                rate = BinaryPrimitives.ReadInt32LittleEndian(fmt.AsSpan(4));
                continue;
            }
            if (id != "data")
            {
                file.Seek(size + (size & 1), SeekOrigin.Current);
                continue;
            }
            var frames = (long)Math.Min(size, file.Length - file.Position) / (4 * channels);
            var seconds = (int)(frames / rate);
            if (seconds <= 1)
                return 0;
            double best = -1;
            var bestAt = 0;
            var buffer = new byte[rate * channels * 4];
            for (var s = 0; s < seconds; s++)
            {
                file.ReadExactly(buffer);
                double sum = 0;
                for (var i = 0; i < buffer.Length; i += 4)
                {
                    var v = BinaryPrimitives.ReadSingleLittleEndian(buffer.AsSpan(i));
                    sum += v * v;
                }
                if (sum > best + 1e-9)
                    (best, bestAt) = (sum, s);
            }
            return best <= 1e-9 ? 0 : bestAt;
        }
        return 0;
    }

    /// <summary>
    /// ffmpeg arguments that write the thumbnail: the frame of <paramref name="clip"/> at <paramref name="offset"/>
    /// seconds into the piece, through the clip's own layout at the thumbnail size, the name drawn throughout.
    /// </summary>
    public static List<string> Command(SegmentSpec clip, double offset, string? overlayTextFile, string outputJpg)
    {
        var (w, h) = SizeFor(clip.Output);
        var overlay = clip.Overlay is { } o ? o with { Seconds = 0 } : null;
        var spec = clip with { Output = clip.Output with { Width = w, Height = h }, Frames = 1, TrimStart = clip.TrimStart + offset, Overlay = overlay, Caption = null };
        var args = new List<string> { "-hide_banner", "-nostdin", "-v", "error", "-y" };
        if (clip.HasVideo)
            args.AddRange(["-ss", FilterEscaping.Num(spec.TrimStart), "-t", "1", "-i", clip.Input.Path]);
        else
            args.AddRange(["-f", "lavfi", "-i", string.Create(CultureInfo.InvariantCulture, $"color=c=black:s={w}x{h}:r=1")]);
        args.AddRange(["-filter_complex", SegmentCommand.VideoChain(spec, "0:v:0", overlayTextFile),
            "-map", "[v]", "-frames:v", "1", "-pix_fmt", "yuvj420p", "-q:v", "3", "-f", "image2", "-update", "1", outputJpg]);
        return args;
    }
}
