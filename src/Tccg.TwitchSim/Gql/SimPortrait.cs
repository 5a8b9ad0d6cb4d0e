using System.Text.Json.Nodes;
using Tccg.TwitchSim.World;

namespace Tccg.TwitchSim.Gql;

/// <summary>A crop box as Twitch sends it: corners in percent (0–100) of the source frame.</summary>
public sealed record SimBox(double Left, double Top, double Right, double Bottom);

/// <summary>
/// The portrait crop boxes Twitch's clip pipeline computes for a clip with a portrait (RECOMPOSED) asset:
/// <c>STACKED</c> (a facecam box in a corner over a gameplay box) or <c>FULL</c> (one 9:16 box), deterministic per
/// clip id. Sent as the portrait asset's <c>portraitMetadata</c> in the real <c>ShareClipRenderStatus</c> shape.
/// </summary>
public sealed record SimPortrait(string Layout, SimBox Main, SimBox Top, SimBox Bottom)
{
    public static SimPortrait For(SimClip clip)
    {
        var h = Fnv(clip.Id);
        // A 9:16 window of a 16:9 frame is 31.640625 % wide.
        var mainLeft = 20 + (h % 37);
        var main = new SimBox(mainLeft, 0, mainLeft + 31.640625, 100);
        var camW = 20 + (h / 7 % 9);
        var camH = 22 + (h / 63 % 10);
        var right = (h / 630 % 2) == 0;
        var cam = right ? new SimBox(100 - camW, 0, 100, camH) : new SimBox(0, 0, camW, camH);
        var game = new SimBox(15 + (h / 1260 % 10), 0, 85 - (h / 12600 % 10), 100);
        return new SimPortrait(h % 4 == 0 ? "FULL" : "STACKED", main, cam, game);
    }

    public JsonObject ToJson() => new()
    {
        ["portraitClipLayout"] = Layout,
        ["fullTemplateMetadata"] = new JsonObject { ["mainFrame"] = Crop(Main), ["__typename"] = "FullTemplateMetadata" },
        ["stackedTemplateMetadata"] = Layout == "STACKED"
            ? new JsonObject { ["topFrame"] = Crop(Top), ["bottomFrame"] = Crop(Bottom), ["__typename"] = "StackedTemplateMetadata" }
            : null,
        ["__typename"] = "PortraitMetadata",
    };

    private static JsonObject Crop(SimBox b) => new()
    {
        ["topLeft"] = Point(b.Left, b.Top),
        ["bottomRight"] = Point(b.Right, b.Bottom),
        ["__typename"] = "PortraitCropMetadata",
    };

    private static JsonObject Point(double x, double y) => new()
    {
        ["xPercentage"] = x,
        ["yPercentage"] = y,
        ["__typename"] = "PortraitCropCoordinates",
    };

    private static uint Fnv(string text)
    {
        var h = 2166136261u;
        foreach (var c in text)
            h = (h ^ c) * 16777619u;
        return h;
    }
}
