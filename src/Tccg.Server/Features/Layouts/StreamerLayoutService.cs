using Tccg.Core.Compilations;
using Tccg.Core.Timeline;
using Tccg.Server.Application;
using Tccg.Storage.Clips;
using Tccg.Storage.Layouts;

namespace Tccg.Server.Features.Layouts;

/// <summary>A broadcaster's remembered facecam layout.</summary>
/// <param name="BroadcasterName">The display name of one of their clips in the clip bin, when known.</param>
public sealed record StreamerLayoutView(string BroadcasterId, string? BroadcasterName, LayoutSection Layout, long? UpdatedBy, DateTimeOffset UpdatedAt);

/// <summary>
/// Per-streamer facecam memory: when a user sets a facecam box (a stacked or crop layout) on one of a broadcaster's clips,
/// it becomes the default for that broadcaster's later clips in vertical compilations (after the item's own layout, before
/// Twitch's portrait boxes). Editors read, set and reset it here; <see cref="Compilations.CompilationService"/> remembers
/// boxes as items are saved.
/// </summary>
public sealed class StreamerLayoutService(IStreamerLayoutStore store, IClipStore clips)
{
    public async Task<IReadOnlyList<StreamerLayoutView>> ListAsync(CurrentUser caller, CancellationToken ct)
    {
        caller.RequireEditor();
        var views = new List<StreamerLayoutView>();
        foreach (var s in await store.ListAsync(ct))
        {
            if (Layout.FromJson(s.LayoutJson) is { } layout)
                views.Add(new StreamerLayoutView(s.BroadcasterId, null, layout.ToSection(), s.UpdatedBy, s.UpdatedAt));
        }
        return views;
    }

    /// <summary>The broadcaster's layout; 404 when none is remembered.</summary>
    public async Task<StreamerLayoutView> GetAsync(CurrentUser caller, string broadcasterId, CancellationToken ct)
    {
        caller.RequireEditor();
        var id = CheckId(broadcasterId);
        return await store.GetAsync(id, ct) is { } s && Layout.FromJson(s.LayoutJson) is { } layout
            ? new StreamerLayoutView(s.BroadcasterId, null, layout.ToSection(), s.UpdatedBy, s.UpdatedAt)
            : throw RuleException.NotFound($"No facecam layout is remembered for broadcaster {id}.");
    }

    /// <summary>Sets the broadcaster's layout: a stacked or crop layout with its boxes inside the frame.</summary>
    public async Task<StreamerLayoutView> SetAsync(CurrentUser caller, string broadcasterId, LayoutSection? layout, CancellationToken ct)
    {
        caller.RequireEditor();
        var id = CheckId(broadcasterId);
        var checkedLayout = CheckFacecam(layout, "layout");
        var saved = await store.SetAsync(id, checkedLayout.ToJson(), caller.Id, ct);
        return new StreamerLayoutView(saved.BroadcasterId, null, checkedLayout.ToSection(), saved.UpdatedBy, saved.UpdatedAt);
    }

    /// <summary>Forgets the broadcaster's layout (their clips fall back to Twitch's boxes, then the compilation's layout); 404 when there was none.</summary>
    public async Task ResetAsync(CurrentUser caller, string broadcasterId, CancellationToken ct)
    {
        caller.RequireEditor();
        var id = CheckId(broadcasterId);
        if (!await store.DeleteAsync(id, ct))
            throw RuleException.NotFound($"No facecam layout is remembered for broadcaster {id}.");
    }

    /// <summary>The broadcaster of a clip in the clip bin; 404 when the clip is unknown.</summary>
    public async Task<string> BroadcasterOfAsync(CurrentUser caller, long clipId, CancellationToken ct)
    {
        caller.RequireEditor();
        return (await clips.GetAsync(clipId, ct))?.BroadcasterId ?? throw RuleException.NotFound($"No clip {clipId} in the clip bin.");
    }

    /// <summary>Remembers a facecam layout set on a clip for the clip's broadcaster (other layouts are not remembered).</summary>
    internal async Task RememberAsync(CurrentUser caller, string broadcasterId, Layout layout, CancellationToken ct)
    {
        if (layout.IsFacecam && !string.IsNullOrWhiteSpace(broadcasterId))
            await store.SetAsync(broadcasterId, layout.ToJson(), caller.Id, ct);
    }

    /// <summary>A valid stacked or crop layout, or a 400 naming the field.</summary>
    public static Layout CheckFacecam(LayoutSection? section, string field)
    {
        if (section is null)
            throw RuleException.Invalid(field, "is required: a stacked layout (top and bottom boxes) or a crop layout (rect)");
        var errors = new List<string>();
        LayoutRules.Validate(section, field, errors);
        if (errors.Count > 0)
            throw RuleException.Invalid($"The {field} is not valid.", [.. errors.Select(e => new ValidationMessage(FieldOf(e, field), e))]);
        var layout = Layout.From(section);
        if (!layout.IsFacecam)
            throw RuleException.Invalid(field + ".mode", "must be stacked or crop: only facecam boxes are remembered per streamer");
        return layout;
    }

    /// <summary>The field a layout message names (<c>layout.top</c> from <c>layout.top (…) is outside the frame</c>).</summary>
    internal static string FieldOf(string message, string fallback)
    {
        var end = message.IndexOf(' ', StringComparison.Ordinal);
        var field = end > 0 ? message[..end] : message;
        return field.StartsWith(fallback, StringComparison.Ordinal) ? field : fallback;
    }

    private static string CheckId(string? broadcasterId)
    {
        var id = broadcasterId?.Trim() ?? "";
        if (id.Length is 0 or > 64 || !id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
            throw RuleException.Invalid("broadcasterId", "must be the Twitch user id of a broadcaster (1 to 64 letters, digits, '-' or '_').");
        return id;
    }
}
