using Tccg.Media.Loudness;

namespace Tccg.Media.Tests;

public sealed class LoudnormParserTests
{
    [Fact]
    public void Parse_SineSummary_ReadsIntegratedAndTruePeak()
    {
        var m = LoudnormParser.Parse(TestDataFiles.Read("loudnorm-sine.stderr.txt"));

        Assert.Equal(-21.80, m.IntegratedLufs, 2);
        Assert.Equal(-20.69, m.TruePeakDb, 2);
        Assert.Equal(0, m.LoudnessRangeLu, 2);
        Assert.False(m.IsSilent);
    }

    [Fact]
    public void Parse_SilenceWithMinusInfinity_ReturnsSilence()
    {
        var m = LoudnormParser.Parse(TestDataFiles.Read("loudnorm-silence.stderr.txt"));

        Assert.True(m.IsSilent);
        Assert.Equal(LoudnessMeasurement.SilenceLufs, m.IntegratedLufs);
        Assert.Equal(LoudnessMeasurement.SilenceDb, m.TruePeakDb);
    }

    [Fact]
    public void Parse_NoSummary_Throws() =>
        Assert.Throws<FormatException>(() => LoudnormParser.Parse("Input #0, lavfi\nsize=N/A\n"));
}

public sealed class Ebur128SummaryParserTests
{
    [Fact]
    public void Parse_SegmentLog_ReadsTheFinalSummaryNotTheRunningValues()
    {
        var m = Ebur128SummaryParser.Parse(TestDataFiles.Read("segment-ebur128.stderr.txt"));

        Assert.Equal((-21.8, -20.7), (m.IntegratedLufs, m.TruePeakDb));
    }

    [Fact]
    public void Parse_Silence_ReturnsSilence()
    {
        var m = Ebur128SummaryParser.Parse(TestDataFiles.Read("segment-ebur128-silence.stderr.txt"));

        Assert.True(m.IsSilent);
        Assert.Equal(LoudnessMeasurement.SilenceDb, m.TruePeakDb);
    }

    [Fact]
    public void Parse_NoSummary_Throws() =>
        Assert.Throws<FormatException>(() => Ebur128SummaryParser.Parse("[Parsed_ebur128_0] t: 0.1 I: -20 LUFS"));
}
