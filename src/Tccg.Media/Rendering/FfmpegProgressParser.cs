using System.Globalization;

namespace Tccg.Media.Rendering;

/// <summary>One block of <c>ffmpeg -progress</c> output (ended by a <c>progress=</c> line).</summary>
public sealed record FfmpegProgress(TimeSpan OutTime, long Frame, double? Speed, bool IsEnd);

/// <summary>
/// Pure, incremental parser for the key=value lines of <c>ffmpeg -progress pipe:1</c>. Feed lines
/// with <see cref="Push"/>; each completed block comes back as an <see cref="FfmpegProgress"/>.
/// </summary>
public sealed class FfmpegProgressParser
{
    private TimeSpan _outTime;
    private long _frame;
    private double? _speed;

    /// <summary>Returns a snapshot when <paramref name="line"/> ends a block, otherwise null.</summary>
    public FfmpegProgress? Push(string line)
    {
        var eq = line.IndexOf('=', StringComparison.Ordinal);
        if (eq <= 0)
            return null;
        var key = line[..eq].Trim();
        var value = line[(eq + 1)..].Trim();
        switch (key)
        {
            // out_time_us and (despite its name) out_time_ms are both microseconds; "N/A" before the first frame.
            case "out_time_us" or "out_time_ms":
                if (long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var us) && us >= 0)
                    _outTime = TimeSpan.FromTicks(us * 10);
                break;
            case "frame":
                if (long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var f))
                    _frame = f;
                break;
            case "speed":
                _speed = double.TryParse(value.TrimEnd('x'), NumberStyles.Float, CultureInfo.InvariantCulture, out var s) ? s : null;
                break;
            case "progress":
                return new FfmpegProgress(_outTime, _frame, _speed, value == "end");
        }
        return null;
    }

    /// <summary>Parses a whole saved output into its blocks.</summary>
    public static List<FfmpegProgress> ParseAll(IEnumerable<string> lines)
    {
        var parser = new FfmpegProgressParser();
        var list = new List<FfmpegProgress>();
        foreach (var line in lines)
        {
            if (parser.Push(line) is { } p)
                list.Add(p);
        }
        return list;
    }
}
