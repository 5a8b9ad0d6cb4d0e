using Tccg.Core.Clips;
using Tccg.Core.Compilations;
using Tccg.Core.Configuration;
using Tccg.Core.Timeline;
using static Tccg.Core.Tests.Compilations.DraftFactory;

namespace Tccg.Core.Tests.Compilations;

public class EditorRulesTests
{
    private static readonly EditorOptions NoRules = new();

    [Fact]
    public void Validate_TwoDownloadedClips_HasNoMessages() =>
        Assert.Empty(EditorRules.Validate(TwoClips(), NoRules));

    [Fact]
    public void Validate_OneClip_AsksForAtLeastTwo()
    {
        var messages = EditorRules.Validate(TwoClips() with { Items = [Item(1)] }, NoRules);
        var m = Assert.Single(messages);
        Assert.Equal("items", m.Field);
        Assert.Contains("at least 2 clips", m.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CheckEdit_OneClip_IsStillSavable() =>
        Assert.Empty(EditorRules.CheckEdit(TwoClips() with { Items = [Item(1)] }));

    [Theory]
    [InlineData(-1.0, null, "items[0].trimStart", "0 or more")]
    [InlineData(5.0, 4.0, "items[0].trimEnd", "greater than trimStart")]
    [InlineData(null, 12.0, "items[0].trimEnd", "past the end of the clip (10 s)")]
    [InlineData(11.0, null, "items[0].trimStart", "less than the clip's length")]
    [InlineData(2.0, 2.3, "items[0].trimEnd", "at least 0.5 s")]
    [InlineData(9.8, null, "items[0].trimEnd", "at least 0.5 s")]
    public void CheckEdit_TrimOutsideTheMedia_NamesTheItemAndField(double? start, double? end, string field, string text)
    {
        var draft = TwoClips() with { Items = [Item(1, start, end), Item(2)] };
        var m = Assert.Single(EditorRules.CheckEdit(draft));
        Assert.Equal(field, m.Field);
        Assert.Contains(text, m.Message, StringComparison.Ordinal);
        Assert.Contains("clip 1", m.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CheckEdit_TrimEndWithinContainerRounding_IsAccepted() =>
        Assert.Empty(EditorRules.CheckEdit(TwoClips() with { Items = [Item(1, 1, 10.04), Item(2)] }));

    [Theory]
    [InlineData(-0.1)]
    [InlineData(2.5)]
    [InlineData(double.NaN)]
    public void CheckEdit_VolumeOutOfRange_IsRefused(double volume)
    {
        var m = Assert.Single(EditorRules.CheckEdit(TwoClips() with { Items = [Item(1, volume: volume), Item(2)] }));
        Assert.Equal("items[0].volume", m.Field);
    }

    [Fact]
    public void CheckEdit_UnknownAndRepeatedClips_AreNamed()
    {
        var draft = TwoClips() with { Items = [Item(1), new DraftItem(99, null, null, 1, null), Item(1)] };
        var messages = EditorRules.CheckEdit(draft);
        Assert.Contains(messages, m => m.Field == "items[1].clipId" && m.Message.Contains("clip 99 is not in the clip bin", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.Field == "items[2].clipId" && m.Message.Contains("more than once", StringComparison.Ordinal));
    }

    [Fact]
    public void CheckEdit_AssetOfTheWrongKindOrUnknown_IsRefused()
    {
        var draft = TwoClips() with { Intro = Asset(5, AssetRole.Outro), Outro = new AssetChoice(77, null), MusicTracks = [Asset(6, AssetRole.Intro)] };
        var messages = EditorRules.CheckEdit(draft);
        Assert.Contains(new ValidationMessage("introAssetId", "asset 5 is an outro, not an intro"), messages);
        Assert.Contains(new ValidationMessage("outroAssetId", "asset 77 does not exist"), messages);
        Assert.Contains(new ValidationMessage("music.tracks[0]", "asset 6 is an intro, not a music track"), messages);
    }

    [Fact]
    public void Validate_EnforcedAssetsMissing_NamesEachRule()
    {
        var rules = new EditorOptions { EnforceIntro = true, EnforceOutro = true, EnforceInterval = true, EnforceFirstClip = true };
        var fields = EditorRules.Validate(TwoClips(), rules).Select(m => m.Field).ToList();
        Assert.Equal(["firstAssetId", "introAssetId", "intervalAssetId", "outroAssetId"], fields);

        var complete = TwoClips() with
        {
            First = Asset(1, AssetRole.First), Intro = Asset(2, AssetRole.Intro),
            Interval = Asset(3, AssetRole.Interval), Outro = Asset(4, AssetRole.Outro),
        };
        Assert.Empty(EditorRules.Validate(complete, rules));
    }

    [Fact]
    public void Validate_ClipNotDownloadedOrFileGone_Blocks()
    {
        var draft = TwoClips() with
        {
            Items =
            [
                new DraftItem(1, null, null, 1, Clip(1, status: ClipStatus.Missing)),
                new DraftItem(2, null, null, 1, Clip(2, exists: false)),
                new DraftItem(3, null, null, 1, Clip(3, status: ClipStatus.Used)),
            ],
            Intro = Asset(9, AssetRole.Intro, exists: false),
        };
        var messages = EditorRules.Validate(draft, NoRules);
        Assert.Equal(3, messages.Count);
        Assert.Contains(messages, m => m.Field == "items[0].clipId" && m.Message.Contains("is missing, not downloaded", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.Field == "items[1].clipId" && m.Message.Contains("file is missing", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.Field == "introAssetId" && m.Message.Contains("asset 9", StringComparison.Ordinal));
    }

    [Fact]
    public void CheckEdit_BadSettings_AreReportedPerField()
    {
        var draft = TwoClips() with
        {
            Settings = new CompilationSettings { Output = new OutputSection { Width = 1921, Fps = 500 }, Overlay = new OverlaySection { Position = "middle" } },
            Music = new MusicChoice { Volume = 3 },
        };
        var fields = EditorRules.CheckEdit(draft).Select(m => m.Field).ToList();
        Assert.Equal(["settings.output.width", "settings.output.fps", "settings.overlay.position", "music.volume"], fields);
    }

    [Fact]
    public void CheckEdit_EmptyName_IsRefused() =>
        Assert.Equal("name", Assert.Single(EditorRules.CheckEdit(TwoClips() with { Name = " " })).Field);
}
