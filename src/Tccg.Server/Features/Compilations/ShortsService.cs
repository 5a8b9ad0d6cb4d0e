using System.Globalization;
using Microsoft.Extensions.Options;
using Tccg.Core.Compilations;
using Tccg.Core.Configuration;
using Tccg.Core.Timeline;
using Tccg.Server.Application;
using Tccg.Storage.Compilations;
using Tccg.Storage.Renders;

namespace Tccg.Server.Features.Compilations;

/// <summary>"Render each clip as a short": the first <see cref="MaxClips"/> kept clips (all when null), the title caption (default on), the intro and outro (default off).</summary>
public sealed record ShortsRequest(int? MaxClips = null, bool? Caption = null, bool? IntroOutro = null);

/// <summary>One short's render job and its upload text.</summary>
public sealed record ShortJobView(long JobId, long ClipId, string Name, string Location, string Description);

/// <summary>The batch of shorts queued from one compilation.</summary>
public sealed record ShortsBatchView(long BatchId, long CompilationId, string Name, ShortJobView[] Jobs);

/// <summary>
/// Turns a compilation into one vertical render job per kept clip (<see cref="ShortsSplitter"/>) grouped under a render
/// batch: each with its layout (the item's, the streamer's, Twitch's or the compilation's), the streamer-name overlay, the
/// optional title caption and intro/outro, and its own description. The jobs share the generators' segment cache.
/// </summary>
public sealed class ShortsService(
    CompilationService compilations, ICompilationStore store, CompilationWorkspace workspace, IRenderJobStore jobs, IRenderBatchStore batches,
    IOptions<EditorOptions> rules, ApiLinks links)
{
    /// <summary>The most shorts one batch makes.</summary>
    public const int MaxShorts = 200;

    public async Task<ShortsBatchView> RenderEachAsync(CurrentUser caller, long id, ShortsRequest? request, CancellationToken ct)
    {
        request ??= new ShortsRequest();
        if (request.MaxClips is { } max && max is < 1 or > MaxShorts)
            throw RuleException.Invalid("maxClips", $"must be between 1 and {MaxShorts} (or left out for every kept clip)");
        var c = await compilations.FindAsync(caller, id, ct);
        var items = await store.GetItemsAsync(id, ct);
        if (items.Count == 0)
            throw RuleException.Conflict($"Compilation {Id(id)} has no kept clips to render as shorts.");
        var draft = await workspace.DraftAsync(caller, c, items, ct);
        var introOutro = request.IntroOutro ?? false;
        // The whole compilation's length and clip count do not matter here: each short is one clip.
        var messages = EditorRules.Validate(draft, rules.Value)
            .Where(m => m.Field.StartsWith("items[", StringComparison.Ordinal) || m.Field == "name"
                || (m.Field.StartsWith("settings", StringComparison.Ordinal) && m.Field != "settings.target")
                || (introOutro && m.Field is "introAssetId" or "outroAssetId"))
            .ToList();
        if (messages.Count > 0)
            throw RuleException.Invalid($"Compilation {Id(id)} cannot be rendered as shorts.", messages);

        var shorts = ShortsSplitter.Split(draft, new ShortsOptions(request.MaxClips, request.Caption ?? true, introOutro));
        foreach (var one in shorts)
        {
            var structural = TimelineLoader.Validate(one.Timeline.Timeline);
            if (structural.Count > 0)
                throw RuleException.Invalid($"The short of clip {Id(one.ClipId)} cannot render.", [.. structural.Select(e => new ValidationMessage("timeline", e))]);
        }

        var name = Trim($"{c.Name} — shorts");
        var batch = await batches.CreateAsync(id, caller.Id, name, ct);
        var views = new List<ShortJobView>();
        foreach (var one in shorts)
        {
            var job = await jobs.EnqueueAsync(id, caller.Id, one.Timeline.ToJson(), batch.Id, ct);
            views.Add(new ShortJobView(job.Id, one.ClipId, one.Name, links.To($"/renders/{job.Id}"), one.Description));
        }
        return new ShortsBatchView(batch.Id, id, batch.Name, [.. views]);
    }

    private static string Trim(string name) => name.Length > 200 ? name[..200] : name;

    private static string Id(long id) => id.ToString(CultureInfo.InvariantCulture);
}
