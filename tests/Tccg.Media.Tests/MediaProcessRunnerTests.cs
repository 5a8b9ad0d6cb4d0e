using System.Diagnostics;
using Tccg.Media.Processes;

namespace Tccg.Media.Tests;

public sealed class MediaProcessRunnerTests
{
    [Fact]
    public async Task FfmpegAsync_Cancelled_KillsFfmpegPromptly()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(400));
        var sw = Stopwatch.StartNew();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => new MediaProcessRunner().FfmpegAsync(
            ["-v", "error", "-re", "-f", "lavfi", "-i", "testsrc2=s=64x64:r=10:d=60", "-f", "null", "-"], null, cts.Token));

        Assert.True(sw.Elapsed < TimeSpan.FromSeconds(10), $"took {sw.Elapsed}");
    }

    [Fact]
    public async Task FfmpegAsync_BadFilter_ThrowsWithStderrTail()
    {
        var ex = await Assert.ThrowsAsync<MediaToolException>(() => new MediaProcessRunner().FfmpegAsync(
            ["-v", "error", "-f", "lavfi", "-i", "nosuchsource=d=1", "-f", "null", "-"], null, CancellationToken.None));

        Assert.NotEqual(0, ex.ExitCode);
        Assert.Contains("nosuchsource", ex.StderrTail, StringComparison.Ordinal);
        Assert.Contains("ffmpeg exited with code", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FfmpegAsync_ProgressPipe_DeliversStdoutLines()
    {
        var lines = new List<string>();

        await new MediaProcessRunner().FfmpegAsync(
            ["-v", "error", "-f", "lavfi", "-i", "testsrc2=s=64x64:r=10:d=1", "-progress", "pipe:1", "-f", "null", "-"],
            l => { lock (lines) lines.Add(l); }, CancellationToken.None);

        Assert.Contains("progress=end", lines);
    }

    [Fact]
    public void FormatCommandLine_QuotesArgumentsWithSpacesAndQuotes() =>
        Assert.Equal("ffmpeg -i 'a b.mp4' 'it'\\''s'", MediaProcessRunner.FormatCommandLine("ffmpeg", ["-i", "a b.mp4", "it's"]));
}
