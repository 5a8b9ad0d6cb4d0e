using Tccg.Core.Clips;
using Tccg.Core.Compilations;

namespace Tccg.Core.Tests.Compilations;

/// <summary>Small drafts for the rule and builder tests.</summary>
internal static class DraftFactory
{
    public static DraftClip Clip(long id, double duration = 10, string name = "Streamer", string? login = "streamer",
        ClipStatus status = ClipStatus.Downloaded, bool exists = true, double? lufs = -20) =>
        new(id, status, new DraftMedia($"clips/g/{id}.mp4", exists, duration, lufs), "b" + id, name, login, "Title " + id,
            "https://clips.twitch.tv/c" + id);

    public static DraftItem Item(long id, double? trimStart = null, double? trimEnd = null, double volume = 1.0, double duration = 10) =>
        new(id, trimStart, trimEnd, volume, Clip(id, duration));

    public static AssetChoice Asset(long id, AssetRole kind, bool exists = true) =>
        new(id, new DraftAsset(id, kind, new DraftMedia($"assets/{kind.ToString().ToLowerInvariant()}{id}.mp4", exists, 3, null)));

    public static CompilationDraft TwoClips() => new() { Name = "Week 1", Items = [Item(1), Item(2)] };
}
