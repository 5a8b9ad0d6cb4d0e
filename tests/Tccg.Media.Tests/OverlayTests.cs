using Tccg.Core.Timeline;
using Tccg.Media.Rendering;

namespace Tccg.Media.Tests;

public sealed class OverlayTests(MediaFactory media) : IClassFixture<MediaFactory>
{
    [Theory]
    [InlineData("DejaVu Sans", "PlainName_42", "DejaVuSans")]
    [InlineData("DejaVu Sans", "表示名", "CJK")]
    [InlineData("DejaVu Sans", "한국어이름", "CJK")]
    public async Task ResolveAsync_NameNeedsGlyphs_PicksAFontThatHasThem(string font, string text, string expectedFile)
    {
        var resolved = await new FontResolver().ResolveAsync(font, text, CancellationToken.None);

        Assert.Contains(expectedFile, Path.GetFileName(resolved.FontFile), StringComparison.Ordinal);
        Assert.Equal(text, resolved.Text);
    }

    [Fact]
    public async Task ResolveAsync_EmojiNoOutlineFontMixesWithCjk_KeepsTheNameReadable()
    {
        var resolved = await new FontResolver().ResolveAsync("DejaVu Sans", "名前🎮x", CancellationToken.None);

        Assert.DoesNotContain("Color", resolved.FontFile, StringComparison.Ordinal);
        Assert.StartsWith("名前", resolved.Text, StringComparison.Ordinal);
        Assert.EndsWith("x", resolved.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ResolveAsync_LatinNameWithEmojiNoFontHasBoth_KeepsTheConfiguredFont()
    {
        var resolved = await new FontResolver().ResolveAsync("DejaVu Sans", "Ninja🎮", CancellationToken.None);

        Assert.Equal("DejaVuSans.ttf", Path.GetFileName(resolved.FontFile));
        Assert.Equal("Ninja", resolved.Text);
    }

    [Fact]
    public void FontFaces_Parse_ReadsEachFaceOnItsOwn()
    {
        var faces = FontFaces.Parse("/f.ttc: :index=0:charset=20-7e a0-2e9 3a3\n/f.ttc: :index=1:charset=4e00-4e01 \n/f.ttc: \n");

        Assert.Equal(3, faces.Count);
        Assert.True(faces.AnyHasAll(['A', 0x2e9, 0x3a3]));
        Assert.True(faces.AnyHasAll([0x4e00, 0x4e01]));
        // Each character is in some face, but no face has both: drawtext draws with one.
        Assert.False(faces.AnyHasAll(['A', 0x4e00]));
        Assert.False(faces.AnyHasAll([0x3a4]));
    }

    [Fact]
    public void EscapeValue_FilterSpecials_AreEscapedForBothLevels() =>
        Assert.Equal(@"/a\\\'b\\:c\,d\[e\]\;f\\\\g", FilterEscaping.Value(@"/a'b:c,d[e];f\g"));

    [Fact]
    public async Task RenderAsync_OverlayEnabled_DrawsTheNameOnlyForItsSeconds()
    {
        using var world = new RenderWorld();
        var a = world.Add(await media.ClipAsync("ov-a.mp4", 2.0), "a.mp4");
        var doc = RenderWorld.Small();
        doc.Output!.Crf = 18;
        doc.Items = [RenderWorld.Clip(a, "WWWWWWWW", "w")];
        await world.RenderAsync(doc);
        var plain = Path.Combine(world.Dir, "plain.mp4");
        File.Move(world.Output, plain);
        doc.Overlay = new OverlaySection { Enabled = true, Seconds = 1, Position = "top-left", Color = "white", OutlineColor = "black" };

        await world.RenderAsync(doc);

        // The name sits in the top-left corner (margin 6 px, 10 px font on 180 lines) during the first second only.
        var withEarly = await Analysis.CropPixelsAsync(world.Output, 0.5, 0, 0, 120, 24);
        var plainEarly = await Analysis.CropPixelsAsync(plain, 0.5, 0, 0, 120, 24);
        var withLate = await Analysis.CropPixelsAsync(world.Output, 1.5, 0, 0, 120, 24);
        var plainLate = await Analysis.CropPixelsAsync(plain, 1.5, 0, 0, 120, 24);
        var awayEarly = await Analysis.CropPixelsAsync(world.Output, 0.5, 200, 150, 120, 24);
        var awayPlain = await Analysis.CropPixelsAsync(plain, 0.5, 200, 150, 120, 24);
        Assert.True(MeanDiff(withEarly, plainEarly) > 8, $"overlay missing: {MeanDiff(withEarly, plainEarly)}");
        Assert.True(MeanDiff(withLate, plainLate) < 3, $"overlay still shown: {MeanDiff(withLate, plainLate)}");
        Assert.True(MeanDiff(awayEarly, awayPlain) < 3, $"overlay elsewhere: {MeanDiff(awayEarly, awayPlain)}");
    }

    [Fact]
    public async Task RenderAsync_NamesWithFilterSyntaxEmojiAndCjk_RenderEachOverlay()
    {
        using var world = new RenderWorld();
        var a = world.Add(await media.ClipAsync("ov-b.mp4", 0.5), "a.mp4");
        string[] names = ["it's: \"quoted\"", @"back\slash %{pts} %%", "表示名", "Ninja🎮", "[x];y,z='w'", "😀"];
        var doc = RenderWorld.Small();
        doc.Overlay = new OverlaySection { Enabled = true, Seconds = 5 };
        doc.Items = names.Select((n, i) => RenderWorld.Clip(a, n, "user" + i.ToString(System.Globalization.CultureInfo.InvariantCulture))).ToList();

        var result = await world.RenderAsync(doc);

        Assert.Equal(names.Length, result.VideoSegmentsEncoded);
        Assert.Equal(names.Length * 0.5, result.DurationSeconds, 3);
        var description = await File.ReadAllTextAsync(result.DescriptionPath);
        foreach (var n in names)
            Assert.Contains(n, description, StringComparison.Ordinal);
    }

    internal static double MeanDiff(byte[] a, byte[] b)
    {
        Assert.Equal(a.Length, b.Length);
        double sum = 0;
        for (var i = 0; i < a.Length; i++)
            sum += Math.Abs(a[i] - b[i]);
        return sum / a.Length;
    }
}
