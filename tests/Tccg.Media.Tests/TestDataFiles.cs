namespace Tccg.Media.Tests;

/// <summary>Saved real outputs of ffprobe and ffmpeg under TestData/.</summary>
internal static class TestDataFiles
{
    public static string Read(string name) =>
        File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "TestData", name));
}
