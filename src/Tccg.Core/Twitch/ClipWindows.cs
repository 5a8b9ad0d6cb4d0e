namespace Tccg.Core.Twitch;

/// <summary>How far back the finder looks (docs/twitch.md: Helix has no period parameter).</summary>
public enum ClipPeriod
{
    /// <summary>The last 24 hours.</summary>
    Day,
    /// <summary>The last 7 days.</summary>
    Week,
    /// <summary>The last 30 days.</summary>
    Month,
    /// <summary>Since clips exist on Twitch (2016-05-26).</summary>
    All,
}

/// <summary>A half-open time range <c>[Start, End)</c> sent as <c>started_at</c>/<c>ended_at</c>.</summary>
public readonly record struct TimeWindow(DateTimeOffset Start, DateTimeOffset End)
{
    public TimeSpan Length => End - Start;

    public bool Contains(DateTimeOffset instant) => instant >= Start && instant < End;

    /// <summary>The two halves; the split point is rounded to a whole second (Helix takes RFC 3339 seconds).</summary>
    public (TimeWindow First, TimeWindow Second) Halves()
    {
        var middle = Start + TimeSpan.FromSeconds(Math.Floor(Length.TotalSeconds / 2));
        return (new TimeWindow(Start, middle), new TimeWindow(middle, End));
    }

    public override string ToString() =>
        $"{Start.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ}..{End.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ}";
}

/// <summary>Turns a period into the windows the finder queries first.</summary>
public static class ClipWindows
{
    /// <summary>The day Twitch clips launched; <see cref="ClipPeriod.All"/> starts here.</summary>
    public static readonly DateTimeOffset ClipsEpoch = new(2016, 5, 26, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Helix's own default window (<c>ended_at</c> = <c>started_at</c> + 7 days), the widest slice we ask for.</summary>
    public static readonly TimeSpan MaxSlice = TimeSpan.FromDays(7);

    /// <summary>Below this length a window that still hits the cap is accepted as it is.</summary>
    public static readonly TimeSpan MinSlice = TimeSpan.FromMinutes(1);

    public static bool TryParsePeriod(string? text, out ClipPeriod period)
    {
        period = ClipPeriod.Week;
        return text is not null
            && Enum.TryParse(text.Trim(), ignoreCase: true, out period)
            && Enum.IsDefined(period);
    }

    /// <summary>The whole range a period covers, ending now (whole seconds).</summary>
    public static TimeWindow ForPeriod(ClipPeriod period, DateTimeOffset now)
    {
        var end = new DateTimeOffset(now.UtcTicks - now.UtcTicks % TimeSpan.TicksPerSecond, TimeSpan.Zero);
        var start = period switch
        {
            ClipPeriod.Day => end.AddDays(-1),
            ClipPeriod.Week => end.AddDays(-7),
            ClipPeriod.Month => end.AddDays(-30),
            ClipPeriod.All => ClipsEpoch,
            _ => throw new ArgumentOutOfRangeException(nameof(period), period, "unknown period"),
        };
        return new TimeWindow(start, end);
    }

    /// <summary>Cuts <paramref name="range"/> into consecutive slices no longer than <paramref name="maxSlice"/>, newest first.</summary>
    public static IReadOnlyList<TimeWindow> Slice(TimeWindow range, TimeSpan maxSlice)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(maxSlice, TimeSpan.Zero);
        var slices = new List<TimeWindow>();
        for (var end = range.End; end > range.Start; end -= maxSlice)
        {
            var start = end - maxSlice < range.Start ? range.Start : end - maxSlice;
            slices.Add(new TimeWindow(start, end));
        }
        return slices;
    }

    /// <summary>True when a window whose query hit the cap should be split and queried again.</summary>
    public static bool ShouldSplit(TimeWindow window, bool hitCap) => hitCap && window.Length >= MinSlice * 2;
}
