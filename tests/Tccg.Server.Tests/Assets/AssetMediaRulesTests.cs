using Tccg.Media.Probing;
using Tccg.Server.Features.Assets;
using Tccg.Storage.Assets;
using Tccg.Core.Compilations;

namespace Tccg.Server.Tests.Assets;

public class AssetMediaRulesTests
{
    private static MediaFacts Video(double seconds = 5, int width = 1920, int height = 1080, string format = "mov,mp4,m4a,3gp,3g2,mj2", bool audio = true) =>
        new(seconds, width, height, 30, "h264", audio ? "aac" : null, audio ? 48000 : 0, audio ? 2 : 0, format, 1000);

    private static MediaFacts Audio(double seconds = 120, string format = "mp3") => new(seconds, 0, 0, 0, null, "mp3", 44100, 2, format, 1000);

    [Theory]
    [InlineData("../../etc/passwd", "passwd")]
    [InlineData("..\\..\\win.ini", "win.ini")]
    [InlineData("..", "upload")]
    [InlineData("", "upload")]
    [InlineData("a\u0000b\u202Ec\".mp4", "abc.mp4")]
    [InlineData("<b>clip</b>.mp4", "b.mp4")]
    [InlineData("a<i>b`c.mp4", "aibc.mp4")]
    [InlineData("  Intro 🎬 2026.mp4 ", "Intro 🎬 2026.mp4")]
    public void DisplayName_RemovesFoldersControlsAndMarkup(string uploaded, string expected) =>
        Assert.Equal(expected, AssetUploader.DisplayName(uploaded));

    [Fact]
    public void DisplayName_IsCutTo120Characters() =>
        Assert.Equal(120, AssetUploader.DisplayName(new string('x', 500)).Length);

    [Theory]
    [InlineData("mov,mp4,m4a,3gp,3g2,mj2", AssetRole.Intro, "clip.MOV", true, "mov")]
    [InlineData("mov,mp4,m4a,3gp,3g2,mj2", AssetRole.Intro, "clip.exe", true, "mp4")]
    [InlineData("mov,mp4,m4a,3gp,3g2,mj2", AssetRole.Music, "song", false, "m4a")]
    [InlineData("matroska,webm", AssetRole.Outro, "x.webm", true, "webm")]
    [InlineData("matroska,webm", AssetRole.Outro, "x.mp4", true, "mkv")]
    [InlineData("mp3", AssetRole.Music, "x.wav", false, "mp3")]
    [InlineData("tty", AssetRole.Intro, "x.txt", true, null)]
    public void Extension_FollowsTheProbedFormat(string format, AssetRole kind, string name, bool video, string? expected)
    {
        var facts = video ? Video(format: format) : Audio(format: format);
        Assert.Equal(expected, AssetMediaRules.Extension(facts, kind, name));
    }

    [Fact]
    public void Problem_NamesWhatIsWrongForEachKind()
    {
        Assert.Null(AssetMediaRules.Problem(Video(), AssetRole.Intro));
        Assert.Null(AssetMediaRules.Problem(Audio(), AssetRole.Music));
        Assert.Null(AssetMediaRules.Problem(Video(), AssetRole.Music));
        Assert.Contains("needs a video stream", AssetMediaRules.Problem(Audio(), AssetRole.Interval), StringComparison.Ordinal);
        Assert.Contains("needs an audio stream", AssetMediaRules.Problem(Video(audio: false), AssetRole.Music), StringComparison.Ordinal);
        Assert.Contains("0.2 s", AssetMediaRules.Problem(Video(seconds: 0.2), AssetRole.First), StringComparison.Ordinal);
        Assert.Contains("30 minutes", AssetMediaRules.Problem(Video(seconds: 3600), AssetRole.Outro), StringComparison.Ordinal);
        Assert.Contains("8x8", AssetMediaRules.Problem(Video(width: 8, height: 8), AssetRole.Intro), StringComparison.Ordinal);
        Assert.Contains("still image", AssetMediaRules.Problem(Video(format: "png_pipe", audio: false), AssetRole.Intro), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A }, "PNG")]
    [InlineData(new byte[] { 0xFF, 0xD8, 0xFF, 0xE0 }, "JPEG")]
    [InlineData(new byte[] { 0x47, 0x49, 0x46, 0x38, 0x39, 0x61 }, "GIF")]
    [InlineData(new byte[] { 0x00, 0x00, 0x00, 0x18, 0x66, 0x74, 0x79, 0x70 }, null)]
    [InlineData(new byte[] { }, null)]
    public void StillImageType_RecognisesImageSignatures(byte[] head, string? expected) =>
        Assert.Equal(expected, AssetMediaRules.StillImageType(head));
}
