using System.Diagnostics;
using System.Text.Json;

namespace Tccg.Cli.Tests;

public class DemoTests
{
    [Fact]
    public async Task Demo_ExitAfterRender_LeavesAPlayableMp4AndCreditsUnderRenders()
    {
        var data = Path.Combine(CliRunner.NewWorkDir(), "demo");
        var (exit, output, err) = await CliRunner.RunAsync(CliRunner.NewWorkDir(),
            "demo", "--exit-after-render", "--data", data, "--urls", "http://127.0.0.1:0", "--clips", "3");
        Assert.True(exit == 0, $"exit {exit}\n{output}\n{err}");

        var mp4 = Assert.Single(Directory.GetFiles(Path.Combine(data, "renders"), "*.mp4"));
        var credits = Path.ChangeExtension(mp4, ".txt");
        Assert.Contains(mp4, output, StringComparison.Ordinal);
        Assert.Contains("login: demo / demo-", output, StringComparison.Ordinal);

        var text = await File.ReadAllTextAsync(credits);
        Assert.Contains("https://www.twitch.tv/", text, StringComparison.Ordinal);
        Assert.Contains("0:00 Intro", text, StringComparison.Ordinal);

        // ffprobe, not our code, says what the file is.
        using var probe = Process.Start(new ProcessStartInfo("ffprobe",
            ["-v", "error", "-show_entries", "format=duration:stream=codec_type,codec_name,profile,width,height,sample_rate", "-of", "json", mp4])
        { RedirectStandardOutput = true })!;
        var json = JsonDocument.Parse(await probe.StandardOutput.ReadToEndAsync()).RootElement;
        await probe.WaitForExitAsync();
        var streams = json.GetProperty("streams").EnumerateArray().ToList();
        var video = streams.Single(s => s.GetProperty("codec_type").GetString() == "video");
        var audio = streams.Single(s => s.GetProperty("codec_type").GetString() == "audio");
        Assert.Equal("h264", video.GetProperty("codec_name").GetString());
        Assert.Equal(1280, video.GetProperty("width").GetInt32());
        Assert.Equal("aac", audio.GetProperty("codec_name").GetString());
        Assert.Equal("48000", audio.GetProperty("sample_rate").GetString());
        var duration = double.Parse(json.GetProperty("format").GetProperty("duration").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
        // intro 3 + three clips of up to 6 s + two 1 s intervals + outro 3
        Assert.InRange(duration, 3 + 3 * 2 + 2 + 3, 3 + 3 * 6 + 2 + 3 + 0.1);
    }

    [Fact]
    public async Task Demo_RefusesAFolderItDidNotMake()
    {
        var data = CliRunner.NewWorkDir();
        await File.WriteAllTextAsync(Path.Combine(data, "precious.txt"), "keep me");
        var (exit, _, err) = await CliRunner.RunAsync(CliRunner.NewWorkDir(), "demo", "--exit-after-render", "--data", data);
        Assert.Equal(TccgCli.ExitFailure, exit);
        Assert.Contains("not made by `tccg demo`", err, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(data, "precious.txt")));
    }
}
