using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace Tccg.TwitchSim.Tests;

/// <summary>ffprobe facts of a media file.</summary>
internal sealed record ProbeResult(int Width, int Height, double Fps, double Duration, int? SampleRate, int? Channels)
{
    public static async Task<ProbeResult> RunAsync(string file)
    {
        var info = new ProcessStartInfo("ffprobe") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { "-v", "error", "-show_streams", "-show_format", "-of", "json", file })
            info.ArgumentList.Add(arg);
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, await errors);
        using var doc = JsonDocument.Parse(await output);
        var streams = doc.RootElement.GetProperty("streams").EnumerateArray().ToList();
        var video = streams.Single(s => s.GetProperty("codec_type").GetString() == "video");
        var audio = streams.SingleOrDefault(s => s.GetProperty("codec_type").GetString() == "audio");
        var rate = video.GetProperty("r_frame_rate").GetString()!.Split('/');
        return new ProbeResult(
            video.GetProperty("width").GetInt32(),
            video.GetProperty("height").GetInt32(),
            double.Parse(rate[0], CultureInfo.InvariantCulture) / double.Parse(rate[1], CultureInfo.InvariantCulture),
            double.Parse(doc.RootElement.GetProperty("format").GetProperty("duration").GetString()!, CultureInfo.InvariantCulture),
            audio.ValueKind == JsonValueKind.Object ? int.Parse(audio.GetProperty("sample_rate").GetString()!, CultureInfo.InvariantCulture) : null,
            audio.ValueKind == JsonValueKind.Object ? audio.GetProperty("channels").GetInt32() : null);
    }
}
