using System.Globalization;
using Tccg.Core.Timeline;

namespace Tccg.Bench.Render;

/// <summary>
/// The same clips for a portrait (1080x1920@30) upload: every clip stacked from Twitch's portrait boxes (parsed from
/// <c>portraitMetadata</c> in the real ShareClipRenderStatus shape: a facecam corner over the gameplay), or every
/// clip over a blurred fill of itself.
/// </summary>
internal static class VerticalWorkload
{
    public static TimelineDocument Apply(TimelineDocument doc, bool blur)
    {
        doc.Output!.Width = 1080;
        doc.Output.Height = 1920;
        doc.Overlay!.Position = "bottom-left";
        if (blur)
        {
            doc.Layout = new LayoutSection { Mode = "blur" };
            return doc;
        }
        for (var i = 0; i < doc.Items!.Count; i++)
        {
            if (doc.Items[i].Kind == "clip")
                doc.Items[i].Layout = TwitchBoxes(i).ToSection();
        }
        return doc;
    }

    /// <summary>Twitch's boxes for item <paramref name="i"/>: the facecam in a top corner, the gameplay in the middle.</summary>
    public static Layout TwitchBoxes(int i)
    {
        var inv = CultureInfo.InvariantCulture;
        double camW = 20 + i % 5, camH = 24 + i % 4, left = i % 2 == 0 ? 100 - camW : 0;
        string Box(double l, double t, double r, double b) => string.Create(inv,
            $$"""{"topLeft":{"xPercentage":{{l}},"yPercentage":{{t}},"__typename":"PortraitCropCoordinates"},"bottomRight":{"xPercentage":{{r}},"yPercentage":{{b}},"__typename":"PortraitCropCoordinates"},"__typename":"PortraitCropMetadata"}""");
        var json = $$"""
            {"portraitClipLayout":"STACKED","fullTemplateMetadata":null,
             "stackedTemplateMetadata":{"topFrame":{{Box(left, 0, left + camW, camH)}},"bottomFrame":{{Box(18 + i % 3, 0, 82 - i % 3, 100)}},"__typename":"StackedTemplateMetadata"},
             "__typename":"PortraitMetadata"}
            """;
        using var parsed = System.Text.Json.JsonDocument.Parse(json);
        return Tccg.Twitch.Gql.PortraitMetadata.FromMetadata(parsed.RootElement) ?? throw new InvalidOperationException("The bench's Twitch boxes do not parse.");
    }
}
