using System.Globalization;
using Microsoft.Extensions.Options;
using Tccg.Core.Compilations;
using Tccg.Core.Configuration;
using Tccg.Core.Timeline;
using Tccg.Server.Application;
using Tccg.Server.Features.Assets;
using Tccg.Server.Features.ClipBin;
using Tccg.Server.Features.Layouts;
using Tccg.Storage.Clips;
using Tccg.Storage.Compilations;
using Tccg.Storage.Renders;

namespace Tccg.Server.Features.Compilations;

/// <summary>
/// Every read and change of a compilation a user can make: create, list, open, save (optimistic concurrency on the
/// stored version), delete, review (keep / skip / undo), validate and submit. The API, the editor pages, the CLI and the
/// demo call this with the caller; roles, ownership, sharing and the editor rules are applied here once.
/// </summary>
public sealed class CompilationService(
    ICompilationStore store, IClipStore clips, IRenderJobStore jobs, CompilationWorkspace workspace, IOptions<EditorOptions> rules,
    StreamerLayoutService streamerLayouts, ApiLinks links)
{
    /// <summary>The most clips one <see cref="NextAsync"/> hands out.</summary>
    public const int MaxNext = 1000;

    /// <summary>A submit re-reads a compilation and its items this often when writers keep changing it between the two reads.</summary>
    private const int ReadAttempts = 8;

    public async Task<IReadOnlyList<CompilationSummary>> ListAsync(CurrentUser caller, CancellationToken ct)
    {
        caller.RequireEditor();
        var list = await store.ListAsync(caller.IsAdmin ? null : caller.Id ?? -1, ct);
        return [.. list.Select(CompilationSummary.From)];
    }

    public async Task<CompilationView> CreateAsync(CurrentUser caller, NewCompilationRequest request, CancellationToken ct)
    {
        caller.RequireEditor();
        if (EditorLimits.CheckName("name", request.Name) is { } problem)
            throw RuleException.Invalid(problem.Field, problem.Message);
        CheckGameId(request.GameId);
        if (request.ChannelId is { } channel && (channel.Trim().Length is 0 or > 64 || !channel.Trim().All(char.IsAsciiDigit)))
            throw RuleException.Invalid("channelId", "must be the Twitch user id of a channel (digits).");
        var created = await store.CreateAsync(new Compilation
        {
            Name = request.Name!.Trim(),
            GameId = string.IsNullOrWhiteSpace(request.GameId) ? null : request.GameId.Trim(),
            ChannelId = string.IsNullOrWhiteSpace(request.ChannelId) ? null : request.ChannelId.Trim(),
            OwnerId = caller.Id,
            Shared = request.Shared ?? false,
        }, ct);
        return await ViewAsync(caller, created, [], ct);
    }

    /// <summary>The compilation when the caller may see it; 404 otherwise (others' private compilations read as missing).</summary>
    public async Task<Compilation> FindAsync(CurrentUser caller, long id, CancellationToken ct)
    {
        caller.RequireEditor();
        return await workspace.GetAsync(caller, id, ct) ?? throw NotFound(id);
    }

    public async Task<CompilationView> GetAsync(CurrentUser caller, long id, CancellationToken ct)
    {
        var c = await FindAsync(caller, id, ct);
        return await ViewAsync(caller, c, await store.GetItemsAsync(id, ct), ct);
    }

    /// <summary>
    /// Replaces the editable document when <see cref="UpdateCompilationRequest.Version"/> is still the stored version;
    /// 409 when someone saved in between (in this or another server process).
    /// </summary>
    public async Task<CompilationView> UpdateAsync(CurrentUser caller, long id, UpdateCompilationRequest request, CancellationToken ct)
    {
        caller.RequireEditor();
        if (request.Version is not { } expected)
            throw RuleException.Invalid("version", "send the version of the compilation you edited (as read from it)");
        CheckGameId(request.GameId);
        var current = await FindAsync(caller, id, ct);
        if (!caller.OwnsOrAdmin(current.OwnerId) && request.Shared == false)
            throw RuleException.Forbidden("Only the owner or an admin may stop sharing a compilation.");

        var items = (request.Items ?? []).Select((i, at) => new CompilationItem(i.ClipId, i.TrimStart, i.TrimEnd, i.Volume ?? 1.0,
            ItemLayout(i.Layout, at)?.ToJson())).ToList();
        var before = await store.GetItemsAsync(id, ct);
        var updated = current with
        {
            Name = request.Name?.Trim() ?? "",
            GameId = string.IsNullOrWhiteSpace(request.GameId) ? null : request.GameId.Trim(),
            Shared = request.Shared ?? current.Shared,
            FirstAssetId = request.FirstAssetId,
            IntroAssetId = request.IntroAssetId,
            IntervalAssetId = request.IntervalAssetId,
            OutroAssetId = request.OutroAssetId,
            MusicJson = (request.Music ?? new MusicChoice()).ToJson(),
            SettingsJson = (request.Settings ?? new CompilationSettings()).ToJson(),
        };
        var problems = EditorRules.CheckEdit(await workspace.DraftAsync(caller, updated, items, ct));
        if (problems.Count > 0)
            throw RuleException.Invalid($"Compilation {Id(id)} cannot be saved.", problems);
        if (await store.SaveAsync(updated, items, expected, ct) is null)
            throw ChangedElsewhere(id, expected);
        await RememberFacecamsAsync(caller, before, items, ct);
        var saved = await store.GetAsync(id, ct) ?? throw NotFound(id);
        return await ViewAsync(caller, saved, items, ct);
    }

    public async Task DeleteAsync(CurrentUser caller, long id, CancellationToken ct)
    {
        var c = await FindAsync(caller, id, ct);
        if (!caller.OwnsOrAdmin(c.OwnerId))
            throw RuleException.Forbidden("Only the owner or an admin may delete a shared compilation.");
        if (!await store.DeleteAsync(id, ct))
            throw NotFound(id);
    }

    /// <summary>The next downloaded clips of the compilation's game (or channel) not yet kept or skipped in it, most viewed first.</summary>
    public async Task<IReadOnlyList<ClipRecord>> NextAsync(CurrentUser caller, long id, int count, CancellationToken ct)
    {
        if (count is < 1 or > MaxNext)
            throw RuleException.Invalid("count", $"must be between 1 and {MaxNext}");
        var c = await FindAsync(caller, id, ct);
        if (c.ReviewScope is not { } scope)
            throw RuleException.Conflict($"Compilation {Id(id)} has no game or channel; set its gameId to review clips.");
        return await clips.NextToReviewAsync(scope, id, count, ct);
    }

    public async Task<IReadOnlyList<ReviewEntry>> DecisionsAsync(CurrentUser caller, long id, CancellationToken ct)
    {
        await FindAsync(caller, id, ct);
        return await store.GetDecisionsAsync(id, ct);
    }

    /// <summary>
    /// Keep (the clip joins the timeline with its trims and volume, or updates its item), skip (a decision only; a kept
    /// clip leaves the timeline) or undo (the given clip's decision, or the last one). The decision and the timeline
    /// change in one write under the compilation's row lock, so reviews sent at once (to any server) all land, one after the other.
    /// </summary>
    public async Task<ReviewResult> ReviewAsync(CurrentUser caller, long id, ReviewRequest request, CancellationToken ct)
    {
        caller.RequireEditor();
        var decision = request.Decision?.Trim().ToLowerInvariant();
        if (decision is not ("keep" or "skip" or "undo"))
            throw RuleException.Invalid("decision", "must be keep, skip or undo");
        CompilationItem? kept = null;
        if (decision != "undo")
        {
            if (request.ClipId is not { } reviewed)
                throw RuleException.Invalid("clipId", "is required to keep or skip a clip");
            var clip = await clips.GetAsync(reviewed, ct) ?? throw RuleException.NotFound($"No clip {Id(reviewed)} in the clip bin.");
            if (decision == "keep")
            {
                kept = new CompilationItem(reviewed, request.TrimStart, request.TrimEnd, request.Volume ?? 1.0);
                var draftItem = new DraftItem(reviewed, kept.TrimStart, kept.TrimEnd, kept.Volume, workspace.ToDraft(clip));
                var problems = EditorRules.CheckEdit(new CompilationDraft { Name = "review", Items = [draftItem] });
                if (problems.Count > 0)
                    throw RuleException.Invalid($"Clip {Id(reviewed)} cannot be kept like this.", problems);
            }
        }

        await FindAsync(caller, id, ct);
        var written = await store.ReviewAsync(id, caller.Id, (stored, decisions) =>
        {
            var items = stored.ToList();
            if (decision == "undo")
            {
                var last = request.ClipId is { } clipId ? decisions.LastOrDefault(d => d.ClipId == clipId) : (decisions.Count > 0 ? decisions[^1] : null);
                if (last is null)
                {
                    throw RuleException.Conflict(request.ClipId is { } given
                        ? $"Clip {Id(given)} has no decision to undo in compilation {Id(id)}."
                        : $"Compilation {Id(id)} has no decision to undo.");
                }
                if (last.Decision == ReviewDecision.Keep)
                    items.RemoveAll(i => i.ClipId == last.ClipId);
                return new ReviewChange(last.ClipId, null, items);
            }

            var target = request.ClipId!.Value;
            var at = items.FindIndex(i => i.ClipId == target);
            if (kept is not null && at >= 0)
                items[at] = kept with { LayoutJson = items[at].LayoutJson };
            else if (kept is not null)
                items.Add(kept);
            else
                items.RemoveAll(i => i.ClipId == target);
            return new ReviewChange(target, kept is null ? ReviewDecision.Skip : ReviewDecision.Keep, items);
        }, ct) ?? throw NotFound(id);
        var after = await store.GetAsync(id, ct);
        return new ReviewResult(written.Change.ClipId, decision == "undo" ? "undecided" : decision, written.Change.Items.Count,
            after?.UpdatedAt ?? default, written.Version);
    }

    /// <summary>Every message that blocks submitting, each naming the item and field.</summary>
    public async Task<IReadOnlyList<ValidationMessage>> ValidateAsync(CurrentUser caller, long id, CancellationToken ct)
    {
        var c = await FindAsync(caller, id, ct);
        var draft = await workspace.DraftAsync(caller, c, await store.GetItemsAsync(id, ct), ct);
        return EditorRules.Validate(draft, rules.Value);
    }

    /// <summary>Validates, freezes the timeline and queues a render job owned by the caller; 400 with every blocking message otherwise.</summary>
    public async Task<(RenderJob Job, FrozenTimeline Timeline)> SubmitAsync(CurrentUser caller, long id, CancellationToken ct)
    {
        var c = await FindAsync(caller, id, ct);
        var items = await store.GetItemsAsync(id, ct);
        // The compilation and its items are two reads: freeze only a pair that belongs together.
        for (var attempt = 1; (await store.GetAsync(id, ct))?.Version is { } now && now != c.Version; attempt++)
        {
            if (attempt == ReadAttempts)
                throw ChangedElsewhere(id, c.Version);
            c = await FindAsync(caller, id, ct);
            items = await store.GetItemsAsync(id, ct);
        }
        var draft = await workspace.DraftAsync(caller, c, items, ct);
        var messages = EditorRules.Validate(draft, rules.Value);
        if (messages.Count > 0)
            throw RuleException.Invalid($"Compilation {Id(id)} is not ready to render.", messages);

        var frozen = TimelineBuilder.Build(draft);
        var structural = TimelineLoader.Validate(frozen.Timeline);
        if (structural.Count > 0)
            throw RuleException.Invalid($"Compilation {Id(id)} is not ready to render.", [.. structural.Select(e => new ValidationMessage("timeline", e))]);
        var job = await jobs.EnqueueAsync(id, caller.Id, frozen.ToJson(), ct);
        return (job, frozen);
    }

    /// <summary>A compilation with its items' clips, its assets and the estimated length.</summary>
    public async Task<CompilationView> ViewAsync(CurrentUser caller, Compilation c, IReadOnlyList<CompilationItem> items, CancellationToken ct)
    {
        var found = await clips.GetManyAsync([.. items.Select(i => i.ClipId)], ct);
        var drafts = await workspace.DraftClipsAsync(found.Values, ct);
        var settings = CompilationSettings.FromJson(c.SettingsJson);
        var vertical = TimelineBuilder.IsVertical(settings);
        var fallback = TimelineBuilder.DefaultLayout(settings);
        var itemViews = items.Select(item =>
        {
            var own = Layout.FromJson(item.LayoutJson);
            var (effective, source) = new DraftItem(item.ClipId, item.TrimStart, item.TrimEnd, item.Volume, drafts.GetValueOrDefault(item.ClipId), own)
                .Resolve(vertical);
            return new ItemView(item.ClipId, item.TrimStart, item.TrimEnd, item.Volume,
                found.TryGetValue(item.ClipId, out var clip) ? ClipView.From(clip, links) : null,
                own?.ToSection(), (effective ?? fallback).ToSection(), source ?? "compilation", drafts.GetValueOrDefault(item.ClipId)?.Streamer is not null);
        }).ToArray();
        var music = MusicChoice.FromJson(c.MusicJson);
        var tracks = new List<AssetView?>();
        foreach (var t in music.Tracks)
            tracks.Add(await workspace.AssetViewAsync(caller, t, ct));
        var assets = new CompilationAssetsView(
            await workspace.AssetViewAsync(caller, c.FirstAssetId, ct),
            await workspace.AssetViewAsync(caller, c.IntroAssetId, ct),
            await workspace.AssetViewAsync(caller, c.IntervalAssetId, ct),
            await workspace.AssetViewAsync(caller, c.OutroAssetId, ct),
            [.. tracks]);
        var estimate = EditorLimits.EstimateSeconds(
            itemViews.Select(i => (i.Clip?.MediaDuration ?? i.Clip?.Duration ?? 0, i.TrimStart, i.TrimEnd)),
            assets.First?.Duration ?? 0, assets.Intro?.Duration ?? 0, assets.Interval?.Duration ?? 0, assets.Outro?.Duration ?? 0);
        return new CompilationView(c.Id, c.Name, c.GameId, c.ChannelId, c.OwnerId, c.Shared, c.CreatedAt, c.UpdatedAt, c.Version, itemViews,
            c.FirstAssetId, c.IntroAssetId, c.IntervalAssetId, c.OutroAssetId, music, settings, assets,
            estimate);
    }

    /// <summary>An item's own layout from the editor, checked; a 400 names <c>items[N].layout…</c>.</summary>
    private static Layout? ItemLayout(LayoutSection? section, int at)
    {
        if (section is null)
            return null;
        var where = $"items[{Id(at)}].layout";
        var errors = new List<string>();
        LayoutRules.Validate(section, where, errors);
        if (errors.Count > 0)
            throw RuleException.Invalid($"Item {Id(at)}'s layout is not valid.", [.. errors.Select(e => new ValidationMessage(StreamerLayoutService.FieldOf(e, where), e))]);
        return Layout.From(section);
    }

    /// <summary>A facecam box newly set on an item becomes the default for the clip's broadcaster.</summary>
    private async Task RememberFacecamsAsync(CurrentUser caller, IReadOnlyList<CompilationItem> before, IReadOnlyList<CompilationItem> after, CancellationToken ct)
    {
        var previous = before.GroupBy(i => i.ClipId).ToDictionary(g => g.Key, g => g.First().LayoutJson);
        var changed = after.Where(i => i.LayoutJson is not null && previous.GetValueOrDefault(i.ClipId) != i.LayoutJson).ToList();
        if (changed.Count == 0)
            return;
        var found = await clips.GetManyAsync([.. changed.Select(i => i.ClipId)], ct);
        foreach (var item in changed)
        {
            if (found.TryGetValue(item.ClipId, out var clip) && Layout.FromJson(item.LayoutJson) is { IsFacecam: true } layout)
                await streamerLayouts.RememberAsync(caller, clip.BroadcasterId, layout, ct);
        }
    }

    private static void CheckGameId(string? gameId)
    {
        if (gameId is not null && (gameId.Length > 64 || (gameId.Length > 0 && string.IsNullOrWhiteSpace(gameId)) || gameId.Any(char.IsControl)))
            throw RuleException.Invalid("gameId", "must be a Twitch game id");
    }

    private static RuleException NotFound(long id) => RuleException.NotFound($"No compilation {Id(id)}.");

    private static RuleException ChangedElsewhere(long id, long version) => RuleException.Conflict(
        $"Compilation {Id(id)} was changed elsewhere — reload it.",
        $"Someone saved it after version {version.ToString(CultureInfo.InvariantCulture)} that you edited; reload and apply your change again.");

    private static string Id(long id) => id.ToString(CultureInfo.InvariantCulture);
}
