using System.Globalization;
using Tccg.Core.Clips;
using Tccg.Server.Application;
using Tccg.Server.Features.Compilations;
using Tccg.Storage.Clips;
using Tccg.Storage.Games;

namespace Tccg.Server.Features.ClipBin;

/// <summary>Why a clip is not usable: its status, the reason kept with it and, for a duplicate, the clip it duplicates.</summary>
public sealed record ClipReasonView(long ClipId, string Status, string? Reason, ClipView? DuplicateOf);

/// <summary>A streamer blocked for a game: what the finder now skips.</summary>
public sealed record BlockStreamerResult(string GameId, string GameName, string Blocked, IReadOnlyList<string> BlockedBroadcasters);

/// <summary>
/// What the clip browser does with one clip besides playing it: explain why it is Failed / Unavailable / Duplicate,
/// add it to one of the caller's compilations (editors; as a keep, so the review state agrees), block its streamer for
/// its game (admins, as every game filter change) and retry a failed download (admins). The API, the page and the CLI
/// call this; each rule is here once.
/// </summary>
public sealed class ClipActionsService(IClipStore clips, IGameStore games, CompilationService compilations, ApiLinks links)
{
    public async Task<ClipReasonView> ReasonAsync(CurrentUser caller, long clipId, CancellationToken ct)
    {
        caller.RequireEditor();
        var clip = await ClipAsync(clipId, ct);
        ClipView? original = null;
        if (clip.Status == ClipStatus.Duplicate && clip.DuplicateOf is { } of && await clips.GetAsync(of, ct) is { } dup)
            original = ClipView.From(dup, links);
        var reason = clip.Status switch
        {
            ClipStatus.Failed => clip.LastError ?? "The download failed (no message kept).",
            ClipStatus.Unavailable => clip.LastError ?? "Twitch no longer serves this clip.",
            ClipStatus.Duplicate => clip.LastError ?? (original is null ? "Shows the same moment as another clip." : $"Shows the same moment as clip {Id(original.Id)} ({original.Title})."),
            ClipStatus.Missing => "Its file vanished from the server; it is downloaded again when moved back to Found.",
            _ => null,
        };
        return new ClipReasonView(clip.Id, clip.Status.ToString(), reason, original);
    }

    /// <summary>Adds a downloaded clip to the end of a compilation the caller may edit (recorded as a keep); 409 when it is in already.</summary>
    public async Task<ReviewResult> AddToCompilationAsync(CurrentUser caller, long clipId, long? compilationId, CancellationToken ct)
    {
        caller.RequireEditor();
        if (compilationId is not { } target)
            throw RuleException.Invalid("compilationId", "is required: the compilation to add the clip to.");
        var clip = await ClipAsync(clipId, ct);
        if (clip.Status is not (ClipStatus.Downloaded or ClipStatus.Used))
            throw RuleException.Conflict($"Clip {Id(clipId)} is {clip.Status}: only downloaded clips can join a compilation.");
        var view = await compilations.GetAsync(caller, target, ct);
        if (view.Items.Any(i => i.ClipId == clipId))
            throw RuleException.Conflict($"Clip {Id(clipId)} is already in \"{view.Name}\".");
        return await compilations.ReviewAsync(caller, target, new ReviewRequest(clipId, "keep"), ct);
    }

    /// <summary>Adds the clip's streamer (login, else id) to its game's blocked broadcasters (admins); 404 when the game is not saved.</summary>
    public async Task<BlockStreamerResult> BlockStreamerAsync(CurrentUser caller, long clipId, CancellationToken ct)
    {
        caller.RequireAdmin();
        var clip = await ClipAsync(clipId, ct);
        var game = await games.GetByTwitchIdAsync(clip.GameId, ct)
            ?? throw RuleException.NotFound($"The game of clip {Id(clipId)} ({clip.GameId}) is not saved, so it has no filters to block a streamer in.");
        var blocked = string.IsNullOrEmpty(clip.BroadcasterLogin) ? clip.BroadcasterId : clip.BroadcasterLogin;
        var list = game.Filters.BlockedBroadcasters.ToList();
        var already = list.Any(b => string.Equals(b, clip.BroadcasterId, StringComparison.Ordinal)
            || string.Equals(b, clip.BroadcasterLogin, StringComparison.OrdinalIgnoreCase)
            || string.Equals(b, clip.BroadcasterName, StringComparison.OrdinalIgnoreCase));
        if (!already)
        {
            list.Add(blocked);
            var filters = game.Filters with { BlockedBroadcasters = list };
            if (GameRules.Check(filters, null) is { } problem)
                throw RuleException.Invalid(problem.Field, problem.Message);
            await games.UpdateAsync(game with { Filters = filters }, ct);
        }
        return new BlockStreamerResult(game.TwitchGameId, game.Name, blocked, list);
    }

    /// <summary>Puts a Failed clip back to Found with its attempts reset (admins): the next download run fetches it.</summary>
    public async Task<ClipView> RetryDownloadAsync(CurrentUser caller, long clipId, CancellationToken ct)
    {
        caller.RequireAdmin();
        var clip = await ClipAsync(clipId, ct);
        if (clip.Status != ClipStatus.Failed)
            throw RuleException.Conflict($"Clip {Id(clipId)} is {clip.Status}: only a failed download can be retried.");
        try
        {
            return ClipView.From(await clips.MoveAsync(clipId, ClipStatus.Found, ct), links);
        }
        catch (IllegalClipTransitionException e)
        {
            throw RuleException.Conflict(e.Message);
        }
    }

    private async Task<ClipRecord> ClipAsync(long clipId, CancellationToken ct) =>
        await clips.GetAsync(clipId, ct) ?? throw RuleException.NotFound($"No clip {Id(clipId)}.");

    private static string Id(long id) => id.ToString(CultureInfo.InvariantCulture);
}
