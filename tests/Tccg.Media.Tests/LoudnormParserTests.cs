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

    [Fact]
    public void Parse_NamedMeters_ReadsEachMetersOwnSummary()
    {
        var stderr = TestDataFiles.Read("inspect-three-inputs.stderr.txt");

        Assert.Equal((-21.8, -20.8), (Ebur128SummaryParser.Parse(stderr, "in0").IntegratedLufs, Ebur128SummaryParser.Parse(stderr, "in0").TruePeakDb));
        Assert.Equal((-21.9, -16.0), (Ebur128SummaryParser.Parse(stderr, "in1").IntegratedLufs, Ebur128SummaryParser.Parse(stderr, "in1").TruePeakDb));
        // The third input has no audio, so no meter.
        Assert.Throws<FormatException>(() => Ebur128SummaryParser.Parse(stderr, "in2"));
    }

    [Fact]
    public void Parse_NamedMeter_StopsAtTheNextFilterAndTellsM1FromM10()
    {
        const string stderr = """
            [ebur128@m1 @ 0x1] Summary:

              Integrated loudness:
                I:         -30.0 LUFS
            [ebur128@m10 @ 0x2] Summary:

              Integrated loudness:
                I:         -10.0 LUFS
            [out#0/wav @ 0x3] video:0kB audio:1kB
            size=       1kB
            """;

        Assert.Equal(-30.0, Ebur128SummaryParser.Parse(stderr, "m1").IntegratedLufs);
        Assert.Equal(-10.0, Ebur128SummaryParser.Parse(stderr, "m10").IntegratedLufs);
    }
}
